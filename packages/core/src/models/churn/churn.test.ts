import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { firstDayOfMonth, monthRange } from "../../month";
import { buildMrrMatrix } from "../../revenue/mrr-matrix";
import { account, sub } from "../../revenue/test-fixtures";
import { predictProbabilities } from "../ml/classifier";
import { backtest, scoreAccounts } from "./backtest";
import { buildChurnDataset, buildScoringRows } from "./features";
import { classifierFromJson, classifierToJson } from "./model-json";
import { plantedInputs, plantedMonths } from "./test-data";
import type { ChurnInputs } from "./types";

const base = plantedInputs(120, 3);

/** Changes every input dated on or after `date` (and every later MRR column). */
function mutateFrom(inputs: ChurnInputs, date: string, seed: number): ChurnInputs {
  const bump = (v: number) => v * 3 + seed;
  const firstCol = inputs.matrix.months.findIndex((m) => firstDayOfMonth(m) >= date);
  const m = inputs.matrix.months.length;
  const values = inputs.matrix.values.slice();
  if (firstCol >= 0)
    for (let a = 0; a < inputs.matrix.accountIds.length; a++)
      for (let c = firstCol; c < m; c++) values[a * m + c] = bump(values[a * m + c]!);
  return {
    ...inputs,
    matrix: { ...inputs.matrix, values },
    subscriptions: [
      ...inputs.subscriptions.map((s) =>
        s.endDate !== null && s.endDate > date
          ? { ...s, endDate: date > s.startDate ? "2030-01-01" : s.endDate }
          : s,
      ),
      {
        ...inputs.subscriptions[0]!,
        id: "new",
        accountId: "a1",
        startDate: date,
        plan: "huge",
        quantity: 500,
      },
    ],
    usage: [
      ...inputs.usage.map((u) =>
        u.day >= date ? { ...u, activeUsers: bump(u.activeUsers), events: 0, departments: 9 } : u,
      ),
      { accountId: "a1", day: date, activeUsers: 99, events: 999, departments: 9 },
    ],
    timeline: [
      ...inputs.timeline,
      { accountId: "a1", type: "ticket", occurredAt: `${date}T00:00:00.000Z`, data: {} },
      { accountId: "a2", type: "nps", occurredAt: `${date}T00:00:00.000Z`, data: { score: seed % 11 } },
    ],
    health: inputs.health.map((h) => (h.date >= date ? { ...h, score: seed } : h)),
  };
}

describe("buildChurnDataset", () => {
  it("should keep a row's features unchanged when any data on or after its prediction date changes", () => {
    const months = plantedMonths();
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: months.length - 1 }),
        fc.integer({ min: 1, max: 50 }),
        (mi, seed) => {
          const month = months[mi]!;
          const before = buildChurnDataset(base, { months: [month], target: "churn" });
          const after = buildChurnDataset(mutateFrom(base, firstDayOfMonth(month), seed), {
            months: [month],
            target: "churn",
          });
          expect(after.rows.map((r) => [r.accountId, r.features])).toEqual(
            before.rows.map((r) => [r.accountId, r.features]),
          );
        },
      ),
      { numRuns: 10 },
    );
  });

  it("should label churn within the horizon and leave labels null when the horizon passes the data", () => {
    const subs = [
      sub({ accountId: "stay", startDate: "2024-01-01" }),
      sub({ accountId: "leave", startDate: "2024-01-01", endDate: "2024-06-01" }),
      sub({ accountId: "grow", startDate: "2024-01-01", endDate: "2024-05-01" }),
      sub({ accountId: "grow", startDate: "2024-05-01", amount: 300 }),
    ];
    const inputs: ChurnInputs = {
      accounts: ["stay", "leave", "grow"].map((id) => account({ id })),
      subscriptions: subs,
      matrix: buildMrrMatrix(subs, [], { reportingCurrency: "USD", asOf: "2024-08-15" }),
      contacts: [],
      usage: [],
      timeline: [],
      health: [],
    };
    const label = (target: "churn" | "expansion", month: string, horizonDays = 90) =>
      Object.fromEntries(
        buildChurnDataset(inputs, { months: [month], target, horizonDays }).rows.map((r) => [
          r.accountId,
          r.label,
        ]),
      );
    // From 2024-04-01 the 90-day horizon covers April-June: "leave" has no MRR in June.
    expect(label("churn", "2024-04")).toEqual({ stay: 0, leave: 1, grow: 0 });
    expect(label("churn", "2024-04", 30)).toEqual({ stay: 0, leave: 0, grow: 0 });
    expect(label("expansion", "2024-03")).toEqual({ stay: 0, leave: 0, grow: 1 });
    expect(label("expansion", "2024-02")).toEqual({ stay: 0, leave: 0, grow: 0 });
    // Not paying on the day before July: no row for "leave"; the horizon July-September passes August.
    expect(label("churn", "2024-07")).toEqual({ stay: null, grow: null });
  });
});

describe("backtest", () => {
  const inputs = plantedInputs(400, 11);
  const dataset = buildChurnDataset(inputs, { months: plantedMonths(), target: "churn" });
  const result = backtest(dataset, { trainUntil: "2025-03", testFrom: "2025-06" });

  it("should find the planted usage signal when churners' usage falls before they leave", () => {
    expect(result.metrics.chosen.auc).toBeGreaterThan(0.8);
    expect(result.metrics.logistic.auc).toBeGreaterThan(0.7);
    expect(result.metrics.gbt.auc).toBeGreaterThan(0.7);
    expect(result.metrics.chosen.liftTopDecile).toBeGreaterThan(1.5);
    expect(result.roc[0]).toEqual({ fpr: 0, tpr: 0 });
    expect(result.roc.at(-1)).toEqual({ fpr: 1, tpr: 1 });
    expect(result.calibration).toHaveLength(10);
    expect(result.lift.at(-1)?.lift).toBeCloseTo(1, 9);
    expect(result.trainRows + result.testRows).toBeLessThan(dataset.rows.length);
  });

  it("should score with top reasons and survive a JSON round trip when the model is stored", () => {
    const rows = buildScoringRows(inputs, "2025-12-31");
    const scores = scoreAccounts(result.model, rows, 3);
    expect(scores.length).toBe(rows.length);
    expect(scores[0]!.reasons.length).toBeGreaterThan(0);
    const stored = classifierFromJson(JSON.parse(JSON.stringify(classifierToJson(result.model))));
    const a = predictProbabilities(
      result.model,
      rows.map((r) => r.features),
    );
    const b = predictProbabilities(
      stored,
      rows.map((r) => r.features),
    );
    expect(Array.from(b)).toEqual(Array.from(a));
  });

  it("should never lower the churn probability when days without use rise, active users or health fall", () => {
    const rows = buildScoringRows(inputs, "2025-12-31");
    const num = (v: unknown, fallback: number) => (typeof v === "number" ? v : fallback);
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: rows.length - 1 }),
        fc.integer({ min: 1, max: 200 }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        (i, days, share) => {
          const f = rows[i]!.features;
          const worse = [
            { ...f, daysSinceLastUsage: num(f.daysSinceLastUsage, 0) + days },
            { ...f, activeUsers28d: num(f.activeUsers28d, 10) * (1 - share) },
            { ...f, healthScore: num(f.healthScore, 60) - share * 60 },
            { ...f, activeUsersTrend: num(f.activeUsersTrend, 1) * (1 - share) },
          ];
          const same = [
            { ...f, daysSinceLastUsage: num(f.daysSinceLastUsage, 0) },
            { ...f, activeUsers28d: num(f.activeUsers28d, 10) },
            { ...f, healthScore: num(f.healthScore, 60) },
            { ...f, activeUsersTrend: num(f.activeUsersTrend, 1) },
          ];
          const p = predictProbabilities(result.model, [...same, ...worse]);
          for (let k = 0; k < same.length; k++)
            expect(p[k + same.length]!).toBeGreaterThanOrEqual(p[k]! - 1e-12);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("should train on expansion labels when the target is expansion", () => {
    const ds = buildChurnDataset(inputs, { months: monthRange("2024-04", "2025-12"), target: "expansion" });
    const r = backtest(ds, { trainUntil: "2025-03", testFrom: "2025-06" });
    expect(r.target).toBe("expansion");
    expect(r.metrics.chosen.auc).toBeGreaterThan(0.7);
  });
});
