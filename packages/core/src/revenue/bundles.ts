import type { Plan, Subscription } from "../types";
import type { MrrMatrix } from "./mrr-matrix";
import type { BundleRow } from "./report-types";
import { monthlyMrrOfSubscription } from "./subscription-mrr";

/**
 * Product-bundle analysis (seed 000: an a+b+c bundle's LTV is 7.23× a single product's).
 * An account's bundle is the sorted set of products it ever paid for (Plan.productId, or the plan id when
 * the plan is unknown), joined with "+". Only accounts with a paying month in the matrix count. Per bundle:
 * - accounts; activeAccounts = paying in the last matrix month;
 * - retention12 = share paying 12 months after their first paying month, of accounts that started at
 *   least 12 months before the last matrix month (null when none did);
 * - avgLifetimeMonths = paying months per account; arpa = mean MRR over paying account-months;
 * - logoChurnRate = churn events / paying account-months; ltv = arpa / logoChurnRate (null without churn);
 * - ltvMultiple = ltv / mean ltv of the single-product bundles (null when none has an ltv).
 * Rows are sorted by ltv, highest first (null last).
 */

/** Product of a plan id: the plan's productId, or the plan id itself when the plan is unknown. */
export function productOfPlan(planId: string, plansById: ReadonlyMap<string, Plan>): string {
  return plansById.get(planId)?.productId ?? planId;
}

interface BundleAcc {
  products: string[];
  accounts: number;
  active: number;
  eligible12: number;
  retained12: number;
  payingMonths: number;
  mrrSum: number;
  churns: number;
}

/** LTV and retention per product combination, sorted by LTV (highest first). */
export function computeBundles(
  m: MrrMatrix,
  subs: readonly Subscription[],
  plans: readonly Plan[],
): BundleRow[] {
  const plansById = new Map(plans.map((p) => [p.id, p]));
  const productsOf = new Map<string, Set<string>>();
  for (const sub of subs) {
    if (monthlyMrrOfSubscription(sub) <= 0) continue;
    let set = productsOf.get(sub.accountId);
    if (!set) {
      set = new Set();
      productsOf.set(sub.accountId, set);
    }
    set.add(productOfPlan(sub.plan, plansById));
  }

  const n = m.months.length;
  const last = n - 1;
  const bundles = new Map<string, BundleAcc>();
  for (let a = 0; a < m.accountIds.length; a++) {
    const products = productsOf.get(m.accountIds[a]!);
    if (!products || n === 0) continue;
    const base = a * n;
    let first = -1;
    let paying = 0;
    let mrrSum = 0;
    let churns = 0;
    let prev = 0;
    for (let i = 0; i < n; i++) {
      const v = m.values[base + i]!;
      if (v > 0) {
        if (first < 0) first = i;
        paying++;
        mrrSum += v;
      } else if (prev > 0) churns++;
      prev = v;
    }
    if (first < 0) continue;
    const sorted = [...products].sort();
    const key = sorted.join("+");
    let acc = bundles.get(key);
    if (!acc) {
      acc = {
        products: sorted,
        accounts: 0,
        active: 0,
        eligible12: 0,
        retained12: 0,
        payingMonths: 0,
        mrrSum: 0,
        churns: 0,
      };
      bundles.set(key, acc);
    }
    acc.accounts++;
    if (m.values[base + last]! > 0) acc.active++;
    if (first + 12 <= last) {
      acc.eligible12++;
      if (m.values[base + first + 12]! > 0) acc.retained12++;
    }
    acc.payingMonths += paying;
    acc.mrrSum += mrrSum;
    acc.churns += churns;
  }

  const rows: BundleRow[] = [];
  for (const [bundle, acc] of bundles) {
    const arpa = acc.payingMonths > 0 ? acc.mrrSum / acc.payingMonths : null;
    const logoChurnRate = acc.payingMonths > 0 ? acc.churns / acc.payingMonths : null;
    rows.push({
      bundle,
      products: acc.products,
      accounts: acc.accounts,
      activeAccounts: acc.active,
      retention12: acc.eligible12 > 0 ? acc.retained12 / acc.eligible12 : null,
      avgLifetimeMonths: acc.payingMonths / acc.accounts,
      arpa,
      logoChurnRate,
      ltv: arpa !== null && logoChurnRate !== null && logoChurnRate > 0 ? arpa / logoChurnRate : null,
      ltvMultiple: null,
    });
  }
  const singles = rows.filter((r) => r.products.length === 1 && r.ltv !== null);
  const singleLtv = singles.length > 0 ? singles.reduce((s, r) => s + r.ltv!, 0) / singles.length : null;
  for (const r of rows) {
    r.ltvMultiple = r.ltv !== null && singleLtv !== null && singleLtv > 0 ? r.ltv / singleLtv : null;
  }
  const ltvKey = (r: BundleRow) => r.ltv ?? Number.NEGATIVE_INFINITY;
  return rows.sort(
    (x, y) => ltvKey(y) - ltvKey(x) || y.accounts - x.accounts || (x.bundle < y.bundle ? -1 : 1),
  );
}
