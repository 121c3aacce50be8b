/** Locale-aware number, currency and month formatting (Intl with the active UI language). */

const cache = new Map<string, Intl.NumberFormat>();

function numberFormat(locale: string, options: Intl.NumberFormatOptions): Intl.NumberFormat {
  const key = `${locale}|${JSON.stringify(options)}`;
  let format = cache.get(key);
  if (!format) {
    format = new Intl.NumberFormat(locale, options);
    cache.set(key, format);
  }
  return format;
}

/** Currency amount; whole units from 100 up (and for whole numbers), cents below. Falls back when `currency` is not ISO 4217. */
export function formatCurrency(locale: string, currency: string, value: number, compact = false): string {
  const digits = Math.abs(value) >= 100 || Number.isInteger(value) || compact ? 0 : 2;
  const options: Intl.NumberFormatOptions = compact
    ? { style: "currency", currency, notation: "compact", maximumFractionDigits: 1 }
    : { style: "currency", currency, minimumFractionDigits: digits, maximumFractionDigits: digits };
  try {
    return numberFormat(locale, options).format(value);
  } catch {
    const plain = numberFormat(locale, {
      notation: compact ? "compact" : "standard",
      maximumFractionDigits: digits,
    });
    return `${plain.format(value)} ${currency}`;
  }
}

/** Fraction as a percentage with a fixed number of decimals, so tiles line up: 0.053 → "5.3%", 0.89 → "89.0%". */
export function formatPercent(locale: string, value: number, digits = 1): string {
  return numberFormat(locale, {
    style: "percent",
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  }).format(value);
}

/** Plain number with at most `maxDigits` decimals. */
export function formatNumber(locale: string, value: number, maxDigits = 0): string {
  return numberFormat(locale, { maximumFractionDigits: maxDigits }).format(value);
}

/** Compact number for axes: 12,300 → "12K". */
export function formatCompact(locale: string, value: number): string {
  return numberFormat(locale, { notation: "compact", maximumFractionDigits: 1 }).format(value);
}

/** Ratio such as LTV/CAC: 3.42 → "3.4×". */
export function formatRatio(locale: string, value: number): string {
  return `${numberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 }).format(value)}×`;
}

/** "+" for positive numbers, the minus sign (U+2212) for negative ones, nothing for zero. */
export function signOf(value: number): string {
  if (value > 0) return "+";
  if (value < 0) return "\u2212";
  return "";
}

function monthDate(month: string): Date | null {
  const match = /^(\d{4})-(\d{2})$/.exec(month);
  if (!match) return null;
  return new Date(Date.UTC(Number(match[1]), Number(match[2]) - 1, 1));
}

/** "2024-03" → "Mar 2024" (en) or "2024年3月" (zh-CN); `short` gives "Mar 24". */
export function formatMonth(locale: string, month: string, short = false): string {
  const date = monthDate(month);
  if (!date) return month;
  return new Intl.DateTimeFormat(locale, {
    year: short ? "2-digit" : "numeric",
    month: "short",
    timeZone: "UTC",
  }).format(date);
}

/** "2026-11-15" or an ISO timestamp → "Nov 15, 2026" (en) / "2026年11月15日" (zh-CN); `withTime` adds hh:mm (UTC). */
export function formatDate(locale: string, iso: string, withTime = false): string {
  const date = new Date(/^\d{4}-\d{2}-\d{2}$/.test(iso) ? `${iso}T00:00:00Z` : iso);
  if (Number.isNaN(date.getTime())) return iso;
  return new Intl.DateTimeFormat(locale, {
    year: "numeric",
    month: "short",
    day: "numeric",
    ...(withTime ? { hour: "2-digit", minute: "2-digit", hour12: false } : {}),
    timeZone: "UTC",
  }).format(date);
}
