import { openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedPlantedChurn } from "./planted-seed";
import { loadPredictionInputs } from "./prediction-inputs";
import {
  accountPredictions,
  latestBacktest,
  latestPredictions,
  trainAndBacktest,
} from "./predictions-service";

const WS = "ws";
const ASOF = "2025-12-31";

describe.each(testDialects())("predictions service on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    await seedPlantedChurn(t.storage, WS, { accounts: 60, asOf: ASOF });
  }, 60_000);
  afterAll(async () => {
    await t.cleanup();
  });

  it("should fold per-user usage into account-days when loading inputs", async () => {
    const inputs = await loadPredictionInputs(t.storage, WS, { asOf: ASOF, reportingCurrency: "USD" });
    const day = inputs.usage.find((u) => u.accountId === "a1");
    expect(day).toMatchObject({ activeUsers: 4, events: 12, departments: 2 });
    expect(inputs.matrix.accountIds.length).toBe(60);
  });

  it("should backtest, store the model and score paying accounts when trained", async () => {
    const r = await trainAndBacktest(t.storage, WS, {
      asOf: ASOF,
      target: "churn",
      reportingCurrency: "USD",
      now: () => "2026-01-01T00:00:00.000Z",
    });
    expect(r.backtest.metrics.chosen.auc).toBeGreaterThan(0.8);
    expect(r.scored).toBe(40);
    const stored = await latestBacktest(t.storage, WS, "churn");
    expect(stored).toMatchObject({ modelId: r.modelId, trainedAt: "2026-01-01T00:00:00.000Z" });
    expect(stored?.backtest.metrics.chosen.auc).toBeCloseTo(r.backtest.metrics.chosen.auc, 12);
    const top = await latestPredictions(t.storage, WS, "churn", 5);
    expect(top).toHaveLength(5);
    expect(top[0]!.probability).toBeGreaterThanOrEqual(top[4]!.probability);
    expect(top[0]!.reasons.length).toBeGreaterThan(0);
    const one = await accountPredictions(t.storage, WS, top[0]!.accountId);
    expect(one.churn?.probability).toBe(top[0]!.probability);
    expect(one.expansion).toBeNull();
  });
});
