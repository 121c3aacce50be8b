import { openStorage, openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../demo/seed-demo";
import { accountClvOf, clearPortfolioCache } from "./portfolio-data";
import { portfolioPredictions } from "./portfolio-service";
import { accountPredictions, latestPredictions, trainAndBacktest } from "./predictions-service";
import { renewalBacktest, renewalForecast } from "./renewal-forecast-service";

const WS = "demo";
const ASOF = "2026-11-15";
const OPTS = { asOf: ASOF, reportingCurrency: "USD", grossMargin: 0.8 };

describe.each(testDialects())("portfolio predictions on a demo company on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    await seedDemo(t.storage, { workspaceId: WS, accounts: 200, seed: 7, asOf: ASOF });
    for (const target of ["churn", "expansion"] as const)
      await trainAndBacktest(t.storage, WS, { ...OPTS, target, now: () => "2026-11-15T12:00:00.000Z" });
  }, 240_000);
  afterAll(async () => {
    await t.cleanup();
  });

  it("should give every scored account probabilities in [0, 1] with reasons when both models are trained", async () => {
    for (const target of ["churn", "expansion"] as const) {
      const rows = await latestPredictions(t.storage, WS, target);
      expect(rows.length).toBeGreaterThan(50);
      for (const r of rows) {
        expect(r.probability).toBeGreaterThanOrEqual(0);
        expect(r.probability).toBeLessThanOrEqual(1);
        expect(r.reasons.length).toBeGreaterThan(0);
      }
    }
  });

  it("should sum ARR × churn probability into ARR at risk and value accounts with the tier's sBG fit", async () => {
    const p = await portfolioPredictions(t.storage, WS, { ...OPTS, top: 5 });
    const churn = await latestPredictions(t.storage, WS, "churn");
    let expected = 0;
    for (const c of churn) {
      const v = await accountClvOf(t.storage, WS, c.accountId, OPTS);
      expected += (v.clv?.arr ?? 0) * c.probability;
    }
    expect(p.arrAtRisk.total).toBeCloseTo(expected, 6);
    expect(p.arrAtRisk.largest).toHaveLength(5);
    expect(p.arrAtRisk.largest[0]!.atRisk).toBeGreaterThanOrEqual(p.arrAtRisk.largest[4]!.atRisk);
    expect(p.retention?.alpha).toBeGreaterThan(0);
    expect(p.bySegment.reduce((s, x) => s + x.clvTotal, 0)).toBeCloseTo(p.clvTotal, 4);
    expect(p.byChannel.reduce((s, x) => s + x.clvTotal, 0)).toBeCloseTo(p.clvTotal, 4);
    const withBoth = p.byChannel.filter((c) => c.simpleLtv !== null && c.modelLtv !== null);
    expect(withBoth.length).toBeGreaterThan(0);
    for (const c of withBoth) expect(c.modelLtv! / c.model!.del).toBeCloseTo(c.arpa! * 0.8, 6);
    expect(p.highPotential.smallSegment).toBe("smb");
    for (const h of p.highPotential.accounts) {
      expect(h.multiple).toBeGreaterThanOrEqual(3);
      expect(h.clv / p.highPotential.averageClv!).toBeCloseTo(h.multiple, 9);
    }
  });

  it("should report an account's CLV as margin × MRR × DERL and its predictions side by side", async () => {
    const top = (await latestPredictions(t.storage, WS, "churn", 1))[0]!;
    const v = await accountClvOf(t.storage, WS, top.accountId, OPTS);
    expect(v.clv).not.toBeNull();
    expect(v.clv!.clv).toBeCloseTo(0.8 * v.clv!.mrr * v.clv!.derl, 6);
    expect(v.clv!.model.alpha).toBeGreaterThan(0);
    const both = await accountPredictions(t.storage, WS, top.accountId);
    expect(both.churn?.probability).toBe(top.probability);
    expect(both.expansion).not.toBeNull();
    const none = await accountClvOf(t.storage, WS, "no-such-account", OPTS);
    expect(none).toMatchObject({ clv: null, reason: "the account is not paying at this date" });
  });

  it("should never value accounts with an sBG fit at its bound, and say which model stood in", async () => {
    const p = await portfolioPredictions(t.storage, WS, OPTS);
    expect(p.bySegment.length).toBeGreaterThan(0);
    for (const s of p.bySegment) {
      const m = s.model!;
      expect(["sbg", "pooled_sbg", "observed_retention"]).toContain(m.method);
      if (m.method === "sbg") expect(m.warnings.some((w) => w.includes("bound"))).toBe(false);
      else expect(m.fallbackReason).toMatch(/.+/);
    }
    expect(p.arrTotal).toBeGreaterThan(0);
    expect(p.clvTotal).toBeGreaterThan(0);
  });

  it("should value an at-risk account below its healthy twin (same tier, MRR and tenure)", async () => {
    const churn = await latestPredictions(t.storage, WS, "churn");
    const id = churn[churn.length >> 1]!.accountId;
    const withProbability = async (probability: number) => {
      await t.storage.predictions.replace(
        WS,
        "churn",
        churn.map((c) => ({ ...c, probability: c.accountId === id ? probability : c.probability })),
      );
      clearPortfolioCache();
      return (await accountClvOf(t.storage, WS, id, OPTS)).clv!;
    };
    try {
      const healthy = await withProbability(0.01);
      const atRisk = await withProbability(0.6);
      expect(atRisk.churnProbability).toBe(0.6);
      expect(atRisk.monthlyChurn!).toBeGreaterThan(healthy.monthlyChurn!);
      expect(atRisk.mrr).toBe(healthy.mrr);
      expect(atRisk.clv).toBeLessThan(healthy.clv);
    } finally {
      await t.storage.predictions.replace(WS, "churn", churn);
      clearPortfolioCache();
    }
  });

  it("should forecast renewals whose periods and totals equal the sums of the rows", async () => {
    const f = await renewalForecast(t.storage, WS, { ...OPTS, days: 365, periodBy: "quarter" });
    expect(f.rows.length).toBeGreaterThan(10);
    const arr = f.rows.reduce((s, r) => s + r.arr, 0);
    const expected = f.rows.reduce((s, r) => s + (r.expectedArr ?? 0), 0);
    expect(f.totals.arr).toBeCloseTo(arr, 6);
    expect(f.totals.expectedArr).toBeCloseTo(expected, 6);
    expect(f.periods.reduce((s, p) => s + p.expectedArr, 0)).toBeCloseTo(expected, 6);
    expect(f.periods.reduce((s, p) => s + p.renewals, 0)).toBe(f.rows.length);
    const sources = new Set(f.rows.map((r) => r.source));
    expect(sources.has("model")).toBe(true);
    // One method at every horizon: every scored account is valued by the calibrated model.
    expect(f.rows.filter((r) => r.churnProbability !== null).every((r) => r.source === "model")).toBe(true);
    for (const r of f.rows) {
      expect(r.renewalDate > ASOF && r.renewalDate <= f.until).toBe(true);
      expect(r.expectedArr).toBeCloseTo(r.arr * r.renewalProbability!, 9);
      if (r.source === "segment_history")
        expect(r.renewalProbability).toBe(f.history.find((h) => h.segment === r.segment)!.calibratedRate);
      if (r.source === "model") {
        expect(r.historicalRate).toBe(f.history.find((h) => h.segment === r.segment)!.calibratedRate);
        expect(r.modelWeight).toBeGreaterThan(0);
      }
    }
    expect(f.riskExponent.riskExponent).toBeGreaterThanOrEqual(0);
    expect(f.riskExponent.riskExponent).toBeLessThanOrEqual(1);
    expect(f.riskExponent.quarters).toEqual(["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]);
    await expect(renewalForecast(t.storage, WS, { ...OPTS, days: 0 })).rejects.toThrow(/days must be/);
    const quarter = await renewalForecast(t.storage, WS, { ...OPTS, quarters: 1 });
    expect(quarter.until).toBe("2026-12-31");
    expect(quarter.rows.every((r) => r.renewalDate <= "2026-12-31")).toBe(true);
  });

  it("should store the forecast's calibration and reuse it on any later day of the quarter from another handle", async () => {
    const first = await renewalForecast(t.storage, WS, { ...OPTS, days: 90 });
    const saved = await t.storage.workspaceSettings.get(WS, "renewal-forecast-calibration");
    const value = saved?.value as { key: string; calibration: { fit: { riskExponent: number } } };
    expect(value.key).toContain("2025-Q4,2026-Q1,2026-Q2,2026-Q3|USD|");
    expect(value.calibration.fit).toEqual(first.riskExponent);
    // A stored fit is what a new process reads (no refit): mark it and read it back from a new handle.
    const marked = {
      ...value,
      calibration: { ...value.calibration, fit: { ...value.calibration.fit, riskExponent: 0.123 } },
    };
    await t.storage.workspaceSettings.set(WS, "renewal-forecast-calibration", marked);
    const other = await openStorage(t.config);
    try {
      const later = await renewalForecast(other, WS, { ...OPTS, asOf: "2026-12-20", days: 90 });
      expect(later.riskExponent.riskExponent).toBe(0.123);
      // Next quarter: other quarters, so it is fitted again.
      const next = await renewalForecast(other, WS, { ...OPTS, asOf: "2027-01-05", days: 90 });
      expect(next.riskExponent.quarters).toEqual(["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]);
    } finally {
      await other.close();
      await t.storage.workspaceSettings.set(WS, "renewal-forecast-calibration", value);
    }
  });

  it("should replay each of the last four completed quarters from its start against the ARR that renewed", async () => {
    const b = await renewalBacktest(t.storage, WS, { asOf: ASOF, reportingCurrency: "USD", quarters: 2 });
    expect(b.quarters.map((q) => [q.quarter, q.forecastAsOf, q.from, q.to])).toEqual([
      ["2026-Q2", "2026-03-31", "2026-04-01", "2026-06-30"],
      ["2026-Q3", "2026-06-30", "2026-07-01", "2026-09-30"],
    ]);
    for (const q of b.quarters) {
      expect(q.renewals).toBeGreaterThan(0);
      expect(q.renewedArr).toBeLessThanOrEqual(q.arr + 1e-6);
      expect(q.error).toBeCloseTo(q.expectedArr - q.renewedArr, 6);
      expect(q.riskExponent).toBeGreaterThanOrEqual(0);
    }
    expect(b.total.renewals).toBe(b.quarters.reduce((s, q) => s + q.renewals, 0));
    expect(b.total.renewedArr).toBeCloseTo(
      b.quarters.reduce((s, q) => s + q.renewedArr, 0),
      6,
    );
    expect(b.calibration.reduce((s, x) => s + x.renewals, 0)).toBe(b.total.renewals);
    // The renewal history the forecast starts from holds: within 25% of what renewed on a small book.
    expect(Math.abs(b.total.relativeError!)).toBeLessThan(0.25);
  }, 240_000);
});
