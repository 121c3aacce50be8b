import { openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { EventLineParser } from "../bulk-import/event-lines";
import { importEvents } from "../bulk-import/import-events";
import { isCalendarDate } from "../import/calendar";
import { parseTrackingMessage } from "./tracking-message";

// Issue 14 §7: tracking took 2024-02-30 (stored as 03-01), years 9999 and +099999, NUL strings (a 500
// on PostgreSQL) and 1e309 (read as Infinity); CSV import refused the dates. One rule for both now.
const RECEIVED = "2026-11-23T00:00:00.000Z";
const parse = (call: Record<string, unknown>) =>
  parseTrackingMessage({ type: "track", userId: "u1", event: "E", ...call }, "batch[0]", {
    receivedAt: RECEIVED,
  });
const issueOf = (call: Record<string, unknown>) => {
  const r = parse(call);
  return r.ok ? null : `${r.issue.field}: ${r.issue.message}`;
};

describe("tracking call dates", () => {
  it("should refuse impossible and implausible dates and keep real ones as given", () => {
    expect(issueOf({ timestamp: "2024-02-30T10:00:00Z" })).toBe(
      'timestamp: timestamp is not a real calendar date, got "2024-02-30T10:00:00Z"',
    );
    expect(issueOf({ timestamp: "9999-01-01T00:00:00.000Z" })).toBe(
      'timestamp: timestamp must be a date from 1970 to 2100, got "9999-01-01T00:00:00.000Z"',
    );
    expect(issueOf({ timestamp: "+099999-01-01T00:00:00Z" })).toBe(
      'timestamp: timestamp must be an ISO-8601 date (YYYY-MM-DDTHH:MM:SSZ), got "+099999-01-01T00:00:00Z"',
    );
    expect(issueOf({ timestamp: "1969-12-31T23:59:59Z" })).toMatch(/from 1970 to 2100/);
    // An offset that moves the moment past the range's end.
    expect(issueOf({ timestamp: "2100-12-31T23:00:00-05:00" })).toMatch(/from 1970 to 2100/);
    expect(issueOf({ originalTimestamp: "2023-02-29T00:00:00Z" })).toMatch(
      /^originalTimestamp: .*not a real/,
    );
    expect(issueOf({ sentAt: "2024-13-01T00:00:00Z" })).toMatch(/^sentAt: /);
    for (const ok of [
      "1970-01-01T00:00:00.000Z",
      "2024-02-29T12:00:00Z",
      "2100-12-31T23:59:59.999Z",
      "2026-11-01",
    ]) {
      const r = parse({ timestamp: ok });
      expect(r.ok && r.message.timestamp).toBe(new Date(ok).toISOString());
    }
  });

  it("should accept a day exactly when a CSV import accepts the same date", () => {
    const day = fc
      .record({
        y: fc.integer({ min: 1960, max: 2110 }),
        m: fc.integer({ min: 0, max: 13 }),
        d: fc.integer({ min: 0, max: 32 }),
      })
      .map(({ y, m, d }) => `${y}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`);
    fc.assert(
      fc.property(day, (date) => {
        expect(parse({ timestamp: `${date}T12:00:00.000Z` }).ok).toBe(isCalendarDate(date));
      }),
      { numRuns: 2_000 },
    );
  });
});

describe("tracking call values", () => {
  it("should refuse a NUL character in any string, naming the field", () => {
    expect(issueOf({ userId: "u\u00001" })).toBe("userId: userId must not contain a NUL character (\\u0000)");
    expect(issueOf({ event: "Sign\u0000up" })).toMatch(/^event: event must not contain a NUL/);
    expect(issueOf({ messageId: "m\u0000" })).toMatch(/^messageId: /);
    expect(issueOf({ properties: { plan: { name: "pro\u0000" } } })).toBe(
      "properties.plan.name: properties.plan.name must not contain a NUL character (\\u0000)",
    );
    expect(issueOf({ properties: { "k\u0000": 1 } })).toMatch(/^properties key: /);
    expect(issueOf({ context: { traits: { email: "a\u0000@b" } } })).toMatch(/^context\.traits\.email: /);
    const group = parseTrackingMessage(
      { type: "group", userId: "u1", groupId: "acc\u0000", traits: { name: "Acme" } },
      "",
      { receivedAt: RECEIVED },
    );
    expect(group.ok ? null : group.issue.field).toBe("groupId");
  });

  it("should refuse a number that is not finite, naming where it is", () => {
    const call = JSON.parse('{"properties":{"items":[{"price":1},{"price":1e309}]},"traits":{"n":-1e400}}');
    expect(issueOf({ properties: call.properties })).toBe(
      "properties.items[1].price: properties.items[1].price must be a finite number",
    );
    expect(
      parseTrackingMessage({ type: "identify", userId: "u1", traits: call.traits }, "", {
        receivedAt: RECEIVED,
      }),
    ).toMatchObject({ ok: false, issue: { field: "traits.n" } });
  });

  it("should check deeply nested properties without overflowing the stack", () => {
    // As deep as a call can nest within its 32 KB.
    const depth = 5_000;
    const text = `{"type":"track","userId":"u1","event":"E","properties":${'{"a":'.repeat(depth)}"x\\u0000"${"}".repeat(depth)}}`;
    const r = parseTrackingMessage(JSON.parse(text), "", { receivedAt: RECEIVED, serialized: text });
    expect(r.ok ? null : r.issue.message).toMatch(/^properties(\.a)+ must not contain a NUL/);
  });
});

describe.each([true, false])("bulk event lines (native scanner allowed: %s)", (native) => {
  it("should give the same line errors as the tracking API for NUL, overflow and bad dates", () => {
    const lines = [
      '{"type":"track","userId":"u1","event":"E","timestamp":"2026-11-01T10:00:00.000Z","properties":{"note":"a\\u0000b"}}',
      '{"type":"track","userId":"u1","event":"E","timestamp":"2026-11-01T10:00:00.000Z","properties":{"price":1e309}}',
      '{"type":"track","userId":"u1","event":"E","timestamp":"2024-02-30T10:00:00.000Z"}',
      '{"type":"track","userId":"u1","event":"E","timestamp":"9999-01-01T00:00:00.000Z"}',
      '{"type":"page","anonymousId":"a\\u0000","timestamp":"2026-11-01T10:00:00.000Z"}',
      '{"type":"track","userId":"u1","event":"E","timestamp":"2026-11-01T10:00:00.000Z","properties":{"ok":"\\u0001"}}',
    ];
    const parsed = new EventLineParser({ native }).parse(new TextEncoder().encode(lines.join("\n")), {
      receivedAt: RECEIVED,
      blockSize: 100,
      maxErrors: 100,
    });
    expect(parsed.errors.map((e) => [e.row, e.column])).toEqual([
      [1, "properties.note"],
      [2, "properties.price"],
      [3, "timestamp"],
      [4, "timestamp"],
      [5, "anonymousId"],
    ]);
    expect(parsed.blocks.reduce((n, b) => n + b.count, 0)).toBe(1);
  });
});

describe.each(testDialects())("tracking inputs stored on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it("should refuse a NUL the same way on both dialects and write nothing", async () => {
    const content = new TextEncoder().encode(
      [
        '{"type":"identify","userId":"u1","traits":{"name":"Ann\\u0000"}}',
        '{"type":"group","userId":"u1","groupId":"acc-1","traits":{"name":"Acme"}}',
      ].join("\n"),
    );
    const s = await importEvents(t.storage, { workspaceId: "ws-nul", fileName: "calls.jsonl", content });
    expect(s).toMatchObject({ written: false });
    expect(s.errors).toEqual([
      {
        file: "calls.jsonl",
        row: 1,
        column: "traits.name",
        value: null,
        reason: "traits.name must not contain a NUL character (\\u0000)",
      },
    ]);
    expect(await t.storage.usageEvents.count("ws-nul")).toBe(0);
    expect(await t.storage.accounts.get("ws-nul", "acc-1")).toBeNull();
  });
});
