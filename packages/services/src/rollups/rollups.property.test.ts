import { openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importEvents } from "../bulk-import/import-events";
import { IngestQueue } from "../tracking/ingest-queue";
import { type Call, callArbitrary, callJson, callMessage, expectRollupsRecount } from "./rollup-test-calls";

const call = callArbitrary(60, 5, 6);

/** A Segment call as a JSON line. */
const line = (c: Call) => JSON.stringify(callJson(c));

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
  const expectConsistent = (ws: string, calls: Call[]) =>
    expectRollupsRecount(
      t.storage,
      ws,
      calls.map((c) => `m-${c.id}`),
    );

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
          await Promise.all(requests.map((r) => queue.submit(ws, r.map(callMessage))));
          await expectConsistent(ws, all);
          queue.close();
        },
      ),
      { numRuns: dialect === "sqlite" ? 40 : 12 },
    );
  });
});
