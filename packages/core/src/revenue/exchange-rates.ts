import { TenureError } from "../errors";
import { isValidIsoDate } from "../month";
import type { ExchangeRate, IsoDate } from "../types";

/**
 * Currency conversion to the reporting currency. The rate in force on a date is the latest
 * ExchangeRate of that currency dated on or before it; before the first known rate, the earliest
 * rate is used; the reporting currency is always 1. A table that holds rates for the reporting currency
 * itself is quoted in another base (the currency without rates): rates are crossed through the reporting
 * currency's rate of the same date (USD table, CNY reporting: EUR→CNY = EUR→USD / CNY→USD). Revenue converts at the start of each service
 * period, so rate swings never show up as MRR movements.
 */

/** Returns the rate (reporting units per 1 unit of currency) in force on a date. */
export type RateLookup = (currency: string, date: IsoDate) => number;

interface CurrencyRates {
  dates: string[];
  rates: number[];
}

/** Builds a memoised rate lookup; throws TenureError("validation") for a currency without any rate. */
export function createRateLookup(rates: readonly ExchangeRate[], reportingCurrency: string): RateLookup {
  const reporting = reportingCurrency.toUpperCase();
  const byCurrency = new Map<string, { date: string; rate: number }[]>();
  for (const r of rates) {
    if (!isValidIsoDate(r.date)) {
      throw new TenureError("validation", `Exchange rate for ${r.currency}: invalid date "${r.date}"`);
    }
    if (!Number.isFinite(r.rate) || r.rate <= 0) {
      throw new TenureError("validation", `Exchange rate for ${r.currency} on ${r.date} must be > 0`);
    }
    const cur = r.currency.toUpperCase();
    let list = byCurrency.get(cur);
    if (!list) {
      list = [];
      byCurrency.set(cur, list);
    }
    list.push({ date: r.date, rate: r.rate });
  }
  const table = new Map<string, CurrencyRates>();
  for (const [cur, list] of byCurrency) {
    list.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    table.set(cur, { dates: list.map((x) => x.date), rates: list.map((x) => x.rate) });
  }
  // Rates of the reporting currency itself mean the table is quoted in another base (e.g. a USD table
  // read in CNY): every rate is then crossed through the reporting currency's rate on the same date.
  const reportingTable = table.get(reporting) ?? null;
  // Per spelling of the currency: its table (null = reporting currency, "base" = the quote base of a
  // crossed table) and a per-date memo.
  const memo = new Map<string, { table: CurrencyRates | null | "base"; byDate: Map<string, number> }>();

  return (currency: string, date: IsoDate): number => {
    let entry = memo.get(currency);
    if (!entry) {
      const cur = currency.toUpperCase();
      const t = cur === reporting ? null : table.get(cur);
      if (t === undefined && reportingTable === null) {
        throw new TenureError(
          "validation",
          `No exchange rate for ${currency} to ${reporting}: add a rate for ${currency} dated on or before ${date}`,
          { currency, reportingCurrency: reporting, date },
        );
      }
      entry = { table: t === undefined ? "base" : t, byDate: new Map() };
      memo.set(currency, entry);
    }
    const t = entry.table;
    if (t === null) return 1;
    const hit = entry.byDate.get(date);
    if (hit !== undefined) return hit;
    const own = t === "base" ? 1 : rateOn(t, date);
    const rate = reportingTable === null ? own : own / rateOn(reportingTable, date);
    entry.byDate.set(date, rate);
    return rate;
  };
}

/** The rate in force on `date`: the last one dated on or before it, the earliest before the first. */
function rateOn(t: CurrencyRates, date: string): number {
  let lo = 0;
  let hi = t.dates.length - 1;
  let found = 0;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    if (t.dates[mid]! <= date) {
      found = mid;
      lo = mid + 1;
    } else hi = mid - 1;
  }
  return t.rates[found]!;
}
