import { TenureError } from "../../errors";

/** One account's ARR and predicted churn probability. */
export interface AccountRisk {
  accountId: string;
  arr: number;
  churnProbability: number;
}

/**
 * ARR at risk = Σ ARR × churn probability (the expected ARR lost within the model's horizon), with
 * the accounts contributing most first. Example: ARR 10,000 at 0.3 and 2,000 at 0.5 → 4,000.
 */
export function arrAtRisk(
  accounts: readonly AccountRisk[],
  top = 10,
): { total: number; arr: number; accounts: number; largest: (AccountRisk & { atRisk: number })[] } {
  let total = 0;
  let arr = 0;
  const rows = accounts.map((a, i) => {
    if (!(a.arr >= 0) || !Number.isFinite(a.arr))
      throw new TenureError("validation", `row ${i + 1} (account ${a.accountId}): arr must be a number ≥ 0`);
    if (!(a.churnProbability >= 0 && a.churnProbability <= 1))
      throw new TenureError(
        "validation",
        `row ${i + 1} (account ${a.accountId}): churnProbability must be in [0, 1], got ${a.churnProbability}`,
      );
    const atRisk = a.arr * a.churnProbability;
    total += atRisk;
    arr += a.arr;
    return { ...a, atRisk };
  });
  rows.sort((x, y) => y.atRisk - x.atRisk || (x.accountId < y.accountId ? -1 : 1));
  return { total, arr, accounts: rows.length, largest: rows.slice(0, top) };
}

/** A small account valued well above its peers. */
export interface HighPotential {
  accountId: string;
  clv: number;
  /** clv / mean CLV of the small accounts. */
  multiple: number;
}

/**
 * High-potential small accounts (seed 000): small accounts whose CLV is at least `minMultiple`
 * (default 3) times the small-account average, largest multiple first.
 * Example: CLVs 100, 100, 100, 900 → mean 300; the 900 account has multiple 3.
 */
export function highPotentialAccounts(
  small: readonly { accountId: string; clv: number }[],
  minMultiple = 3,
): { average: number | null; accounts: HighPotential[] } {
  if (small.length === 0) return { average: null, accounts: [] };
  const average = small.reduce((s, a) => s + a.clv, 0) / small.length;
  if (!(average > 0)) return { average, accounts: [] };
  const accounts = small
    .map((a) => ({ accountId: a.accountId, clv: a.clv, multiple: a.clv / average }))
    .filter((a) => a.multiple >= minMultiple)
    .sort((x, y) => y.multiple - x.multiple || (x.accountId < y.accountId ? -1 : 1));
  return { average, accounts };
}
