import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { lastDayOfMonth } from "../month";
import type { ExchangeRate, IsoDate, Subscription } from "../types";
import { computeMonthMetrics } from "./month-metrics";
import { computeMovements } from "./movements";
import { buildMrrMatrix } from "./mrr-matrix";
import { monthlyMrrOfSubscription } from "./subscription-mrr";

const pad = (n: number) => String(n).padStart(2, "0");
const dateArb = fc
  .record({
    y: fc.integer({ min: 2023, max: 2024 }),
    m: fc.integer({ min: 1, max: 12 }),
    d: fc.integer({ min: 1, max: 28 }),
  })
  .map(
    ({ y, m, d }): IsoDate =>
      `${y}-${pad(m)}-${d === 28 ? lastDayOfMonth(`${y}-${pad(m)}`).slice(8) : pad(d)}`,
  );

const rowArb = fc
  .record({
    account: fc.integer({ min: 0, max: 5 }),
    start: dateArb,
    end: fc.option(dateArb, { nil: null }),
    amount: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 5000 })),
    currency: fc.constantFrom("USD", "EUR", "GBP"),
    interval: fc.constantFrom("month" as const, "quarter" as const, "year" as const),
    quantity: fc.integer({ min: 0, max: 5 }),
    discountPct: fc.constantFrom(0, 10, 33.3, 100),
    trial: fc.boolean(),
  })
  .map(
    (r): Subscription => ({
      id: "",
      accountId: `acc${r.account}`,
      plan: "p",
      startDate: r.start,
      endDate: r.end,
      amount: r.amount,
      currency: r.currency,
      interval: r.interval,
      quantity: r.quantity,
      discountPct: r.discountPct,
      trial: r.trial,
    }),
  );

const ratesArb = fc.array(
  fc.record({
    date: dateArb,
    currency: fc.constantFrom("EUR", "GBP"),
    rate: fc.double({ min: 0.5, max: 2, noNaN: true }),
  }),
  { maxLength: 6 },
);

// Both currencies always have at least one rate so conversion never throws here.
const base: ExchangeRate[] = [
  { date: "2023-06-01", currency: "EUR", rate: 1.1 },
  { date: "2023-06-01", currency: "GBP", rate: 1.3 },
];

/** Naive reference: account MRR at each month's snapshot date, row by row. */
function referenceMrr(subs: Subscription[], rates: ExchangeRate[], month: string, asOf: IsoDate | undefined) {
  const snap = asOf?.startsWith(month) ? asOf : lastDayOfMonth(month);
  const out = new Map<string, number>();
  for (const s of subs) {
    if (!(s.startDate <= snap && (s.endDate === null || snap < s.endDate))) continue;
    let rate = 1;
    if (s.currency !== "USD") {
      const list = rates.filter((r) => r.currency === s.currency).sort((a, b) => (a.date < b.date ? -1 : 1));
      rate = ([...list].reverse().find((r) => r.date <= s.startDate) ?? list[0])!.rate;
    }
    out.set(s.accountId, (out.get(s.accountId) ?? 0) + monthlyMrrOfSubscription(s) * rate);
  }
  return out;
}

describe("revenue engine properties", () => {
  it("should make movements sum to the MRR change and count paying accounts as customers for any rows", () => {
    fc.assert(
      fc.property(
        fc.array(rowArb, { minLength: 1, maxLength: 30, size: "medium" }),
        ratesArb,
        // asOf: none, any date, or a day inside the month of some row's start or end (the tricky snapshots).
        fc.oneof(
          fc.constant(null),
          dateArb,
          fc.record({ row: fc.nat(), day: fc.integer({ min: 1, max: 28 }), end: fc.boolean() }),
        ),
        (rows, extraRates, asOfSpec) => {
          const subs = rows.map((r, i) => ({ ...r, id: `s${i}` }));
          let asOf: IsoDate | undefined;
          if (typeof asOfSpec === "string") asOf = asOfSpec;
          else if (asOfSpec !== null) {
            const row = subs[asOfSpec.row % subs.length]!;
            asOf = `${((asOfSpec.end && row.endDate) || row.startDate).slice(0, 7)}-${pad(asOfSpec.day)}`;
          }
          const rates = [...base, ...extraRates];
          const m = buildMrrMatrix(subs, rates, { reportingCurrency: "USD", ...(asOf ? { asOf } : {}) });
          const metrics = computeMonthMetrics(m);
          const moves = computeMovements(m);
          const n = m.months.length;
          // Plain checks in the loop (expect() per cell is slow); one assertion at the end names the first failure.
          const close = (x: number, y: number) => Math.abs(x - y) < 1e-6;
          const failures: string[] = [];
          let prev = 0;
          for (let i = 0; i < n; i++) {
            const month = m.months[i]!;
            let mrr = 0;
            let customers = 0;
            for (let a = 0; a < m.accountIds.length; a++) {
              const v = m.values[a * n + i]!;
              mrr += v;
              if (v > 0) customers++;
            }
            const x = metrics[i]!;
            if (x.month !== month || !close(x.mrr, mrr)) failures.push(`${month}: mrr ${x.mrr} != ${mrr}`);
            if (x.customers !== customers)
              failures.push(`${month}: customers ${x.customers} != ${customers}`);
            if (!close(x.netMovement, mrr - prev))
              failures.push(`${month}: net ${x.netMovement} != ${mrr - prev}`);
            const listed = moves.filter((mv) => mv.month === month).reduce((s, mv) => s + mv.amount, 0);
            if (!close(listed, mrr - prev)) failures.push(`${month}: movements ${listed} != ${mrr - prev}`);
            for (const r of [
              x.arpa,
              x.logoChurnRate,
              x.grossMrrChurnRate,
              x.netMrrChurnRate,
              x.ndr,
              x.grr,
              x.quickRatio,
            ]) {
              if (r !== null && !Number.isFinite(r)) failures.push(`${month}: non-finite ratio`);
            }
            const ref = referenceMrr(subs, rates, month, asOf);
            for (let a = 0; a < m.accountIds.length; a++) {
              const want = ref.get(m.accountIds[a]!) ?? 0;
              if (!close(m.values[a * n + i]!, want))
                failures.push(`${month} ${m.accountIds[a]}: ${m.values[a * n + i]} != ${want}`);
            }
            prev = mrr;
          }
          expect(failures).toEqual([]);
          // An account is "new" at most once.
          const news = moves.filter((mv) => mv.kind === "new").map((mv) => mv.accountId);
          expect(new Set(news).size).toBe(news.length);
        },
      ),
      { numRuns: 200 },
    );
  });
});
