import type { Subscription } from "@tenure/core";
import {
  bareUsageUser,
  minimalAccount,
  openTestStorage,
  type TestStorage,
  testDialects,
  type UsageRollup,
} from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addDays, dayNumber } from "../health/days";
import { loadPredictionInputs } from "./prediction-inputs";
import {
  accountPredictions,
  latestBacktest,
  latestPredictions,
  trainAndBacktest,
} from "./predictions-service";

const WS = "ws";
const ASOF = "2025-12-31";

/** Test data: `n` accounts since 2024; churners' active users fall to one in the 60 days before they leave. */
export async function seedPlanted(t: TestStorage, n = 60): Promise<void> {
  const s = t.storage;
  const subs: Subscription[] = [];
  const rollups: UsageRollup[] = [];
  const users = [];
  let seed = 12345;
  const rng = () => {
    seed = (seed * 1103515245 + 12345) % 2147483648;
    return seed / 2147483648;
  };
  for (let i = 0; i < n; i++) {
    const id = `a${i}`;
    const startMonth = 1 + Math.floor(rng() * 4);
    const startDate = `2024-0${startMonth}-01`;
    const churns = i % 3 === 0;
    const endMonth = 9 + Math.floor(rng() * 15); // 2024-09 .. 2025-11
    const endDate = churns
      ? `${2024 + Math.floor((endMonth - 1) / 12)}-${String(((endMonth - 1) % 12) + 1).padStart(2, "0")}-01`
      : null;
    subs.push({
      id: `s${i}`,
      accountId: id,
      plan: "pro",
      startDate,
      endDate,
      amount: 100,
      currency: "USD",
      interval: "month",
      quantity: 5,
      discountPct: 0,
      trial: false,
    });
    for (let u = 0; u < 4; u++)
      users.push({
        ...bareUsageUser(`${id}-u${u}`, `${id}-u${u}`, null),
        accountId: id,
        department: `d${u % 2}`,
      });
    const last = endDate === null ? ASOF : addDays(endDate, -1);
    const declineFrom = endDate === null ? Number.POSITIVE_INFINITY : dayNumber(endDate) - 60;
    for (let day = startDate; day <= last; day = addDays(day, 4)) {
      const active = dayNumber(day) >= declineFrom ? 1 : 4;
      for (let u = 0; u < active; u++)
        rollups.push({ userKey: `${id}-u${u}`, day, event: "Report", count: 3 });
    }
  }
  await s.accounts.upsertMany(
    WS,
    Array.from({ length: n }, (_, i) => minimalAccount(`a${i}`)),
  );
  await s.subscriptions.upsertMany(WS, subs);
  await s.usageUsers.upsertMany(WS, users);
  await s.usageRollups.addCounts(WS, rollups);
}

describe.each(testDialects())("predictions service on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    await seedPlanted(t);
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
