import type { ExchangeRate } from "@tenure/core";
import type { Storage } from "@tenure/storage";
import { z } from "zod";
import { ISO_4217_CODES } from "../currencies";
import { cellNumber, field, requiredCurrency, requiredDate } from "../fields";
import type { KindDefinition, ReviewContext } from "../kind-definition";
import type { ImportIssue } from "../types";
import { ROUGH_RATE_WARNING, roughRate } from "./rough-rates";

/** Rates outside this range (either direction) are typos, not currencies. */
export const MIN_RATE = 1e-9;
export const MAX_RATE = 1e9;
/** A rate this many times above or below the currency's previous one gets a warning. */
export const RATE_JUMP_WARNING = 3;

/** The two ways a rate can be written; each is a column, so the file says which it means. */
export type RateDirection = "reporting_per_unit" | "units_per_reporting";

/** One imported rate: the stored form plus how the file wrote it (for the checks and messages). */
export interface ExchangeRateRow extends ExchangeRate {
  /** The column kind the file used. */
  direction: RateDirection;
  /** The number as the file wrote it (`rate` is it converted to reporting-currency units per unit). */
  entered: number;
  /** The reporting currency a currency-named column names (`usd_per_unit` → USD); null otherwise. */
  quotedIn: string | null;
}

const optionalRate = field((raw) => {
  const n = cellNumber(raw);
  if (!n.ok || n.value === null) return n;
  if (n.value <= 0) return { ok: false as const, reason: "a rate must be > 0" };
  if (n.value < MIN_RATE || n.value > MAX_RATE)
    return { ok: false as const, reason: `a rate must be between ${MIN_RATE} and ${MAX_RATE}` };
  return n;
});

const rateHelp = (currency: string) =>
  `give the rate as reporting_per_unit (units of the reporting currency for 1 ${currency}) or ` +
  `units_per_reporting (${currency} for 1 unit of the reporting currency, as rates are usually quoted)`;

const row = z
  .object({
    date: requiredDate("date"),
    currency: requiredCurrency(),
    reporting_per_unit: optionalRate,
    units_per_reporting: optionalRate,
    $quoted_in: z.string().optional(),
  })
  .superRefine((r, ctx) => {
    const given = (r.reporting_per_unit === null ? 0 : 1) + (r.units_per_reporting === null ? 0 : 1);
    if (given === 0)
      ctx.addIssue({
        code: "custom",
        path: ["reporting_per_unit"],
        message: `a rate is required: ${rateHelp(r.currency)}`,
      });
    else if (given === 2)
      ctx.addIssue({
        code: "custom",
        path: ["units_per_reporting"],
        message: "give one rate per row: reporting_per_unit or units_per_reporting, not both",
      });
  })
  .transform((r): ExchangeRateRow => {
    const direction: RateDirection =
      r.reporting_per_unit !== null ? "reporting_per_unit" : "units_per_reporting";
    const entered = (r.reporting_per_unit ?? r.units_per_reporting) as number;
    return {
      date: r.date,
      currency: r.currency,
      rate: direction === "reporting_per_unit" ? entered : 1 / entered,
      direction,
      entered,
      quotedIn: r.$quoted_in ?? null,
    };
  });

// Currency-named columns say outright which way a rate goes: usd_per_unit = 0.139, units_per_usd = 7.2.
const namedAliases: Record<string, string> = {};
const namedImplies: Record<string, { column: string; value: string }> = {};
for (const code of ISO_4217_CODES) {
  const lower = code.toLowerCase();
  namedAliases[`${lower}_per_unit`] = "reporting_per_unit";
  namedAliases[`units_per_${lower}`] = "units_per_reporting";
  namedImplies[`${lower}_per_unit`] = { column: "$quoted_in", value: code };
  namedImplies[`units_per_${lower}`] = { column: "$quoted_in", value: code };
}

/** Drops trailing zeros of a decimal fraction: "7.20000" → "7.2", "100.000" → "100", "1.50e+7" → "1.5e+7". */
const trimZeros = (text: string) => {
  const [mantissa = "", exponent] = text.split("e");
  const m = mantissa.includes(".") ? mantissa.replace(/0+$/, "").replace(/\.$/, "") : mantissa;
  return exponent === undefined ? m : `${m}e${exponent}`;
};
const fmtRatio = (n: number) =>
  n >= 100 ? Math.round(n).toLocaleString("en-US") : trimZeros(n.toPrecision(3));
const fmt = (n: number) => trimZeros(n >= 1 ? n.toPrecision(6) : n.toPrecision(4));

/**
 * Checks no single row can: a currency-named column must name the reporting currency (errors), and a
 * rate far from the currency's previous rate, stored or earlier in the file, is a warning.
 */
async function reviewRates(
  storage: Storage,
  ctx: ReviewContext,
  rows: readonly ExchangeRateRow[],
  rowNumbers: readonly number[],
  columnOf: (index: number, canonical: string) => string,
): Promise<{ errors: ImportIssue[]; warnings: ImportIssue[] }> {
  const stored = await storage.exchangeRates.list(ctx.workspaceId);
  const issue = (i: number, reason: string): ImportIssue => {
    const r = rows[i] as ExchangeRateRow;
    return {
      file: ctx.file,
      row: rowNumbers[i] as number,
      column: columnOf(i, r.direction),
      value: String(r.entered),
      reason,
    };
  };
  const errors = baseErrors(ctx.reportingCurrency, stored, rows).map(([i, reason]) => issue(i, reason));
  const refused = new Set(errors.map((e) => e.row));
  const kept = rows.flatMap((r, i) => (refused.has(rowNumbers[i] as number) ? [] : [{ r, i }]));
  const warnings = jumpWarnings(ctx.reportingCurrency, stored, kept).map(([i, reason]) => issue(i, reason));
  warnings.sort((a, b) => a.row - b.row);
  return { errors, warnings };
}

/** Rows whose currency-named column names another currency than the reporting one: [row index, reason]. */
function baseErrors(
  rep: string,
  stored: readonly ExchangeRate[],
  rows: readonly ExchangeRateRow[],
): Array<[number, string]> {
  // A table that holds the reporting currency's own rate is quoted in another base, and revenue
  // crosses every rate through it (core createRateLookup): rates in that base are right there.
  if (stored.some((s) => s.currency === rep) || rows.some((r) => r.currency === rep)) return [];
  const lower = rep.toLowerCase();
  return rows.flatMap(
    (r, i): Array<[number, string]> =>
      r.quotedIn === null || r.quotedIn === rep
        ? []
        : [
            [
              i,
              `${r.direction === "reporting_per_unit" ? `${r.quotedIn.toLowerCase()}_per_unit` : `units_per_${r.quotedIn.toLowerCase()}`} ` +
                `gives rates in ${r.quotedIn}, but the reporting currency is ${rep}: give rates per ${rep} ` +
                `(${lower}_per_unit or units_per_${lower}), or add ${rep}'s own rate in ${r.quotedIn} (a row with ` +
                `currency ${rep}) so that every rate is crossed through it`,
            ],
          ],
  );
}

/**
 * Rates more than RATE_JUMP_WARNING times above or below the currency's previous rate (for its first
 * rate, the next one), among the stored rates and the file's (which replace stored ones of the same
 * date): [row index, reason naming the rate, the other rate and the ratio, and a likely inversion].
 * A currency's only rate has neither: it is held to ROUGH_RATE_WARNING times the built-in rough rate
 * (roughRate), so that a first rate entered the wrong way round is caught too.
 */
function jumpWarnings(
  rep: string,
  stored: readonly ExchangeRate[],
  rows: ReadonlyArray<{ r: ExchangeRateRow; i: number }>,
): Array<[number, string]> {
  type Point = { date: string; rate: number; row: { r: ExchangeRateRow; i: number } | null };
  const byCurrency = new Map<string, Map<string, Point>>();
  const add = (currency: string, p: Point) => {
    let m = byCurrency.get(currency);
    if (m === undefined) {
      m = new Map();
      byCurrency.set(currency, m);
    }
    m.set(p.date, p);
  };
  for (const s of stored) add(s.currency, { date: s.date, rate: s.rate, row: null });
  for (const row of rows) add(row.r.currency, { date: row.r.date, rate: row.r.rate, row });

  // Rates quoted in another base (the table holds the reporting currency's own rate) are not
  // comparable with the rough table, which is per reporting-currency unit.
  const otherBase = byCurrency.has(rep);
  const out: Array<[number, string]> = [];
  for (const [currency, m] of byCurrency) {
    const series = [...m.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
    series.forEach((p, k) => {
      if (p.row === null) return;
      const neighbour = k > 0 ? series[k - 1] : series[k + 1];
      const rough = neighbour === undefined && !otherBase ? roughRate(currency, rep) : null;
      const other = neighbour ?? (rough === null ? undefined : { date: null, rate: rough });
      if (other === undefined) return;
      const limit = neighbour === undefined ? ROUGH_RATE_WARNING : RATE_JUMP_WARNING;
      const ratio = p.rate / other.rate;
      if (ratio <= limit && ratio >= 1 / limit) return;
      const { r, i } = p.row;
      const unit = `${r.quotedIn ?? rep} per ${currency}`;
      const which = neighbour === undefined ? "typical" : k > 0 ? "previous" : "next";
      const times = ratio >= 1 ? `${fmtRatio(ratio)}×` : `1/${fmtRatio(1 / ratio)} of`;
      // Entered the other way round, the rate would sit near the other one: say so.
      const inverted = r.direction === "reporting_per_unit" ? 1 / r.entered : r.entered;
      const flipped = inverted / other.rate;
      const otherColumn = r.direction === "reporting_per_unit" ? "units_per_reporting" : "reporting_per_unit";
      const hint =
        flipped <= limit && flipped >= 1 / limit
          ? ` It looks entered the other way round: read as ${otherColumn} it gives ${fmt(inverted)} ${unit}, near the ${which} rate.`
          : "";
      const asEntered =
        r.direction === "reporting_per_unit"
          ? `${fmt(p.rate)} ${unit}`
          : `${fmt(r.entered)} ${currency} per ${r.quotedIn ?? rep} (${fmt(p.rate)} ${unit})`;
      const against =
        other.date === null
          ? `the currency's first rate and ${times} a typical rate (about ${fmt(other.rate)} ${unit})`
          : `${times} the ${which} rate ${fmt(other.rate)} ${unit} (${other.date})`;
      out.push([i, `${currency} rate ${asEntered} on ${p.date} is ${against}.${hint}`]);
    });
  }
  return out;
}

/**
 * Exchange rates: from `date` on, the value of 1 `currency` in the reporting currency. The file names
 * the direction by its column: reporting_per_unit (alias rate, as before; usd_per_unit, ...) or
 * units_per_reporting (units_per_usd, ...: 1 USD = 7.2 CNY). Stored as reporting currency per unit.
 */
export const exchangeRateKind: KindDefinition<ExchangeRateRow> = {
  kind: "exchange-rates",
  columns: ["date", "currency", "reporting_per_unit", "units_per_reporting"],
  aliases: {
    from: "date",
    valid_from: "date",
    effective_date: "date",
    code: "currency",
    rate: "reporting_per_unit",
    ...namedAliases,
  },
  implies: namedImplies,
  extraColumns: "ignore",
  schema: row,
  keyOf: (r) => `${r.date} ${r.currency}`,
  keyColumn: "currency",
  review: reviewRates,
  // Every MRR converts through the rates.
  listedAccounts: "all",
  write: (tx, ws, rows, onProgress) =>
    tx.exchangeRates.upsertMany(
      ws,
      rows.map((r) => ({ date: r.date, currency: r.currency, rate: r.rate })),
      { onProgress },
    ),
};
