import { openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { IngestQueue } from "../tracking/ingest-queue";
import { catchUpRollups } from "./deferred-rollups";
import { RollupSources } from "./rollup-sources";
import { callMessage } from "./rollup-test-calls";

const total = async (t: TestStorage, ws: string) =>
  (await t.storage.usageRollups.list(ws)).reduce((n, r) => n + r.count, 0);

describe.each(testDialects())("RollupSources (%s)", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it("should flush the queues registered in the sources passed, and not those of another registry", async () => {
    const ws = "ws-sources";
    const sources = new RollupSources();
    const other = new RollupSources();
    const flushes: string[] = [];
    other.add({ flushRollups: async () => void flushes.push("other") });
    const queue = new IngestQueue(t.storage, { rollupFlushMs: 3_600_000, rollupSources: sources });
    await queue.submit(
      ws,
      [0, 1, 2].map((id) => callMessage({ type: "track", id, user: id, day: 1, event: 0 })),
    );
    expect(await total(t, ws)).toBe(0);

    // Another registry's sources are not flushed (no module-level registry shared by every store).
    await catchUpRollups(t.storage, sources);
    expect(flushes).toEqual([]);
    expect(await total(t, ws)).toBe(3);

    queue.close();
  });
});
