import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestStorage, type TestStorage, testDialects } from "../testing";

describe.each(testDialects())("prediction repository on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("should return the latest model of a target when several were trained", async () => {
    const { predictions } = t.storage;
    const model = { weights: [1.5, -2], nested: { x: "Infinity" } };
    await predictions.saveModel("w", {
      id: "m1",
      target: "churn",
      kind: "logistic",
      asOf: "2026-01-31",
      trainedAt: "2026-02-01T00:00:00.000Z",
      model,
      backtest: { auc: 0.7 },
    });
    await predictions.saveModel("w", {
      id: "m2",
      target: "churn",
      kind: "gbt",
      asOf: "2026-02-28",
      trainedAt: "2026-03-01T00:00:00.000Z",
      model,
      backtest: { auc: 0.8 },
    });
    const latest = await predictions.latestModel("w", "churn");
    expect(latest).toMatchObject({ id: "m2", kind: "gbt", backtest: { auc: 0.8 }, model });
    expect(await predictions.latestModel("w", "expansion")).toBeNull();
    expect(await predictions.latestModel("other", "churn")).toBeNull();
  });

  it("should replace a target's predictions and list them by probability when retrained", async () => {
    const { predictions } = t.storage;
    const row = (accountId: string, probability: number, target = "churn") => ({
      accountId,
      target,
      modelId: "m1",
      probability,
      reasons: [{ feature: "usageTrend", value: 0.4, contribution: 1.2 }],
      createdAt: "2026-03-01T00:00:00.000Z",
    });
    await predictions.replace("w", "churn", [row("a", 0.2), row("b", 0.9), row("c", 0.5)]);
    await predictions.replace("w", "expansion", [row("a", 0.3, "expansion")]);
    expect((await predictions.list("w", "churn")).map((r) => r.accountId)).toEqual(["b", "c", "a"]);
    expect(await predictions.list("w", "churn", 1)).toEqual([row("b", 0.9)]);
    await predictions.replace("w", "churn", [row("c", 0.1)]);
    expect((await predictions.list("w", "churn")).map((r) => r.accountId)).toEqual(["c"]);
    const forA = await predictions.forAccount("w", "a");
    expect(forA.map((r) => [r.target, r.probability])).toEqual([["expansion", 0.3]]);
  });

  it("should keep one renewal backtest per model and return the latest computed one per workspace", async () => {
    const { predictions } = t.storage;
    expect(await predictions.latestRenewalBacktest("rb")).toBeNull();
    const result = (error: number | null) => ({
      quarters: [{ quarter: "2026-Q3", error }],
      total: { brier: null },
    });
    const at = (day: string) => `2026-03-${day}T00:00:00.000Z`;
    await predictions.saveRenewalBacktest("rb", {
      modelId: "m1",
      asOf: "2026-03-01",
      computedAt: at("01"),
      result: result(1.5),
    });
    await predictions.saveRenewalBacktest("rb", {
      modelId: "m2",
      asOf: "2026-03-02",
      computedAt: at("02"),
      result: result(-2),
    });
    expect(await predictions.latestRenewalBacktest("rb")).toEqual({
      modelId: "m2",
      asOf: "2026-03-02",
      computedAt: at("02"),
      result: result(-2),
    });
    // Recomputed for an older model later (replaced: the key is workspace and model): now the latest.
    await predictions.saveRenewalBacktest("rb", {
      modelId: "m1",
      asOf: "2026-03-01",
      computedAt: at("03"),
      result: result(null),
    });
    expect(await predictions.latestRenewalBacktest("rb")).toMatchObject({
      modelId: "m1",
      result: result(null),
    });
    expect(await predictions.latestRenewalBacktest("other")).toBeNull();
  });
});
