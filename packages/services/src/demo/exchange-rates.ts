import type { ExchangeRate } from "@tenure/core";
import { keyToIso, makeKey } from "./calendar";
import type { DemoCurrency } from "./catalog";
import type { Rng } from "./prng";

interface Walk {
  currency: Exclude<DemoCurrency, "USD">;
  mean: number;
  sd: number;
  decimals: number;
}

const WALKS: readonly Walk[] = [
  { currency: "EUR", mean: 1.08, sd: 0.012, decimals: 4 },
  { currency: "CNY", mean: 0.138, sd: 0.0012, decimals: 5 },
];

/** Monthly rate tables (1st of each month) for each non-USD currency: a mean-reverting random walk. */
export class RateTable {
  readonly firstMonth: number;
  private readonly byCurrency = new Map<string, number[]>();

  constructor(firstMonth: number, lastMonth: number, rng: Rng) {
    this.firstMonth = firstMonth;
    for (const walk of WALKS) {
      const scale = 10 ** walk.decimals;
      const rates: number[] = [];
      let r = walk.mean;
      for (let mi = firstMonth; mi <= lastMonth; mi++) {
        r += 0.15 * (walk.mean - r) + walk.sd * rng.normal();
        r = Math.min(walk.mean * 1.15, Math.max(walk.mean * 0.85, r));
        rates.push(Math.round(r * scale) / scale);
      }
      this.byCurrency.set(walk.currency, rates);
    }
  }

  /** Rate to USD in force during `monthIndex` (clamped to the table). */
  rate(currency: string, monthIndex: number): number {
    const rates = this.byCurrency.get(currency);
    if (!rates) return 1;
    const i = Math.min(rates.length - 1, Math.max(0, monthIndex - this.firstMonth));
    return rates[i] ?? 1;
  }

  toRecords(): ExchangeRate[] {
    const out: ExchangeRate[] = [];
    for (const [currency, rates] of this.byCurrency) {
      rates.forEach((rate, i) => {
        out.push({ date: keyToIso(makeKey(this.firstMonth + i, 1)), currency, rate });
      });
    }
    return out;
  }
}
