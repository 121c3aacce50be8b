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

/**
 * Movements as columns: entry j is account `accountIds[account[j]]` in month `months[month[j]]` of the
 * matrix, kind `MOVEMENT_CODES[kind[j]]`, from mrrBefore[j] to mrrAfter[j]. Ordered by account then
 * month. A million accounts give millions of movements: as objects they would fill the caller's heap
 * and set off full collections of it, so the engine hands them over in typed arrays.
 */
export interface MovementColumns {
  count: number;
  account: Int32Array;
  month: Int32Array;
  kind: Uint8Array;
  mrrBefore: Float64Array;
  mrrAfter: Float64Array;
}

/** Every account's MRR movement in the window (default: all matrix months), as columns. */
export function computeMovementColumns(m: MrrMatrix, window?: { from?: Month; to?: Month }): MovementColumns {
  const { start, end } = resolveWindow(m, window);
  // Two passes over the matrix (count, then fill) allocate the columns once, at their exact size.
  const count = walkMovements(m, start, end, null);
  const cols: MovementColumns = {
    count,
    account: new Int32Array(count),
    month: new Int32Array(count),
    kind: new Uint8Array(count),
    mrrBefore: new Float64Array(count),
    mrrAfter: new Float64Array(count),
  };
  walkMovements(m, start, end, cols);
  return cols;
}

/** Classifies every account-month of months start..end; writes into `into` unless null. Returns the count. */
function walkMovements(m: MrrMatrix, start: number, end: number, into: MovementColumns | null): number {
  const n = m.months.length;
  const values = m.values;
  const accounts = m.accountIds.length;
  let j = 0;
  for (let a = 0; a < accounts; a++) {
    const base = a * n;
    let paidBefore = false;
    let prev = 0;
    for (let i = 0; i <= end; i++) {
      const cur = values[base + i]!;
      if (i >= start) {
        const code = classifyMovement(prev, cur, paidBefore);
        if (code !== MOVE_NONE) {
          if (into !== null) {
            into.account[j] = a;
            into.month[j] = i;
            into.kind[j] = code;
            into.mrrBefore[j] = prev;
            into.mrrAfter[j] = cur;
          }
          j++;
        }
      }
      if (cur > 0) paidBefore = true;
      prev = cur;
    }
  }
  return j;
}

/** Every account's MRR movement in the window (default: all matrix months), ordered by account then month. */
export function computeMovements(m: MrrMatrix, window?: { from?: Month; to?: Month }): AccountMovement[] {
  const cols = computeMovementColumns(m, window);
  const out: AccountMovement[] = new Array(cols.count);
  for (let j = 0; j < cols.count; j++) {
    const before = cols.mrrBefore[j]!;
    const after = cols.mrrAfter[j]!;
    out[j] = {
      month: m.months[cols.month[j]!]!,
      accountId: m.accountIds[cols.account[j]!]!,
      kind: MOVEMENT_CODES[cols.kind[j]!]!,
      amount: after - before,
      mrrBefore: before,
      mrrAfter: after,
    };
  }
  return out;
}
