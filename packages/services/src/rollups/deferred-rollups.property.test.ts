import { openStorage, openTestStorage, type Storage, type TestStorage, testDialects } from "@tenure/storage";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ingestBatch } from "../tracking/ingest";
import { IngestQueue } from "../tracking/ingest-queue";
import { catchUpRollups } from "./deferred-rollups";
import { RollupSources } from "./rollup-sources";
import { type Call, callArbitrary, callMessage, expectRollupsRecount } from "./rollup-test-calls";

const call = callArbitrary(80, 6, 5);

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

  it("should keep rollups equal to a recount of the stored events", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(step, { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 1, max: 40 }),
        async (steps, flushEvents) => {
          const ws = `ws-deferred-${run++}`;
          let storage = t.storage;
          // Time never triggers a flush here; the event threshold and explicit flushes do.
          const sources = new RollupSources();
          const newQueue = (s: Storage) =>
            new IngestQueue(s, {
              rollupFlushMs: 3_600_000,
              rollupFlushEvents: flushEvents,
              rollupSources: sources,
            });
          let queue = newQueue(storage);
          const sent = new Set<string>();
          for (const s of steps) {
            if (s.kind === "submit") {
              await Promise.all(s.requests.map((r) => queue.submit(ws, r.map(callMessage))));
              for (const r of s.requests) for (const c of r) sent.add(`m-${c.id}`);
            } else if (s.kind === "direct") {
              await ingestBatch(storage, ws, s.calls.map(callMessage));
              for (const c of s.calls) sent.add(`m-${c.id}`);
            } else if (s.kind === "flush") await queue.flushRollups();
            else if (s.kind === "crash") {
              queue.close();
              storage = await openStorage(t.config);
              opened.push(storage);
              queue = newQueue(storage);
            } else await expectRollupsRecount(storage, ws, sent, sources);
          }
          await expectRollupsRecount(storage, ws, sent, sources);
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
    await queue.submit(ws, calls.map(callMessage));
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
