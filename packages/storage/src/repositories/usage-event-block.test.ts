import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { decodeEventBlock, encodeEventBlock } from "./usage-event-block";
import type { UsageEvent } from "./usage-event-repository";

const text = fc.string({ maxLength: 12 });
const usageEvent: fc.Arbitrary<UsageEvent> = fc.record({
  messageId: text,
  type: fc.constantFrom("track", "page", "screen", "identify", "group", "alias"),
  event: fc.option(fc.constantFrom("A", "B", "page", "Δ"), { nil: null }),
  userKey: fc.constantFrom("u1", "u2", "anon:x"),
  userId: fc.option(fc.constantFrom("u1", "u2"), { nil: null }),
  anonymousId: fc.option(text, { nil: null }),
  timestamp: fc.constantFrom("2026-01-01T00:00:00.000Z", "2026-01-02T10:00:00.000Z"),
  day: fc.constantFrom("2026-01-01", "2026-01-02"),
  properties: fc.dictionary(text, fc.jsonValue()) as fc.Arbitrary<Record<string, unknown>>,
  receivedAt: fc.constantFrom("2026-01-03T00:00:00.000Z", "2026-01-04T00:00:00.000Z"),
});

describe("event blocks", () => {
  it("should read back every field of every call when blocks are written in version 2", () => {
    fc.assert(
      fc.property(fc.array(usageEvent, { maxLength: 30 }), (events) => {
        // JSON has no -0 and drops undefined: compare with what a JSON round trip keeps.
        expect(decodeEventBlock(encodeEventBlock(events))).toEqual(JSON.parse(JSON.stringify(events)));
      }),
      { numRuns: 200 },
    );
  });

  it("should still read version 1 blocks (one positional array per call)", () => {
    const v1 = JSON.stringify([
      [
        "m1",
        "track",
        "A",
        "u1",
        "u1",
        null,
        "2026-01-01T00:00:00.000Z",
        "2026-01-01",
        { n: 1 },
        "2026-01-02T00:00:00.000Z",
      ],
    ]);
    expect(decodeEventBlock(v1)).toEqual([
      {
        messageId: "m1",
        type: "track",
        event: "A",
        userKey: "u1",
        userId: "u1",
        anonymousId: null,
        timestamp: "2026-01-01T00:00:00.000Z",
        day: "2026-01-01",
        properties: { n: 1 },
        receivedAt: "2026-01-02T00:00:00.000Z",
      },
    ]);
  });
});
