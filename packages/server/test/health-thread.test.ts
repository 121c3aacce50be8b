import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seedDemo } from "@tenure/services";
import { openStorage, type Storage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HealthThread } from "../src/threads/health-thread-client";

const WS = "default";
const SEEDED = "2026-06-30";
// The day after the seed (which scored its own day): what the thread scores is new.
const TODAY = "2026-07-01";
const TOMORROW = "2026-07-02";

describe("health recompute on its own thread", () => {
  let dir: string;
  let storage: Storage;
  let thread: HealthThread | undefined;
  let flushes = 0;
  let clock = TODAY;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "tenure-health-thread-"));
    storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
    await seedDemo(storage, { workspaceId: WS, accounts: 40, seed: 5, asOf: SEEDED });
    thread = await HealthThread.start({
      storage,
      intervalMinutes: 0,
      reportingCurrency: "USD",
      today: () => clock,
      flushRollups: async () => {
        flushes++;
      },
    });
  });

  afterAll(async () => {
    await thread?.stop();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("scores the accounts marked dirty, after asking the server thread to flush rollups", async () => {
    const ids = (await storage.accounts.list(WS)).map((a) => a.id);
    expect(await storage.healthScores.onDate(WS, TODAY)).toEqual([]);
    const first = ids[0] as string;
    thread?.markDirty(WS, [first]);
    // The scheduler checks its dirty list every few seconds.
    await expect
      .poll(async () => (await storage.healthScores.latest(WS, first, TODAY))?.date ?? null, {
        timeout: 20_000,
        interval: 200,
      })
      .toBe(TODAY);
    expect(flushes).toBeGreaterThan(0);
    // Only the marked account was scored.
    const scored = await storage.healthScores.onDate(WS, TODAY);
    expect(scored.map((s) => s.accountId)).toEqual([first]);
  });

  it("scores the server's new day once its clock has moved on", async () => {
    const second = (await storage.accounts.list(WS))[1]?.id as string;
    clock = TOMORROW;
    thread?.markDirty(WS, [second]);
    await expect
      .poll(async () => (await storage.healthScores.latest(WS, second, TOMORROW))?.date ?? null, {
        timeout: 20_000,
        interval: 200,
      })
      .toBe(TOMORROW);
  });
});
