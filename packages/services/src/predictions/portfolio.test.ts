import { openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../demo/seed-demo";
import { accountClvOf } from "./portfolio-data";
import { portfolioPredictions } from "./portfolio-service";
import { accountPredictions, latestPredictions, trainAndBacktest } from "./predictions-service";
import { renewalForecast } from "./renewal-forecast-service";

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
    expect(sources.has("segment_history")).toBe(true);
    for (const r of f.rows) {
      expect(r.renewalDate > ASOF && r.renewalDate <= f.until).toBe(true);
      if (r.source === "model") expect(r.expectedArr).toBeCloseTo(r.arr * (1 - r.churnProbability!), 9);
      if (r.source === "segment_history")
        expect(r.renewalProbability).toBe(f.history.find((h) => h.segment === r.segment)!.rate);
    }
    await expect(renewalForecast(t.storage, WS, { ...OPTS, days: 0 })).rejects.toThrow(/days must be/);
    const quarter = await renewalForecast(t.storage, WS, { ...OPTS, quarters: 1 });
    expect(quarter.until).toBe("2026-12-31");
    expect(quarter.rows.every((r) => r.renewalDate <= "2026-12-31")).toBe(true);
  });
});
