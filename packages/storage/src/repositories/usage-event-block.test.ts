import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { BLOCK_V3, decodeEventBlock, encodeEventBlock } from "./usage-event-block";
import { EventBlockBuilder } from "./usage-event-block-builder";
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

/** One call, as the version 1 test's block holds it. */
const sample: UsageEvent = {
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
};

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

  it("should read back every call of a version 3 block, packed ids and timestamps included", () => {
    const uuid = fc
      .uint8Array({ minLength: 16, maxLength: 16 })
      .map((b) => Buffer.from(b).toString("hex"))
      .map((h) => `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`);
    const v3Event = usageEvent.chain((e) =>
      fc
        .record({
          messageId: fc.oneof(
            text,
            uuid,
            uuid.map((u) => u.toUpperCase()),
          ),
          // Before and after 1970, out of order, and forms a block keeps as text.
          timestamp: fc.oneof(
            fc
              .integer({ min: -62_135_596_800_000, max: 253_402_300_799_999 })
              .map((ms) => new Date(ms).toISOString()),
            fc.constantFrom(
              "+010000-01-01T00:00:00.000Z",
              "2026-01-01T00:00:00Z",
              "2026-13-01T00:00:00.000Z",
            ),
          ),
        })
        .map((over) => ({ ...e, ...over })),
    );
    fc.assert(
      fc.property(fc.array(v3Event, { maxLength: 30 }), (events) => {
        const builder = new EventBlockBuilder();
        for (const e of events) builder.addEvent(e);
        const block = builder.finish();
        expect(block.payload[0]).toBe(BLOCK_V3);
        expect(decodeEventBlock(block.payload)).toEqual(JSON.parse(JSON.stringify(events)));
      }),
      { numRuns: 300 },
    );
  });

  it("should refuse a cut or padded version 3 block instead of reading wrong calls", () => {
    const builder = new EventBlockBuilder();
    builder.addEvent({ ...sample, messageId: "0b7e6a1c-5f2d-4e1a-8c3b-9d0e1f2a3b4c" });
    const { payload } = builder.finish();
    expect(() => decodeEventBlock(payload.subarray(0, payload.length - 3))).toThrow(/corrupt event block/);
    expect(() => decodeEventBlock(new Uint8Array([...payload, 0]))).toThrow(/corrupt event block/);
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
    expect(decodeEventBlock(v1)).toEqual([sample]);
  });
});
