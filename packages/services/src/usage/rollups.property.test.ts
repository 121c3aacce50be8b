import { openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catchUpRollups } from "./deferred-rollups";
import { importEvents } from "./import-events";
import { IngestQueue } from "./ingest-queue";
import { parseTrackingMessage, type TrackingMessage } from "./tracking-message";

const call = fc.record({
  type: fc.constantFrom("track", "track", "page", "screen", "identify", "group"),
  id: fc.integer({ min: 0, max: 60 }),
  user: fc.integer({ min: 0, max: 5 }),
  day: fc.integer({ min: 1, max: 6 }),
  event: fc.integer({ min: 0, max: 3 }),
});
type Call = typeof call extends fc.Arbitrary<infer T> ? T : never;

/** A Segment call; the same `id` always has the same content, as a client's retry does. */
const line = (c: Call) =>
  JSON.stringify({
    type: c.type,
    messageId: `m-${c.id}`,
    userId: `u${c.user}`,
    timestamp: `2026-10-0${c.day}T12:00:00.000Z`,
    ...(c.type === "track" ? { event: `e${c.event}` } : {}),
    ...(c.type === "group" ? { groupId: `acct-${c.user % 2}` } : {}),
  });

const canonical = (calls: Call[]) => {
  // Content is a function of the id, so later repeats of an id are exact retries.
  const first = new Map<number, Call>();
  for (const c of calls) if (!first.has(c.id)) first.set(c.id, c);
  return calls.map((c) => first.get(c.id) as Call);
};

describe.each(testDialects())("rollups vs a naive recount on %s", (dialect) => {
  let t: TestStorage;
  let run = 0;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  /** Rollups must equal the count of the stored usage events, and events the distinct messageIds. */
  async function expectConsistent(ws: string, calls: Call[]) {
    // The tracking queue adds rollup counts in the background; readers catch up first.
    await catchUpRollups(t.storage);
    const events = await t.storage.usageEvents.list(ws);
    expect(events.map((e) => e.messageId).sort()).toEqual([...new Set(calls.map((c) => `m-${c.id}`))].sort());
    const naive = new Map<string, number>();
    for (const e of events)
      if (e.event !== null && e.type !== "identify" && e.type !== "group") {
        const key = `${e.userKey}|${e.day}|${e.event}`;
        naive.set(key, (naive.get(key) ?? 0) + 1);
      }
    const stored = new Map(
      (await t.storage.usageRollups.list(ws)).map((r) => [`${r.userKey}|${r.day}|${r.event}`, r.count]),
    );
    expect(stored).toEqual(naive);
  }

  it("should keep rollups equal to a recount when calls repeat and arrive in any chunking, by file", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(call, { minLength: 1, maxLength: 80 }),
        fc.integer({ min: 1, max: 30 }),
        async (raw, chunkSize) => {
          const ws = `ws-prop-file-${run++}`;
          const calls = canonical(raw);
          const content = new TextEncoder().encode(calls.map(line).join("\n"));
          const summary = await importEvents(t.storage, {
            workspaceId: ws,
            fileName: "p.jsonl",
            content,
            chunkSize,
          });
          expect(summary.errors).toEqual([]);
          // A re-import of the same file adds nothing.
          const again = await importEvents(t.storage, {
            workspaceId: ws,
            fileName: "p.jsonl",
            content,
            chunkSize,
          });
          expect(again.accepted).toBe(0);
          await expectConsistent(ws, calls);
        },
      ),
      { numRuns: dialect === "sqlite" ? 40 : 12 },
    );
  });

  it("should keep rollups equal to a recount when calls repeat across concurrent requests", async () => {
    const receivedAt = "2026-10-10T00:00:00.000Z";
    const parse = (c: Call): TrackingMessage => {
      const r = parseTrackingMessage(JSON.parse(line(c)), "", { receivedAt });
      if (!r.ok) throw new Error(r.issue.message);
      return r.message;
    };
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(call, { minLength: 1, maxLength: 20 }), { minLength: 1, maxLength: 6 }),
        async (raw) => {
          const ws = `ws-prop-queue-${run++}`;
          const all = canonical(raw.flat());
          const requests: Call[][] = [];
          let at = 0;
          for (const r of raw) {
            requests.push(all.slice(at, at + r.length));
            at += r.length;
          }
          const queue = new IngestQueue(t.storage);
          await Promise.all(requests.map((r) => queue.submit(ws, r.map(parse))));
          await expectConsistent(ws, all);
          queue.close();
        },
      ),
      { numRuns: dialect === "sqlite" ? 40 : 12 },
    );
  });
});
