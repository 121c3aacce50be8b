import { useContext, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { MeContext } from "../auth/me-context";
import {
  formatCompact,
  formatCurrency,
  formatDate,
  formatMonth,
  formatNumber,
  formatPercent,
  formatRatio,
  signOf,
} from "./format";

/** Formatters bound to the active UI language and a reporting currency. */
export interface Formatters {
  locale: string;
  currency: (value: number) => string;
  currencyCompact: (value: number) => string;
  signedCurrency: (value: number) => string;
  percent: (value: number, maxDigits?: number) => string;
  ratio: (value: number) => string;
  months: (value: number) => string;
  number: (value: number, maxDigits?: number) => string;
  compact: (value: number) => string;
  month: (month: string) => string;
  monthShort: (month: string) => string;
  /** ISO date or timestamp as a short date. */
  date: (iso: string) => string;
  /** ISO timestamp as a date and time (UTC). */
  dateTime: (iso: string) => string;
  /** Placeholder for a missing value. */
  missing: string;
}

/** Returns formatters for the active language; `currency` defaults to the workspace's reporting currency. */
export function useFormatters(currencyOfResponse?: string): Formatters {
  const { t, i18n } = useTranslation();
  const me = useContext(MeContext);
  const currency = currencyOfResponse ?? me?.reportingCurrency ?? "USD";
  const locale = i18n.language || "en";
  return useMemo(
    () => ({
      locale,
      currency: (v) => formatCurrency(locale, currency, v),
      currencyCompact: (v) => formatCurrency(locale, currency, v, true),
      signedCurrency: (v) => `${signOf(v)}${formatCurrency(locale, currency, Math.abs(v))}`,
      percent: (v, d = 1) => formatPercent(locale, v, d),
      ratio: (v) => formatRatio(locale, v),
      months: (v) => t("format.months", { value: formatNumber(locale, v, 1) }),
      number: (v, d = 0) => formatNumber(locale, v, d),
      compact: (v) => formatCompact(locale, v),
      month: (m) => formatMonth(locale, m),
      monthShort: (m) => formatMonth(locale, m, true),
      date: (d) => formatDate(locale, d),
      dateTime: (d) => formatDate(locale, d, true),
      missing: "—",
    }),
    [locale, currency, t],
  );
}
