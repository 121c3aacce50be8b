import { addDays, buildMrrMatrix, type Subscription } from "@tenure/core";
import type { NewReferral, NewRenewalOutcome, Storage, TimelineEntryRecord } from "@tenure/storage";
import { churnedFacts, lastPositiveMrr } from "../predictions/churn-status";
import { DEFAULT_CHURN_REASONS } from "../renewals/churn-reasons";
import type { DemoCompany } from "./generate-demo-company";
import { deriveSeed, Rng } from "./prng";

/** The demo generator's churn reasons, as keys of the starter taxonomy. */
const REASON_KEYS: Record<string, string> = {
  needs_not_met: "needs_not_met",
  poor_onboarding: "poor_adoption",
  champion_left: "champion_left",
  budget_cut: "budget",
  switched_to_competitor: "competitor",
  company_closed: "business_closed",
  acquired: "acquired",
  missing_feature: "product_gap",
};

/** The demo's save campaign returns 2.23 × its cost in ARR saved (seed 000's ROI). */
export const DEMO_SAVE_ROI = 2.23;

export interface SeedRenewalsResult {
  outcomes: number;
  churned: number;
  campaigns: number;
  referrals: number;
  csatResponses: number;
}

const DAY_MS = 86_400_000;
const round2 = (v: number) => Math.round(v * 100) / 100;

/**
 * Renewals and advocacy of the demo: the starter churn-reason taxonomy; an outcome for every churn
 * (its reason from the generator) and for each paying account's last anniversary in the past year
 * (renewed, expanded or downgraded from its MRR either side); one save campaign whose ARR saved is
 * DEMO_SAVE_ROI × its cost; referrals by promoters; CSAT answers. Its own random stream (seed 1561),
 * so the demo company's draws are unchanged.
 */
export async function seedDemoRenewals(
  storage: Storage,
  ws: string,
  demo: DemoCompany,
  opts: { asOf: string; seed: number; reportingCurrency: string },
): Promise<SeedRenewalsResult> {
  const rng = new Rng(deriveSeed(opts.seed, 1561));
  const matrix = buildMrrMatrix(demo.subscriptions, demo.exchangeRates, {
    reportingCurrency: opts.reportingCurrency,
    asOf: opts.asOf,
  });
  const last = lastPositiveMrr(matrix);
  const row = new Map(matrix.accountIds.map((id, i) => [id, i]));
  const monthCol = new Map(matrix.months.map((m, i) => [m, i]));
  const mrrAt = (accountId: string, month: string) => {
    const a = row.get(accountId);
    const m = monthCol.get(month);
    return a === undefined || m === undefined ? 0 : (matrix.values[a * matrix.months.length + m] ?? 0);
  };
  const subsBy = new Map<string, Subscription[]>();
  for (const s of demo.subscriptions) {
    const list = subsBy.get(s.accountId) ?? [];
    list.push(s);
    subsBy.set(s.accountId, list);
  }

  const outcomes: NewRenewalOutcome[] = [];
  const yearAgo = addDays(opts.asOf, -365);
  for (const account of demo.accounts) {
    const subs = subsBy.get(account.id) ?? [];
    const facts = churnedFacts(account, subs, opts.asOf, last.get(account.id) ?? 0);
    if (facts !== null) {
      if (facts.reason === null || facts.lastMrr <= 0) continue;
      outcomes.push({
        accountId: account.id,
        renewalDate: facts.churnedAt,
        outcome: "churned",
        arrBefore: round2(12 * facts.lastMrr),
        arrAfter: 0,
        reasonKey: REASON_KEYS[facts.reason] ?? "other",
        note: null,
        recordedBy: account.owner ?? null,
      });
      continue;
    }
    // A paying account's last anniversary of its first paid start, within the past year.
    const first = subs
      .filter((s) => s.startDate <= opts.asOf)
      .sort((a, b) => (a.startDate < b.startDate ? -1 : 1))[0];
    if (first === undefined) continue;
    const years = Math.floor((Date.parse(opts.asOf) - Date.parse(first.startDate)) / (365.25 * DAY_MS));
    if (years < 1) continue;
    const anniversary = `${Number(first.startDate.slice(0, 4)) + years}${first.startDate.slice(4, 10)}`;
    if (anniversary <= yearAgo || anniversary > opts.asOf || Number.isNaN(Date.parse(anniversary))) continue;
    const before = mrrAt(account.id, addDays(anniversary, -20).slice(0, 7));
    const after = mrrAt(account.id, addDays(anniversary, 20).slice(0, 7));
    if (before <= 0 || after <= 0) continue;
    const change = after / before - 1;
    const outcome = change > 0.02 ? "expanded" : change < -0.02 ? "downgraded" : "renewed";
    outcomes.push({
      accountId: account.id,
      renewalDate: anniversary,
      outcome,
      arrBefore: round2(12 * before),
      arrAfter: round2(12 * (outcome === "renewed" ? before : after)),
      reasonKey: outcome === "downgraded" ? rng.pick(["budget", "price", "needs_not_met"]) : null,
      note: null,
      recordedBy: account.owner ?? null,
    });
  }

  // The save campaign: accounts worked in the year, most saved, some lost; its cost sets ROI 2.23.
  const start = addDays(opts.asOf, -300);
  const inWindow = outcomes.filter((o) => o.renewalDate >= start);
  const kept = inWindow.filter((o) => o.outcome !== "churned").sort((a, b) => b.arrBefore - a.arrBefore);
  const lost = inWindow.filter((o) => o.outcome === "churned").sort((a, b) => b.arrBefore - a.arrBefore);
  const worked = [...kept.slice(0, 9), ...lost.slice(0, 3)];
  const arrSaved = kept.slice(0, 9).reduce((s, o) => s + Math.min(o.arrAfter, o.arrBefore), 0);

  // Referrals: a third of the promoters (NPS 9-10 at seeding) referred a later customer or a prospect.
  const referrals: NewReferral[] = [];
  const paying = demo.accounts.filter((a) => (last.get(a.id) ?? 0) > 0);
  const promoters = demo.accounts.filter((a) => Number(a.customFields?.nps) >= 9);
  for (const advocate of promoters) {
    if (!rng.chance(0.35)) continue;
    const referredOn = addDays(opts.asOf, -rng.int(10, 400));
    const won = rng.chance(0.45) ? rng.pick(paying) : null;
    if (won !== null && won.id !== advocate.id) {
      referrals.push({
        advocateAccountId: advocate.id,
        referredAccountId: won.id,
        referredName: won.name,
        referredOn,
        status: "won",
        referredArr: round2(12 * (last.get(won.id) ?? 0)),
        note: null,
      });
    } else {
      referrals.push({
        advocateAccountId: advocate.id,
        referredAccountId: null,
        referredName: `${rng.pick(["Northwind", "Blue Harbor", "Kestrel", "Lumen", "Sierra", "Huaxin", "Pinecrest"])} ${rng.pick(["Labs", "Group", "Systems", "Retail", "Logistics", "科技"])}`,
        referredOn,
        status: rng.weighted([
          ["referred", 3],
          ["qualified", 2],
          ["lost", 2],
        ] as const),
        referredArr: round2(rng.float(6_000, 60_000)),
        note: null,
      });
    }
  }

  // CSAT answers on the timeline (NPS answers are already there, from the activity seed).
  const csat: TimelineEntryRecord[] = [];
  for (const a of paying) {
    if (!rng.chance(0.4)) continue;
    const score = rng.weighted([
      [5, 4],
      [4, 4],
      [3, 2],
      [2, 1],
      [1, 0.5],
    ] as const);
    csat.push({
      id: `demo-csat-${a.id}`,
      accountId: a.id,
      type: "csat",
      occurredAt: `${addDays(opts.asOf, -rng.int(1, 200))}T10:00:00.000Z`,
      author: null,
      title: `CSAT ${score}`,
      body: null,
      data: { score, contactId: null },
    });
  }

  await storage.transaction(async (tx) => {
    await tx.renewals.upsertReasons(ws, DEFAULT_CHURN_REASONS);
    await tx.renewals.upsertOutcomes(ws, outcomes);
    if (worked.length > 0 && arrSaved > 0)
      await tx.renewals.createCampaign(ws, {
        id: "demo-save-campaign",
        name: "Save campaign: renewals at risk",
        startedOn: start,
        endedOn: null,
        cost: round2(arrSaved / DEMO_SAVE_ROI),
        note: "Product and engineering time on the largest at-risk renewals (seed 000)",
        accounts: worked.map((o) => ({ accountId: o.accountId, atRiskArr: o.arrBefore })),
      });
    await tx.renewals.createReferrals(ws, referrals);
    if (csat.length > 0) await tx.timeline.insertMany(ws, csat);
  });
  return {
    outcomes: outcomes.length,
    churned: outcomes.filter((o) => o.outcome === "churned").length,
    campaigns: worked.length > 0 && arrSaved > 0 ? 1 : 0,
    referrals: referrals.length,
    csatResponses: csat.length,
  };
}
