import type { AutomationAccountFacts, HealthBand, LifecycleStage } from "@tenure/core";
import type { Storage } from "@tenure/storage";
import { loadAccountRows } from "../accounts/account-rows";

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function breakdownMetrics(breakdown: unknown): Record<string, number | null> {
  const m = (breakdown as { metrics?: unknown } | null)?.metrics;
  if (typeof m !== "object" || m === null) return {};
  const out: Record<string, number | null> = {};
  for (const [k, v] of Object.entries(m)) out[k] = typeof v === "number" && Number.isFinite(v) ? v : null;
  return out;
}

/**
 * Every account's facts as automations read them, from what is stored: the list row (stage, segment,
 * band, score, MRR, ARR, renewal date, churn probability), the latest day's scorecard metrics, tags,
 * the first subscription's start (signup date) and date-valued custom fields.
 */
export async function loadAutomationFacts(
  storage: Storage,
  ws: string,
  opts: { asOf: string; reportingCurrency: string },
): Promise<AutomationAccountFacts[]> {
  const day = opts.asOf.slice(0, 10);
  const [data, latestDay, subs] = await Promise.all([
    loadAccountRows(storage, ws, { asOf: day, reportingCurrency: opts.reportingCurrency }),
    storage.healthScores.latestDate(ws, day),
    storage.subscriptions.listUnordered(ws),
  ]);
  const scores = latestDay === null ? [] : await storage.healthScores.onDate(ws, latestDay);
  const metricsOf = new Map(scores.map((s) => [s.accountId, breakdownMetrics(s.breakdown)]));
  const signup = new Map<string, string>();
  for (const s of subs) {
    const first = signup.get(s.accountId);
    if (first === undefined || s.startDate < first) signup.set(s.accountId, s.startDate);
  }
  return data.rows.map((row) => {
    const account = data.accounts.get(row.id);
    const metrics: Record<string, number | null> = {
      ...(metricsOf.get(row.id) ?? {}),
      healthScore: row.score,
      mrr: row.mrr,
      arr: row.arr,
      churnProbability: row.churnProbability,
    };
    const dates: Record<string, string | null> = {
      renewalDate: row.renewalDate,
      signupDate: signup.get(row.id) ?? null,
    };
    for (const [k, v] of Object.entries(account?.customFields ?? {}))
      if (typeof v === "string" && DAY.test(v)) dates[`custom:${k}`] = v;
    return {
      id: row.id,
      stage: row.lifecycleStage as LifecycleStage | null,
      segment: row.segment,
      band: row.band as HealthBand,
      tags: account?.tags ?? [],
      metrics,
      dates,
    };
  });
}
