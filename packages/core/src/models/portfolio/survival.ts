import { TenureError } from "../../errors";
import { monthFromIndex, monthIndex } from "../../month";
import { MRR_EPSILON, type MrrMatrix } from "../../revenue/mrr-matrix";
import type { Month } from "../../types";
import { fitSbg, type SbgFit, sbgDel, sbgDerl } from "../clv/sbg";

/** Survivor counts of one start-month cohort: survivors[t] = accounts still paying t months after the start. */
export interface SurvivalCohort {
  start: Month;
  survivors: number[];
}

/**
 * Monthly survivor counts by first paying month, from the MRR matrix through `until`. An account
 * "survives" while it pays without a break: its first month at zero MRR ends its life (a later
 * reactivation is not a survival), which is what the sBG model assumes. Cohorts observed for less
 * than one month are left out. Example: accounts paying [1,1,0], [1,1,1] from the same month →
 * { start, survivors: [2, 2, 1] }.
 */
export function survivalCohorts(
  m: MrrMatrix,
  opts: { until?: Month; accounts?: ReadonlySet<string> } = {},
): SurvivalCohort[] {
  const n = m.months.length;
  const first = m.months[0];
  if (first === undefined) return [];
  const base = monthIndex(first);
  const end = Math.min(n - 1, opts.until === undefined ? n - 1 : monthIndex(opts.until) - base);
  if (end < 1) return [];
  // lives[f] holds the life length (months paid without a break, capped by `end`) of each account starting at f.
  const lives = new Map<number, number[]>();
  for (let a = 0; a < m.accountIds.length; a++) {
    if (opts.accounts !== undefined && !opts.accounts.has(m.accountIds[a]!)) continue;
    const row = a * n;
    let f = -1;
    for (let i = 0; i <= end; i++)
      if (m.values[row + i]! > MRR_EPSILON) {
        f = i;
        break;
      }
    if (f < 0 || f === end) continue;
    let life = 0;
    while (f + life <= end && m.values[row + f + life]! > MRR_EPSILON) life++;
    let list = lives.get(f);
    if (list === undefined) {
      list = [];
      lives.set(f, list);
    }
    list.push(life);
  }
  const out: SurvivalCohort[] = [];
  for (const f of [...lives.keys()].sort((x, y) => x - y)) {
    const list = lives.get(f)!;
    const periods = end - f;
    const survivors = new Array<number>(periods + 1).fill(0);
    for (const life of list) for (let t = 0; t < Math.min(life, periods + 1); t++) survivors[t]!++;
    out.push({ start: monthFromIndex(base + f), survivors });
  }
  return out;
}

/** Converts an annual discount rate to the equivalent monthly one: (1 + annual)^(1/12) − 1. */
export function monthlyDiscountRate(annual: number): number {
  if (!(annual > 0) || !Number.isFinite(annual))
    throw new TenureError("validation", `annual discount rate must be a number > 0, got ${annual}`);
  return (1 + annual) ** (1 / 12) - 1;
}

/** A monthly sBG fit of a group of accounts with its discounting, ready to value accounts. */
export interface RetentionModel {
  fit: SbgFit;
  /** Monthly discount rate. */
  discountRate: number;
  /** Discounted expected lifetime of a new customer, in months (DEL). */
  del: number;
}

/**
 * Fits a monthly sBG retention model on the matrix's own survivor counts (all accounts, or a group).
 * Throws TenureError("validation") when the group has no cohort or no churn to learn from.
 */
export function fitRetentionModel(
  m: MrrMatrix,
  opts: { until?: Month; accounts?: ReadonlySet<string>; annualDiscountRate?: number; label?: string },
): RetentionModel {
  const cohorts = survivalCohorts(m, opts);
  const what = opts.label === undefined ? "" : ` for ${opts.label}`;
  if (cohorts.length === 0)
    throw new TenureError(
      "validation",
      `no cohort with a month of history${what}: retention cannot be fitted`,
    );
  let fit: SbgFit;
  try {
    fit = fitSbg(cohorts.map((c) => c.survivors));
  } catch (e) {
    if (e instanceof TenureError) throw new TenureError("validation", `${e.message}${what}`);
    throw e;
  }
  const discountRate = monthlyDiscountRate(opts.annualDiscountRate ?? 0.1);
  return { fit, discountRate, del: sbgDel(fit, discountRate) };
}

/** Months an account has paid without a break up to and including matrix column `col` (0 when not paying). */
export function currentTenureMonths(m: MrrMatrix, accountRow: number, col: number): number {
  const n = m.months.length;
  const row = accountRow * n;
  let t = 0;
  for (let i = Math.min(col, n - 1); i >= 0 && m.values[row + i]! > MRR_EPSILON; i--) t++;
  return t;
}

/**
 * CLV of a paying account from a monthly sBG model = margin × MRR × DERL, where DERL is the
 * discounted expected residual lifetime after `tenureMonths − 1` renewals (Fader & Hardie 2010).
 * Example: α 1, β 1, monthly d 0.01, tenure 1, MRR 100, margin 0.8 → 0.8 × 100 × DERL.
 */
export function accountClv(model: RetentionModel, a: { mrr: number; tenureMonths: number; margin: number }) {
  if (!(a.tenureMonths >= 1) || !Number.isInteger(a.tenureMonths))
    throw new TenureError("validation", `tenureMonths must be a whole number ≥ 1, got ${a.tenureMonths}`);
  if (!(a.margin > 0 && a.margin <= 1))
    throw new TenureError("validation", `margin must be a fraction in (0, 1], got ${a.margin}`);
  if (!(a.mrr >= 0) || !Number.isFinite(a.mrr))
    throw new TenureError("validation", `mrr must be a number ≥ 0, got ${a.mrr}`);
  const derl = sbgDerl(model.fit, model.discountRate, a.tenureMonths - 1);
  return { derl, clv: a.margin * a.mrr * derl };
}
