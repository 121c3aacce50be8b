/**
 * Rough US dollars per unit of common currencies (order of magnitude, 2024-2026), used only to tell
 * whether a currency's first-ever rate was entered the right way round: a CNY rate of 7.2 "USD per
 * CNY" is 52× this table's 0.139, while currencies drift far less than the ROUGH_RATE_WARNING factor
 * between updates of the table. Currencies with high inflation (ARS, TRY, NGN, ...) are left out:
 * their magnitude moves too fast for a built-in figure.
 */
const USD_PER_UNIT: Readonly<Record<string, number>> = {
  USD: 1,
  EUR: 1.1,
  GBP: 1.28,
  CHF: 1.15,
  JPY: 0.0067,
  CNY: 0.139,
  HKD: 0.128,
  TWD: 0.031,
  KRW: 0.00072,
  SGD: 0.75,
  INR: 0.0117,
  AUD: 0.65,
  NZD: 0.59,
  CAD: 0.73,
  MXN: 0.053,
  BRL: 0.18,
  ZAR: 0.055,
  SEK: 0.095,
  NOK: 0.092,
  DKK: 0.147,
  PLN: 0.25,
  CZK: 0.043,
  HUF: 0.0027,
  ILS: 0.27,
  AED: 0.272,
  SAR: 0.267,
  THB: 0.029,
  MYR: 0.22,
  IDR: 0.000062,
  PHP: 0.017,
  VND: 0.00004,
};

/** A first rate this many times above or below the rough rate gets a warning. */
export const ROUGH_RATE_WARNING = 5;

/**
 * Roughly how many units of `reporting` one `currency` is worth, from the built-in table; null when
 * either currency is not in it.
 *
 * @example roughRate("CNY", "USD") // 0.139
 */
export function roughRate(currency: string, reporting: string): number | null {
  const c = USD_PER_UNIT[currency];
  const r = USD_PER_UNIT[reporting];
  return c === undefined || r === undefined ? null : c / r;
}
