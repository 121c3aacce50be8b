import { openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../demo/seed-demo";
import { trainAndBacktest } from "./predictions-service";
import { storedRenewalBacktest } from "./renewal-forecast-service";
import { trainModel } from "./train";

const WS = "demo";
const ASOF = "2026-11-15";
const OPTS = { asOf: ASOF, reportingCurrency: "USD" };

describe.each(testDialects())("training the churn model stores the renewal backtest on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    await seedDemo(t.storage, { workspaceId: WS, accounts: 150, seed: 11, asOf: ASOF });
  }, 240_000);
  afterAll(async () => {
    await t.cleanup();
  });

  it("should have no stored backtest before training, and none from a training that does not replay", async () => {
    expect(await storedRenewalBacktest(t.storage, WS)).toBeNull();
    await trainAndBacktest(t.storage, WS, { ...OPTS, target: "churn" });
    expect(await storedRenewalBacktest(t.storage, WS)).toBeNull();
  }, 240_000);

  it("should replay the last four quarters when the churn model is trained and read them back unchanged", async () => {
    const r = await trainModel(t.storage, WS, {
      ...OPTS,
      target: "churn",
      now: () => "2026-11-15T12:00:00.000Z",
    });
    expect(r.renewalBacktestError).toBeUndefined();
    expect(r.renewalBacktest?.quarters.map((q) => q.quarter)).toEqual([
      "2025-Q4",
      "2026-Q1",
      "2026-Q2",
      "2026-Q3",
    ]);
    const stored = await storedRenewalBacktest(t.storage, WS);
    expect(stored).toEqual({
      ...r.renewalBacktest,
      modelId: r.modelId,
      computedAt: "2026-11-15T12:00:00.000Z",
    });
    // Stored as JSON on both dialects: numbers come back as numbers, nulls as nulls.
    expect(typeof stored?.total.renewedArr).toBe("number");
    expect(stored?.total.renewals).toBeGreaterThan(0);

    // A later retrain that does not replay (the web app's train button) keeps the stored replay.
    const later = await trainAndBacktest(t.storage, WS, { ...OPTS, target: "churn" });
    expect(later.modelId).not.toBe(r.modelId);
    expect((await storedRenewalBacktest(t.storage, WS))?.modelId).toBe(r.modelId);
  }, 480_000);

  it("should store no renewal backtest when the expansion model is trained", async () => {
    const r = await trainModel(t.storage, WS, { ...OPTS, target: "expansion" });
    expect(r.renewalBacktest).toBeNull();
    expect((await storedRenewalBacktest(t.storage, WS))?.modelId).not.toBe(r.modelId);
  }, 240_000);
});
