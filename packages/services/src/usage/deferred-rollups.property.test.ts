import { openStorage, openTestStorage, type Storage, type TestStorage, testDialects } from "@tenure/storage";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catchUpRollups } from "./deferred-rollups";
import { ingestBatch } from "./ingest";
import { IngestQueue } from "./ingest-queue";
import { parseTrackingMessage, type TrackingMessage } from "./tracking-message";

const call = fc.record({
  type: fc.constantFrom("track", "track", "page", "screen", "identify", "group"),
  id: fc.integer({ min: 0, max: 80 }),
  user: fc.integer({ min: 0, max: 6 }),
  day: fc.integer({ min: 1, max: 5 }),
  event: fc.integer({ min: 0, max: 3 }),
});
type Call = typeof call extends fc.Arbitrary<infer T> ? T : never;

/** What happens next to the tracking queue and the database. */
const step = fc.oneof(
  // Concurrent requests through the queue (acknowledged once committed).
  fc.record({
    kind: fc.constant("submit" as const),
    requests: fc.array(fc.array(call, { maxLength: 15 }), { minLength: 1, maxLength: 4 }),
  }),
  // A direct ingest, which writes its own rollups in its transaction.
  fc.record({ kind: fc.constant("direct" as const), calls: fc.array(call, { minLength: 1, maxLength: 15 }) }),
  fc.record({ kind: fc.constant("flush" as const) }),
  // The process dies: counts in memory are lost, the database is opened again by a new process.
  fc.record({ kind: fc.constant("crash" as const) }),
  fc.record({ kind: fc.constant("check" as const) }),
);

/** A Segment call; the same `id` always has the same content, as a client's retry does. */
const message = (c: Call): TrackingMessage => {
  const raw = {
    type: c.type,
    messageId: `m-${c.id}`,
    userId: `u${c.user}`,
    timestamp: `2026-10-0${c.day}T12:00:00.000Z`,
    ...(c.type === "track" ? { event: `e${c.event}` } : {}),
    ...(c.type === "group" ? { groupId: `acct-${c.user % 2}` } : {}),
  };
  const r = parseTrackingMessage(raw, "", { receivedAt: "2026-10-10T00:00:00.000Z" });
  if (!r.ok) throw new Error(r.issue.message);
  return r.message;
};

describe.each(testDialects())("deferred rollups across flushes and crashes on %s", (dialect) => {
  let t: TestStorage;
  const opened: Storage[] = [];
  let run = 0;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
  });
  afterAll(async () => {
    for (const s of opened) await s.close();
    await t?.cleanup();
  });

  /** Rollups equal a naive recount of the stored usage calls; the calls are the distinct ids sent. */
  async function expectExact(storage: Storage, ws: string, sent: ReadonlySet<string>) {
    await catchUpRollups(storage);
    const events = await storage.usageEvents.list(ws);
    expect(events.map((e) => e.messageId).sort()).toEqual([...sent].sort());
    const naive = new Map<string, number>();
    for (const e of events)
      if (e.event !== null && e.type !== "identify" && e.type !== "group") {
        const key = `${e.userKey}|${e.day}|${e.event}`;
        naive.set(key, (naive.get(key) ?? 0) + 1);
      }
    const stored = new Map(
      (await storage.usageRollups.list(ws)).map((r) => [`${r.userKey}|${r.day}|${r.event}`, r.count]),
    );
    expect(stored).toEqual(naive);
  }

  it("should keep rollups equal to a recount of the stored events", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 40 }),
        async (steps, flushEvents) => {
          const ws = `ws-deferred-${run++}`;
          let storage = t.storage;
          // Time never triggers a flush here; the event threshold and explicit flushes do.
          const newQueue = (s: Storage) =>
            new IngestQueue(s, { rollupFlushMs: 3_600_000, rollupFlushEvents: flushEvents });
          let queue = newQueue(storage);
          const sent = new Set<string>();
          for (const s of steps) {
            if (s.kind === "submit") {
              await Promise.all(s.requests.map((r) => queue.submit(ws, r.map(message))));
              for (const r of s.requests) for (const c of r) sent.add(`m-${c.id}`);
            } else if (s.kind === "direct") {
              await ingestBatch(storage, ws, s.calls.map(message));
              for (const c of s.calls) sent.add(`m-${c.id}`);
            } else if (s.kind === "flush") await queue.flushRollups();
            else if (s.kind === "crash") {
              queue.close();
              storage = await openStorage(t.config);
              opened.push(storage);
              queue = newQueue(storage);
            } else await expectExact(storage, ws, sent);
          }
          await expectExact(storage, ws, sent);
          queue.close();
        },
      ),
      { numRuns: dialect === "sqlite" ? 40 : 15 },
    );
  });

  it("should acknowledge before rolling up and replay the blocks a crash left pending", async () => {
    const ws = `ws-deferred-crash-${run++}`;
    const queue = new IngestQueue(t.storage, { rollupFlushMs: 3_600_000 });
    const calls: Call[] = Array.from({ length: 30 }, (_, i) => ({
      type: "track",
      id: i,
      user: i % 3,
      day: 1 + (i % 2),
      event: 0,
    }));
    await queue.submit(ws, calls.map(message));
    // Acknowledged (committed) but not yet rolled up: the counts are only in the queue's memory.
    expect(await t.storage.usageEvents.count(ws)).toBe(30);
    expect(await t.storage.usageRollups.list(ws)).toEqual([]);
    queue.close();
    const reopened = await openStorage(t.config);
    opened.push(reopened);
    const next = new IngestQueue(reopened);
    await next.flushRollups();
    const total = (await reopened.usageRollups.list(ws)).reduce((n, r) => n + r.count, 0);
    expect(total).toBe(30);
    // Replayed once: a further catch-up adds nothing.
    await catchUpRollups(reopened);
    expect((await reopened.usageRollups.list(ws)).reduce((n, r) => n + r.count, 0)).toBe(30);
    next.close();
  });
});
