import type { Account, Subscription } from "@tenure/core";

/** What a churned account shows instead of a churn probability. */
export interface ChurnedFacts {
  /** The day the last paid subscription ended (its exclusive end date). */
  churnedAt: string;
  /** The recorded churn reason (custom field `churn_reason`), null when not recorded. */
  reason: string | null;
  /** Monthly recurring revenue in the last month the account paid (reporting currency). */
  lastMrr: number;
}

const paid = (s: Subscription) => !s.trial && s.amount > 0;

/**
 * The churn facts of an account that paid before and pays nothing at `asOf`; null when it pays at
 * asOf or never paid (a trial that expired is not a churn). `lastMrr` comes from the caller's matrix.
 */
export function churnedFacts(
  account: Pick<Account, "customFields">,
  subs: readonly Subscription[],
  asOf: string,
  lastMrr: number,
): ChurnedFacts | null {
  let end: string | null = null;
  for (const s of subs) {
    if (!paid(s) || s.startDate > asOf) continue;
    if (s.endDate === null || s.endDate > asOf) return null;
    if (end === null || s.endDate > end) end = s.endDate;
  }
  if (end === null) return null;
  const reason = account.customFields?.churn_reason;
  return {
    churnedAt: end,
    reason: typeof reason === "string" && reason.trim() !== "" ? reason : null,
    lastMrr: Math.round(lastMrr * 100) / 100,
  };
}

/** The last positive value of each matrix row (an account's last paid month's MRR). */
export function lastPositiveMrr(matrix: {
  accountIds: readonly string[];
  months: readonly string[];
  values: ArrayLike<number>;
}): Map<string, number> {
  const n = matrix.months.length;
  const out = new Map<string, number>();
  matrix.accountIds.forEach((id, a) => {
    for (let c = n - 1; c >= 0; c--) {
      const v = matrix.values[a * n + c] ?? 0;
      if (v > 0) {
        out.set(id, v);
        return;
      }
    }
  });
  return out;
}
