import { openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../demo/seed-demo";
import { trainAndBacktest } from "./predictions-service";
import {
  RENEWAL_BACKTEST_COMMAND,
  RENEWAL_BACKTEST_LEASE_MS,
  renewalBacktestLease,
  renewalBacktestStatus,
} from "./renewal-backtest-job";
import { RenewalBacktestRunner } from "./renewal-backtest-runner";

const WS = "demo";
const ASOF = "2026-11-15";

describe.each(testDialects())("the renewal backtest computed in the background on %s", (dialect) => {
  let t: TestStorage;
  let modelId: string;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    await seedDemo(t.storage, { workspaceId: WS, accounts: 150, seed: 11, asOf: ASOF });
    // The web app's training: it stores the model but replays no quarter.
    modelId = (
      await trainAndBacktest(t.storage, WS, { asOf: ASOF, reportingCurrency: "USD", target: "churn" })
    ).modelId;
  }, 240_000);
  afterAll(async () => {
    await t.cleanup();
  });

  it("should answer none with the command when nothing was ever computed", async () => {
    expect(await renewalBacktestStatus(t.storage, WS)).toEqual({
      status: "none",
      command: RENEWAL_BACKTEST_COMMAND,
    });
  });

  it("should answer pending and start nothing while another process holds the workspace's lease", async () => {
    const name = renewalBacktestLease(WS);
    expect(await t.storage.leases.acquire(name, "other-server:7", RENEWAL_BACKTEST_LEASE_MS)).toBe(true);
    const runner = new RenewalBacktestRunner({
      storage: t.storage,
      reportingCurrency: "USD",
      threads: false,
    });
    expect(await runner.start(WS, modelId, ASOF)).toBe(false);
    expect(runner.isRunning(WS)).toBe(false);
    expect((await renewalBacktestStatus(t.storage, WS)).status).toBe("pending");
    await t.storage.leases.release(name, "other-server:7");
    expect((await renewalBacktestStatus(t.storage, WS)).status).toBe("none");
  });

  it("should compute once for two trainings in a row and then answer ready with the stored replay", async () => {
    const errors: unknown[] = [];
    const runner = new RenewalBacktestRunner({
      storage: t.storage,
      reportingCurrency: "USD",
      threads: false,
      onError: (e) => errors.push(e),
      onSkipped: (reason) => errors.push(reason),
    });
    expect(await runner.start(WS, modelId, ASOF)).toBe(true);
    // The second training finds the lease taken: no second computation.
    expect(await runner.start(WS, modelId, ASOF)).toBe(false);
    expect(await renewalBacktestStatus(t.storage, WS)).toEqual({
      status: "pending",
      command: RENEWAL_BACKTEST_COMMAND,
    });
    await runner.idle();
    expect(errors).toEqual([]);
    expect(runner.isRunning(WS)).toBe(false);
    expect(await t.storage.leases.current(renewalBacktestLease(WS))).toBeNull();
    const ready = await renewalBacktestStatus(t.storage, WS);
    expect(ready.status).toBe("ready");
    if (ready.status !== "ready") return;
    expect(ready.modelId).toBe(modelId);
    expect(ready.quarters.map((q) => q.quarter)).toEqual(["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]);
  }, 480_000);
});
