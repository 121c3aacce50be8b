import type { Month } from "../types";
import { MRR_EPSILON, type MrrMatrix, resolveWindow } from "./mrr-matrix";
import type { AccountMovement, MovementKind } from "./report-types";

/**
 * MRR movements, per account per month, from the previous month's account MRR p to this month's c:
 * - p = 0, c > 0: "new" the first time the account ever pays, else "reactivation" (never new twice);
 * - p > 0, c = 0: "churn";
 * - both > 0: c > p "expansion", c < p "contraction". So a product dropped while another stays is
 *   contraction, and a same-day plan switch is one expansion or contraction, never churn + new.
 * amount = c − p (churn and contraction negative); |c − p| < 1e-9 is no movement.
 * The month before the first matrix month counts as MRR 0.
 */

/** Numeric movement codes used in hot loops; index into MOVEMENT_CODES. */
export const MOVE_NONE = -1;
export const MOVE_NEW = 0;
export const MOVE_EXPANSION = 1;
export const MOVE_CONTRACTION = 2;
export const MOVE_CHURN = 3;
export const MOVE_REACTIVATION = 4;
export const MOVEMENT_CODES: readonly MovementKind[] = [
  "new",
  "expansion",
  "contraction",
  "churn",
  "reactivation",
];

/** Classifies one account-month; `paidBefore` = the account had MRR > 0 in an earlier month. */
export function classifyMovement(prev: number, cur: number, paidBefore: boolean): number {
  const diff = cur - prev;
  if (diff < MRR_EPSILON && diff > -MRR_EPSILON) return MOVE_NONE;
  if (prev <= 0) return cur > 0 ? (paidBefore ? MOVE_REACTIVATION : MOVE_NEW) : MOVE_NONE;
  if (cur <= 0) return MOVE_CHURN;
  return diff > 0 ? MOVE_EXPANSION : MOVE_CONTRACTION;
}

/** Every account's MRR movement in the window (default: all matrix months), ordered by account then month. */
export function computeMovements(m: MrrMatrix, window?: { from?: Month; to?: Month }): AccountMovement[] {
  const { start, end } = resolveWindow(m, window);
  const n = m.months.length;
  const values = m.values;
  const out: AccountMovement[] = [];
  for (let a = 0; a < m.accountIds.length; a++) {
    const base = a * n;
    let paidBefore = false;
    let prev = 0;
    for (let i = 0; i <= end; i++) {
      const cur = values[base + i]!;
      if (i >= start) {
        const code = classifyMovement(prev, cur, paidBefore);
        if (code !== MOVE_NONE) {
          out.push({
            month: m.months[i]!,
            accountId: m.accountIds[a]!,
            kind: MOVEMENT_CODES[code]!,
            amount: cur - prev,
            mrrBefore: prev,
            mrrAfter: cur,
          });
        }
      }
      if (cur > 0) paidBefore = true;
      prev = cur;
    }
  }
  return out;
}
