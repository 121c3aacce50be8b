import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lastDayOfMonth, monthRange } from "../month";
import type { ExchangeRate, IsoDate, Month, Subscription } from "../types";
import { computeMonthMetrics } from "./month-metrics";
import { computeMovementColumns, computeMovements, MOVEMENT_CODES } from "./movements";
import { buildMrrMatrix } from "./mrr-matrix";
import type { AccountMovement, MonthMetrics, MovementKind } from "./report-types";
import { INTERVAL_MONTHS } from "./subscription-mrr";

/**
 * The optimised engine (typed-array rows, hashed account index, sort skipped for sorted ids, columnar
 * movements) against a reference written the plain way: Maps, `sort()`, string months, one object per
 * cell. Rows come in random order with ids that sort in surprising ways (case, length, non-ASCII).
 */

const pad = (n: number) => String(n).padStart(2, "0");
const dateArb = fc
  .record({
    y: fc.integer({ min: 2022, max: 2024 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 31 }),
  })
  .map(({ y, m, d }): IsoDate => {
    const last = Number(lastDayOfMonth(`${y}-${pad(m)}`).slice(8));
    return `${y}-${pad(m)}-${pad(Math.min(d, last))}`;
  });

const ID_POOL = ["acc_10", "acc_2", "acc_1", "B", "a", "ab", "a b", "é", "Z9", "\u{1F600}x", "", "acc_1 "];

const rowArb = fc.record({
  accountId: fc.constantFrom(...ID_POOL),
  startDate: dateArb,
  endDate: fc.option(dateArb, { nil: null }),
  amount: fc.oneof(
    fc.constant(0),
    fc.integer({ min: 1, max: 5000 }),
    fc.double({ min: 1e-12, max: 1e-6, noNaN: true }),
  ),
  currency: fc.constantFrom("USD", "EUR", "usd"),
  interval: fc.constantFrom("month" as const, "quarter" as const, "year" as const),
  quantity: fc.integer({ min: 0, max: 4 }),
  discountPct: fc.constantFrom(0, 15, 100),
  trial: fc.boolean(),
});

const RATES: ExchangeRate[] = [
  { date: "2022-06-01", currency: "EUR", rate: 1.08 },
  { date: "2023-03-15", currency: "EUR", rate: 1.13 },
  { date: "2024-01-01", currency: "EUR", rate: 0.97 },
];

/** Reference MRR of a row: the documented formula, converted at the rate in force on its start. */
function referenceRowMrr(s: Subscription): number {
  if (s.trial) return 0;
  const own = Math.max((s.amount * s.quantity * (1 - s.discountPct / 100)) / INTERVAL_MONTHS[s.interval], 0);
  if (own === 0 || s.currency.toUpperCase() === "USD") return own;
  const earlier = RATES.filter((r) => r.date <= s.startDate);
  return own * (earlier.length > 0 ? earlier.at(-1)! : RATES[0]!).rate;
}

interface Reference {
  months: Month[];
  accountIds: string[];
  mrr: Map<string, number[]>;
}

/** Account MRR at each month's snapshot date (its last day, or asOf inside its month). */
function referenceMatrix(subs: Subscription[], asOf: IsoDate | undefined): Reference {
  const starts = subs.map((s) => s.startDate.slice(0, 7)).sort();
  const ends = subs.flatMap((s) => (s.endDate === null ? [] : [s.endDate.slice(0, 7)]));
  let last = [...starts, ...ends].sort().at(-1)!;
  if (asOf !== undefined) {
    const anyOpen = subs.some((s) => s.endDate === null);
    const anyPaying = subs.some((s) => referenceRowMrr(s) !== 0);
    if (anyOpen || !anyPaying || last > asOf.slice(0, 7)) last = asOf.slice(0, 7);
  }
  const months = starts[0]! <= last ? monthRange(starts[0]!, last) : [];
  const accountIds = [...new Set(subs.map((s) => s.accountId))].sort();
  const mrr = new Map(accountIds.map((id) => [id, months.map(() => 0)]));
  months.forEach((month, i) => {
    const snap = asOf?.startsWith(month) ? asOf : lastDayOfMonth(month);
    for (const s of subs) {
      const v = referenceRowMrr(s);
      if (v !== 0 && s.startDate <= snap && (s.endDate === null || snap < s.endDate)) {
        mrr.get(s.accountId)![i]! += v;
      }
    }
  });
  for (const row of mrr.values()) {
    for (let i = 0; i < row.length; i++) if (row[i]! < 1e-9) row[i] = 0;
  }
  return { months, accountIds, mrr };
}

function referenceKind(prev: number, cur: number, paidBefore: boolean): MovementKind | null {
  if (Math.abs(cur - prev) < 1e-9) return null;
  if (prev <= 0) return cur > 0 ? (paidBefore ? "reactivation" : "new") : null;
  if (cur <= 0) return "churn";
  return cur > prev ? "expansion" : "contraction";
}

function referenceMovements(ref: Reference, start: number, end: number): AccountMovement[] {
  const out: AccountMovement[] = [];
  for (const id of ref.accountIds) {
    const row = ref.mrr.get(id)!;
    row.forEach((cur, i) => {
      const prev = i > 0 ? row[i - 1]! : 0;
      const kind = referenceKind(
        prev,
        cur,
        row.slice(0, i).some((v) => v > 0),
      );
      if (kind && i >= start && i <= end) {
        out.push({
          month: ref.months[i]!,
          accountId: id,
          kind,
          amount: cur - prev,
          mrrBefore: prev,
          mrrAfter: cur,
        });
      }
    });
  }
  return out;
}

function referenceMetrics(ref: Reference, start: number, end: number): MonthMetrics[] {
  const rows = ref.accountIds.map((id) => ref.mrr.get(id)!);
  const moves = referenceMovements(ref, 0, ref.months.length - 1);
  const sum = (xs: number[]) => xs.reduce((s, x) => s + x, 0);
  const ratio = (a: number, b: number) => (b > 0 ? a / b : null);
  const out: MonthMetrics[] = [];
  for (let i = start; i <= end; i++) {
    const month = ref.months[i]!;
    const at = (j: number) => rows.map((r) => (j >= 0 ? r[j]! : 0));
    const mrr = sum(at(i));
    const prevMrr = sum(at(i - 1));
    const of = (k: MovementKind) => moves.filter((m) => m.month === month && m.kind === k);
    const amount = (k: MovementKind) => sum(of(k).map((m) => m.amount));
    const lost = -(amount("churn") + amount("contraction"));
    const then = i >= 12 ? rows.filter((r) => r[i - 12]! > 0) : [];
    out.push({
      month,
      mrr,
      arr: mrr * 12,
      customers: at(i).filter((v) => v > 0).length,
      new: amount("new"),
      expansion: amount("expansion"),
      contraction: amount("contraction"),
      churn: amount("churn"),
      reactivation: amount("reactivation"),
      netMovement: sum(MOVEMENT_CODES.map(amount)),
      newCustomers: of("new").length,
      expansionCustomers: of("expansion").length,
      contractionCustomers: of("contraction").length,
      churnedCustomers: of("churn").length,
      reactivatedCustomers: of("reactivation").length,
      arpa: ratio(mrr, at(i).filter((v) => v > 0).length),
      logoChurnRate: ratio(of("churn").length, at(i - 1).filter((v) => v > 0).length),
      grossMrrChurnRate: ratio(lost, prevMrr),
      netMrrChurnRate: ratio(lost - amount("expansion") - amount("reactivation"), prevMrr),
      ndr: i >= 12 ? ratio(sum(then.map((r) => r[i]!)), sum(then.map((r) => r[i - 12]!))) : null,
      grr:
        i >= 12
          ? ratio(sum(then.map((r) => Math.min(r[i]!, r[i - 12]!))), sum(then.map((r) => r[i - 12]!)))
          : null,
      quickRatio: lost > 0 ? (amount("new") + amount("expansion") + amount("reactivation")) / lost : null,
    });
  }
  return out;
}

/** Numbers equal up to float summation order; everything else exactly. */
function sameUpToRounding(actual: unknown, expected: unknown): boolean {
  if (typeof actual === "number" && typeof expected === "number") {
    return Math.abs(actual - expected) <= 1e-9 * Math.max(1, Math.abs(expected));
  }
  if (Array.isArray(actual) && Array.isArray(expected)) {
    return actual.length === expected.length && actual.every((x, i) => sameUpToRounding(x, expected[i]));
  }
  if (actual && expected && typeof actual === "object" && typeof expected === "object") {
    const keys = Object.keys(expected);
    return (
      Object.keys(actual).length === keys.length &&
      keys.every((k) =>
        sameUpToRounding((actual as Record<string, unknown>)[k], (expected as Record<string, unknown>)[k]),
      )
    );
  }
  return actual === expected;
}

describe("revenue engine against a plain reference", () => {
  it("should give the reference's matrix, movements and metrics for rows in any order, with or without asOf and a window", () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { minLength: 1, maxLength: 25 }),
        fc.option(dateArb, { nil: undefined }),
        fc.nat(),
        fc.nat(),
        (rows, asOf, w1, w2) => {
          const subs: Subscription[] = rows.map((r, i) => ({ ...r, id: `s${i}`, plan: "p" }));
          const m = buildMrrMatrix(subs, RATES, { reportingCurrency: "USD", ...(asOf ? { asOf } : {}) });
          const ref = referenceMatrix(subs, asOf);
          expect(m.months).toEqual(ref.months);
          expect(m.accountIds).toEqual(ref.accountIds);
          const n = m.months.length;
          const cells = m.accountIds.map((_, a) => Array.from(m.values.subarray(a * n, a * n + n)));
          expect(
            sameUpToRounding(
              cells,
              ref.accountIds.map((id) => ref.mrr.get(id)!),
            ),
          ).toBe(true);

          const span =
            n === 0
              ? { start: 0, end: -1 }
              : { start: Math.min(w1 % n, w2 % n), end: Math.max(w1 % n, w2 % n) };
          const window = n === 0 ? undefined : { from: m.months[span.start]!, to: m.months[span.end]! };
          const moves = computeMovements(m, window);
          expect(sameUpToRounding(moves, referenceMovements(ref, span.start, span.end))).toBe(true);
          // The columns hold the same movements as the objects, entry for entry.
          const cols = computeMovementColumns(m, window);
          expect(cols.count).toBe(moves.length);
          moves.forEach((mv, j) => {
            expect(m.accountIds[cols.account[j]!]).toBe(mv.accountId);
            expect(m.months[cols.month[j]!]).toBe(mv.month);
            expect(MOVEMENT_CODES[cols.kind[j]!]).toBe(mv.kind);
            expect(cols.mrrAfter[j]! - cols.mrrBefore[j]!).toBe(mv.amount);
          });
          const metrics = computeMonthMetrics(m, window);
          expect(sameUpToRounding(metrics, referenceMetrics(ref, span.start, span.end))).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("should order any account ids as sort() does, short or long, in any alphabet", () => {
    const idArb = fc.oneof(
      fc.string({ maxLength: 12 }),
      fc.string({ unit: "binary", maxLength: 6 }),
      fc.string({ minLength: 60, maxLength: 80 }),
    );
    fc.assert(
      fc.property(fc.uniqueArray(idArb, { minLength: 1, maxLength: 60 }), (ids) => {
        const subs = ids.map((accountId, i) => ({
          id: `s${i}`,
          accountId,
          plan: "p",
          startDate: "2024-01-01",
          endDate: null,
          amount: i + 1,
          currency: "USD",
          interval: "month" as const,
          quantity: 1,
          discountPct: 0,
          trial: false,
        }));
        const m = buildMrrMatrix(subs, [], { reportingCurrency: "USD", asOf: "2024-01-31" });
        expect(m.accountIds).toEqual([...ids].sort());
        // Each account keeps its own row's MRR after the reordering.
        expect(Array.from(m.values)).toEqual(m.accountIds.map((id) => ids.indexOf(id) + 1));
      }),
      { numRuns: 300 },
    );
  });

  it("should keep only the filtered accounts when given an account set", () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { minLength: 1, maxLength: 25 }),
        fc.subarray(ID_POOL, { minLength: 1 }),
        (rows, keep) => {
          const subs: Subscription[] = rows.map((r, i) => ({ ...r, id: `s${i}`, plan: "p" }));
          const kept = subs.filter((s) => keep.includes(s.accountId));
          const m = buildMrrMatrix(subs, RATES, { reportingCurrency: "USD", accountIds: new Set(keep) });
          const alone = buildMrrMatrix(kept, RATES, { reportingCurrency: "USD" });
          expect(m.accountIds).toEqual(alone.accountIds);
          expect(m.months).toEqual(alone.months);
          expect(Array.from(m.values)).toEqual(Array.from(alone.values));
        },
      ),
      { numRuns: 100 },
    );
  });
});
