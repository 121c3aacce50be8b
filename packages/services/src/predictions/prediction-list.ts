import { accountFactsAt, type IsoDate, type ReasonFact, reasonText } from "@tenure/core";
import type { Storage } from "@tenure/storage";
import { addDays } from "../health/days";
import { loadPredictionInputs } from "./prediction-inputs";
import { latestPredictions } from "./predictions-service";

/** An account's standing: paying now, churned (paid before), in a trial, or never paid. */
export type AccountStatus = "paying" | "churned" | "trial" | "prospect";

/** A reason as the CLI and API print it: the fact (key + parameters), its English text and its push. */
export interface ReasonOut {
  key: string;
  params: ReasonFact["params"];
  text: string;
  effect: "raises" | "lowers";
}

/** One row of `tenure predict list`. */
export interface PredictionListRow {
  id: string;
  name: string;
  status: AccountStatus;
  arr: number;
  /** Churn probability within 90 days; null when the account does not pay or is not scored. */
  churnProbability: number | null;
  expansionPropensity: number | null;
  daysSinceLastActivity: number | null;
  activeUsers28d: number | null;
  healthScore: number | null;
  /** The churn probability's top reasons (empty when there is none). */
  reasons: ReasonOut[];
}

export interface PredictionList {
  asOf: IsoDate;
  accounts: PredictionListRow[];
}

/** A stored reason for printing. */
export const reasonOut = (r: ReasonFact): ReasonOut => ({
  key: r.key,
  params: r.params,
  text: reasonText(r),
  effect: r.contribution >= 0 ? "raises" : "lowers",
});

/**
 * Every account with its churn probability, expansion propensity and the facts behind them at asOf
 * (the latest stored predictions; facts from the last 60 days of usage and health). Highest churn
 * probability first, then unscored accounts by name.
 */
export async function predictionList(
  storage: Storage,
  ws: string,
  opts: { asOf: IsoDate; reportingCurrency: string },
): Promise<PredictionList> {
  const [inputs, churn, expansion] = await Promise.all([
    loadPredictionInputs(storage, ws, { ...opts, from: addDays(opts.asOf, -60) }),
    latestPredictions(storage, ws, "churn"),
    latestPredictions(storage, ws, "expansion"),
  ]);
  const churnBy = new Map(churn.map((p) => [p.accountId, p]));
  const expansionBy = new Map(expansion.map((p) => [p.accountId, p]));
  const facts = new Map(accountFactsAt(inputs, opts.asOf).map((f) => [f.accountId, f]));
  const subsBy = new Map<string, typeof inputs.subscriptions>();
  for (const s of inputs.subscriptions) subsBy.set(s.accountId, [...(subsBy.get(s.accountId) ?? []), s]);
  const rows = inputs.accounts.map((a): PredictionListRow => {
    const f = facts.get(a.id);
    const mrr = f?.mrr ?? 0;
    const subs = subsBy.get(a.id) ?? [];
    const status: AccountStatus =
      mrr > 0
        ? "paying"
        : subs.some((s) => !s.trial && s.amount > 0 && s.startDate <= opts.asOf)
          ? "churned"
          : subs.some(
                (s) => s.trial && s.startDate <= opts.asOf && (s.endDate === null || s.endDate > opts.asOf),
              )
            ? "trial"
            : "prospect";
    const c = status === "paying" ? churnBy.get(a.id) : undefined;
    const e = status === "paying" ? expansionBy.get(a.id) : undefined;
    return {
      id: a.id,
      name: a.name,
      status,
      arr: Math.round(mrr * 12 * 100) / 100,
      churnProbability: c?.probability ?? null,
      expansionPropensity: e?.probability ?? null,
      daysSinceLastActivity: f?.daysSinceLastActivity ?? null,
      activeUsers28d: f?.activeUsers28d ?? null,
      healthScore: f?.healthScore ?? null,
      reasons: (c?.reasons ?? []).map(reasonOut),
    };
  });
  rows.sort(
    (x, y) =>
      (y.churnProbability ?? -1) - (x.churnProbability ?? -1) ||
      x.name.localeCompare(y.name) ||
      x.id.localeCompare(y.id),
  );
  return { asOf: opts.asOf, accounts: rows };
}
