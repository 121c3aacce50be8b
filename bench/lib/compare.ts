import { MOVEMENT_KINDS, type Month, type MonthMetrics, type MovementKind } from "@tenure/core";

/** Signed movement totals per month and kind. */
export type MovementTotals = Map<Month, Record<MovementKind, number>>;

/** Tenure's per-month movement totals, from its monthly metrics. */
export function tenureMovementTotals(metrics: readonly MonthMetrics[]): MovementTotals {
  const out: MovementTotals = new Map();
  for (const m of metrics) {
    out.set(m.month, {
      new: m.new,
      expansion: m.expansion,
      contraction: m.contraction,
      churn: m.churn,
      reactivation: m.reactivation,
    });
  }
  return out;
}

export interface TotalsComparison {
  match: boolean;
  months: number;
  /** "2023-04 expansion: Tenure 1234.56, SQL 1230.00", or null when everything matches. */
  firstDifference: string | null;
}

/** Compares two sets of monthly totals; a month missing on one side counts as all zeros. */
export function compareMovementTotals(
  a: MovementTotals,
  b: MovementTotals,
  tolerance: number,
): TotalsComparison {
  const months = [...new Set([...a.keys(), ...b.keys()])].sort();
  for (const month of months) {
    for (const kind of MOVEMENT_KINDS) {
      const x = a.get(month)?.[kind] ?? 0;
      const y = b.get(month)?.[kind] ?? 0;
      if (!(Math.abs(x - y) <= tolerance)) {
        return {
          match: false,
          months: months.length,
          firstDifference: `${month} ${kind}: Tenure ${x.toFixed(2)}, SQL ${y.toFixed(2)}`,
        };
      }
    }
  }
  return { match: true, months: months.length, firstDifference: null };
}
