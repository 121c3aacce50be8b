import type { Principal } from "@tenure/core";
import { openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setAccessSettings } from "../access/book-scope";
import { seedDemo } from "../demo/seed-demo";
import { DEMO_SAVE_ROI } from "../demo/seed-renewals";
import { renewalForecast } from "../predictions/renewal-forecast-service";
import {
  createReferral,
  importSurveyCsv,
  recordSurveyResponses,
  referralReport,
  surveySummary,
} from "./advocacy-service";
import { churnReasons, saveChurnReasons } from "./churn-reasons";
import {
  churnReasonReport,
  createSaveCampaign,
  recordRenewalOutcomes,
  renewalCalendar,
  renewalOutcomes,
  saveCampaignReport,
} from "./renewal-service";

const WS = "demo";
const ASOF = "2026-11-15";
const OPTS = { asOf: ASOF, reportingCurrency: "USD" };

describe.each(testDialects())("renewals and advocacy on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    await seedDemo(t.storage, { workspaceId: WS, accounts: 150, seed: 11, asOf: ASOF });
  }, 240_000);
  afterAll(async () => {
    await t.cleanup();
  });

  it("should find about 40% of the demo's churn manageable, needs not met the largest reason, and its save ROI 2.23", async () => {
    const a = await churnReasonReport(t.storage, WS, {});
    expect(a.churned).toBeGreaterThan(10);
    expect(a.manageableShare).toBeGreaterThan(0.25);
    expect(a.manageableShare).toBeLessThan(0.55);
    const largest = [...a.reasons].sort((x, y) => y.count - x.count)[0];
    expect(largest?.key).toBe("needs_not_met");
    expect(a.reasons.reduce((s, r) => s + r.lostArr, 0)).toBeCloseTo(a.lostArr, 6);
    const c = await saveCampaignReport(t.storage, WS);
    expect(c.campaigns).toHaveLength(1);
    expect(c.campaigns[0]?.roi).toBeCloseTo(DEMO_SAVE_ROI, 2);
    expect(c.campaigns[0]?.saved).toBe(9);
    expect(c.campaigns[0]?.arrSaved).toBeCloseTo((c.campaigns[0]?.cost ?? 0) * DEMO_SAVE_ROI, -1);
  });

  it("should give each calendar renewal the forecast's own probability and sum months and owners into the totals", async () => {
    const cal = await renewalCalendar(t.storage, WS, { ...OPTS, months: 6 });
    expect(cal.until).toBe("2027-04-30");
    expect(cal.rows.length).toBeGreaterThan(0);
    const f = await renewalForecast(t.storage, WS, { ...OPTS, days: 166 });
    const forecast = new Map(f.rows.map((r) => [`${r.accountId} ${r.renewalDate}`, r.renewalProbability]));
    for (const r of cal.rows) {
      expect(r.renewalDate <= cal.until && r.renewalDate > ASOF).toBe(true);
      expect(r.renewalProbability).toBe(forecast.get(`${r.accountId} ${r.renewalDate}`));
    }
    const sum = (xs: { arr: number }[]) => xs.reduce((s, x) => s + x.arr, 0);
    expect(sum(cal.byMonth)).toBeCloseTo(cal.totals.arr, 6);
    expect(sum(cal.byOwner)).toBeCloseTo(cal.totals.arr, 6);
    expect(cal.byMonth.reduce((s, m) => s + m.renewals, 0)).toBe(cal.rows.length);
    const owner = cal.byOwner[0]?.key ?? "";
    const mine = await renewalCalendar(t.storage, WS, { ...OPTS, months: 6, owner });
    expect(mine.rows.every((r) => (r.owner ?? "") === owner)).toBe(true);
    expect(mine.totals.arr).toBeCloseTo(cal.byOwner[0]?.arr ?? 0, 6);
  });

  it("should show a CSM only its own accounts' renewals when the workspace keeps CSMs to their book", async () => {
    const all = await renewalCalendar(t.storage, WS, { ...OPTS, months: 6 });
    const owned = await Promise.all(
      (await t.storage.team.listMembers(WS)).map(async (m) => ({
        m,
        ids: await t.storage.team.accountsOf(WS, m.id),
      })),
    );
    const mine = owned.find((o) => all.rows.some((r) => o.ids.includes(r.accountId)));
    if (mine === undefined) throw new Error("no member owns a renewing account");
    const csm: Principal = {
      workspaceId: WS,
      role: "csm",
      actor: { type: "user", id: "u", label: "csm" },
      memberId: mine.m.id,
      teamIds: null,
    };
    expect((await renewalCalendar(t.storage, WS, { ...OPTS, months: 6, principal: csm })).rows).toEqual(
      all.rows,
    );
    await setAccessSettings(t.storage, WS, { csmReadsAllAccounts: false });
    try {
      const cal = await renewalCalendar(t.storage, WS, { ...OPTS, months: 6, principal: csm });
      expect(cal.rows.length).toBeGreaterThan(0);
      expect(cal.rows.length).toBeLessThan(all.rows.length);
      expect(cal.rows.every((r) => mine.ids.includes(r.accountId))).toBe(true);
      expect(cal.totals.renewals).toBe(cal.rows.length);
      const f = await renewalForecast(t.storage, WS, { ...OPTS, days: 166, principal: csm });
      expect(f.rows.map((r) => r.accountId).sort()).toEqual(cal.rows.map((r) => r.accountId).sort());
    } finally {
      await setAccessSettings(t.storage, WS, { csmReadsAllAccounts: true });
    }
  });

  it("should refuse outcomes that do not fit, naming the field, and replace an account's outcome for the same date", async () => {
    const cal = await renewalCalendar(t.storage, WS, { ...OPTS, months: 6 });
    const row = cal.rows[0];
    if (row === undefined) throw new Error("no renewal on the calendar");
    const base = { accountId: row.accountId, renewalDate: row.renewalDate };
    await expect(
      recordRenewalOutcomes(t.storage, WS, [{ ...base, outcome: "churned" }], OPTS),
    ).rejects.toThrow(/^reasonKey: a churn needs a reason/);
    await expect(
      recordRenewalOutcomes(t.storage, WS, [{ ...base, outcome: "churned", reasonKey: "weather" }], OPTS),
    ).rejects.toThrow(/^reasonKey: "weather" is not a reason/);
    await expect(
      recordRenewalOutcomes(t.storage, WS, [{ ...base, outcome: "expanded", arrAfter: row.arr / 2 }], OPTS),
    ).rejects.toThrow(/^arrAfter: an expansion is above arrBefore/);
    await expect(
      recordRenewalOutcomes(t.storage, WS, [{ ...base, accountId: "nope", outcome: "renewed" }], OPTS),
    ).rejects.toThrow(/^accountId: no account nope/);
    const [renewed] = await recordRenewalOutcomes(t.storage, WS, [{ ...base, outcome: "renewed" }], OPTS);
    expect(renewed).toMatchObject({ arrBefore: row.arr, arrAfter: row.arr, reasonKey: null });
    await recordRenewalOutcomes(t.storage, WS, [{ ...base, outcome: "churned", reasonKey: "price" }], OPTS);
    const stored = await renewalOutcomes(t.storage, WS, { accountId: row.accountId, from: row.renewalDate });
    expect(stored.map((o) => [o.outcome, o.arrAfter, o.reasonKey])).toEqual([["churned", 0, "price"]]);
    const after = await renewalCalendar(t.storage, WS, { ...OPTS, months: 6 });
    expect(
      after.rows.find((r) => r.accountId === row.accountId && r.renewalDate === row.renewalDate)?.outcome,
    ).toBe("churned");
  });

  it("should keep a dropped reason inactive and refuse bad keys", async () => {
    await expect(
      saveChurnReasons(t.storage, WS, [
        { key: "Bad Key", labelEn: "x", labelZh: "x", manageable: true, active: true },
      ]),
    ).rejects.toThrow(/^reasons\[0\]\.key/);
    const saved = await saveChurnReasons(t.storage, WS, [
      {
        key: "needs_not_met",
        labelEn: "Needs not met",
        labelZh: "需求未满足",
        manageable: true,
        active: true,
      },
      { key: "price", labelEn: "Price too high", labelZh: "价格过高", manageable: true, active: true },
    ]);
    expect(saved.slice(0, 2).map((r) => [r.key, r.active, r.manageable])).toEqual([
      ["needs_not_met", true, true],
      ["price", true, true],
    ]);
    expect(saved.find((r) => r.key === "budget")?.active).toBe(false);
    expect((await churnReasons(t.storage, WS)).length).toBe(saved.length);
  });

  it("should record NPS and CSAT answers on the timeline, from JSON and CSV, and compute NPS from the latest answers", async () => {
    const [a, b] = (await t.storage.accounts.list(WS)).map((x) => x.id);
    if (a === undefined || b === undefined) throw new Error("no accounts");
    await expect(
      recordSurveyResponses(t.storage, WS, [{ accountId: a, kind: "csat", score: 9 }]),
    ).rejects.toThrow(/^score: a CSAT score is a whole number from 1 to 5/);
    await expect(
      importSurveyCsv(
        t.storage,
        WS,
        "r.csv",
        `account_id,score,kind,date\n${a},10,nps,2027-01-10\n${b},x,nps,2027-01-10\n`,
      ),
    ).rejects.toThrow("r.csv row 3, column score");
    await expect(
      importSurveyCsv(
        t.storage,
        WS,
        "r.csv",
        `account_id,score,kind,date\n${a},10,nps,2027-01-10\n${b},11,nps,2027-01-10\n`,
      ),
    ).rejects.toThrow("r.csv row 3, column score: a NPS score is a whole number from 0 to 10");
    const before = await surveySummary(t.storage, WS, { from: "2027-01-09", to: "2027-01-12" });
    expect(before.nps.responses).toBe(0);
    expect(
      await importSurveyCsv(
        t.storage,
        WS,
        "r.csv",
        `account_id,score,kind,date\n${a},10,nps,2027-01-10\n${b},3,nps,2027-01-10\n${a},4,csat,2027-01-11\n`,
      ),
    ).toEqual({ recorded: 3 });
    const s = await surveySummary(t.storage, WS, { from: "2027-01-09", to: "2027-01-12" });
    expect(s.nps).toEqual({ responses: 2, promoters: 1, passives: 0, detractors: 1, score: 0 });
    expect(s.csat).toMatchObject({ responses: 1, satisfied: 1, average: 4 });
    expect(s.promoters.map((p) => p.accountId)).toEqual([a]);
    const timeline = await t.storage.timeline.list(WS, a, { types: ["nps"] });
    expect(timeline.some((e) => e.data.score === 10 && e.occurredAt.startsWith("2027-01-10"))).toBe(true);
  });

  it("should record referrals by existing accounts and total the referred ARR", async () => {
    const [a, b] = (await t.storage.accounts.list(WS)).map((x) => x.id);
    if (a === undefined || b === undefined) throw new Error("no accounts");
    const before = await referralReport(t.storage, WS);
    await expect(
      createReferral(t.storage, WS, { advocateAccountId: "nope", referredOn: ASOF }),
    ).rejects.toThrow(/^advocateAccountId/);
    await expect(createReferral(t.storage, WS, { advocateAccountId: a, referredOn: ASOF })).rejects.toThrow(
      /^referredName/,
    );
    const r = await createReferral(t.storage, WS, {
      advocateAccountId: a,
      referredAccountId: b,
      referredOn: ASOF,
      referredArr: 12_000,
    });
    expect(r.status).toBe("won");
    const after = await referralReport(t.storage, WS);
    expect(after.totals.referrals).toBe(before.totals.referrals + 1);
    expect(after.totals.wonArr).toBeCloseTo(before.totals.wonArr + 12_000, 6);
  });

  it("should start a save campaign that takes at-risk ARR from the calendar and reports no ROI before outcomes", async () => {
    const cal = await renewalCalendar(t.storage, WS, { ...OPTS, months: 6 });
    const rows = cal.rows.filter((r) => r.outcome === null).slice(0, 2);
    const c = await createSaveCampaign(
      t.storage,
      WS,
      {
        name: "Q1 saves",
        startedOn: ASOF,
        cost: 5000,
        accounts: rows.map((r) => ({ accountId: r.accountId })),
      },
      OPTS,
    );
    expect(c).toMatchObject({ accounts: 2, open: 2, saved: 0, arrSaved: 0, roi: 0 });
    expect(c.atRiskArrWorked).toBeCloseTo(
      rows.reduce((s, r) => s + r.arr, 0),
      6,
    );
    await expect(
      createSaveCampaign(t.storage, WS, { name: "x", startedOn: ASOF, cost: -1, accounts: [] }, OPTS),
    ).rejects.toThrow(/^cost/);
  });
});
