import { BILLING_INTERVALS, type BillingInterval } from "@tenure/core";
import { z } from "zod";
import { dateProblem } from "./calendar";
import { DEFAULT_IMPORT_CURRENCY, ISO_4217_CODES } from "./currencies";

export { isCalendarDate } from "./calendar";

/** A parse result: the value, or why the cell is wrong. */
type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = (reason: string): Parsed<never> => ({ ok: false, reason });

/** Wraps a cell parser as a zod schema whose issue message is the parser's reason. */
export function field<T>(parse: (raw: unknown) => Parsed<T>) {
  return z.unknown().transform((raw, ctx): T => {
    const result = parse(raw);
    if (result.ok) return result.value;
    ctx.addIssue({ code: "custom", message: result.reason });
    return z.NEVER;
  });
}

/**
 * A cell as trimmed text; empty, null and absent cells are null. A NUL character is refused: PostgreSQL
 * cannot store it in text, and SQLite would; both now answer the same row error.
 */
export function cellText(raw: unknown): Parsed<string | null> {
  if (raw === undefined || raw === null) return ok(null);
  if (typeof raw === "string") {
    if (raw.includes("\u0000")) return fail(NUL_REASON);
    const text = raw.trim();
    return ok(text === "" ? null : text);
  }
  if (typeof raw === "number" || typeof raw === "boolean") return ok(String(raw));
  return fail("must be text");
}

function required<T>(parse: (raw: unknown) => Parsed<T | null>, name: string) {
  return (raw: unknown): Parsed<T> => {
    const result = parse(raw);
    if (result.ok && result.value === null) return fail(`${name} is required`);
    return result as Parsed<T>;
  };
}

function withDefault<T>(parse: (raw: unknown) => Parsed<T | null>, fallback: T) {
  return (raw: unknown): Parsed<T> => {
    const result = parse(raw);
    return result.ok && result.value === null ? ok(fallback) : (result as Parsed<T>);
  };
}

/** Optional text. */
export const optionalText = () => field(cellText);
/** Required text; `name` is used in the message. */
export const requiredText = (name: string) => field(required(cellText, name));
/** Text with a fallback when empty. */
export const textOr = (fallback: string) => field(withDefault(cellText, fallback));

/** The reason a text cell holding U+0000 is refused. */
export const NUL_REASON = "must not contain a NUL character (\\u0000)";

function parseDate(raw: unknown): Parsed<string | null> {
  const text = cellText(raw);
  if (!text.ok) return text;
  if (text.value === null) return ok(null);
  const problem = dateProblem(text.value);
  return problem === null ? ok(text.value) : fail(problem);
}

/** Optional YYYY-MM-DD calendar date. */
export const optionalDate = () => field(parseDate);
/** Required YYYY-MM-DD calendar date. */
export const requiredDate = (name: string) => field(required(parseDate, name));

const MONTH = /^(\d{4})-(0[1-9]|1[0-2])$/;

/** Required YYYY-MM month. */
export const requiredMonth = (name: string) =>
  field(
    required((raw) => {
      const text = cellText(raw);
      if (!text.ok) return text;
      if (text.value === null) return ok(null);
      if (!MONTH.test(text.value)) return fail("must be a month in the form YYYY-MM");
      const problem = dateProblem(`${text.value}-01`);
      return problem === null ? ok(text.value) : fail(problem);
    }, name),
  );

const NUMBER = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?$/;

/**
 * Largest amount of money per row (in its own currency): ten trillion, above any real subscription
 * price even in currencies of small units (VND, IRR), far below where sums lose whole units.
 */
export const MAX_AMOUNT = 1e13;
/** Largest seat count per subscription row. */
export const MAX_SEATS = 1e9;
/** Largest allowance (entitlement quantity): usage units such as API calls or bytes. */
export const MAX_ALLOWANCE = 1e15;

const formatLimit = (n: number) => n.toLocaleString("en-US", { maximumFractionDigits: 12 });

/**
 * A cell as a finite number; empty is null. Accepts JSON numbers and numeric text. Text that
 * overflows (1e309) is refused here, not read as Infinity.
 */
export function cellNumber(raw: unknown): Parsed<number | null> {
  if (typeof raw === "number") return Number.isFinite(raw) ? ok(raw) : fail("must be a finite number");
  const text = cellText(raw);
  if (!text.ok) return text;
  if (text.value === null) return ok(null);
  if (!NUMBER.test(text.value)) return fail("must be a number");
  const n = Number(text.value);
  return Number.isFinite(n) ? ok(n) : fail("must be a finite number (it overflows)");
}

/** A number in [min, max] (`above`: min itself excluded); `name` is used in the message. */
function inRange(name: string, min: number, max: number, above = false) {
  return (raw: unknown): Parsed<number | null> => {
    const n = cellNumber(raw);
    if (!n.ok || n.value === null) return n;
    if (above ? n.value <= min : n.value < min) return fail(`${name} must be ${above ? ">" : "≥"} ${min}`);
    if (n.value > max) return fail(`${name} must be at most ${formatLimit(max)}`);
    return n;
  };
}

/** Required amount, 0..MAX_AMOUNT. */
export const requiredAmount = (name = "amount") => field(required(inRange(name, 0, MAX_AMOUNT), name));
/** Optional amount, 0..MAX_AMOUNT. */
export const optionalAmount = (name = "amount") => field(inRange(name, 0, MAX_AMOUNT));

/** Required number > 0 and at most `max`. */
export const positiveNumber = (name: string, max: number) =>
  field(required(inRange(name, 0, max, true), name));

/** Integer 1..MAX_SEATS, default 1 (seats). */
export const quantity = () =>
  field(
    withDefault((raw) => {
      const n = cellNumber(raw);
      if (n.ok && n.value !== null) {
        if (!Number.isInteger(n.value) || n.value <= 0) return fail("quantity must be a whole number > 0");
        if (n.value > MAX_SEATS) return fail(`quantity must be at most ${formatLimit(MAX_SEATS)}`);
      }
      return n;
    }, 1),
  );

/** Percentage 0..100, default 0; accepts "10%". */
export const discountPct = () =>
  field(
    withDefault((raw) => {
      const cell = typeof raw === "string" ? raw.trim().replace(/%$/, "") : raw;
      const n = cellNumber(cell);
      if (n.ok && n.value !== null && (n.value < 0 || n.value > 100)) {
        return fail("discount must be between 0 and 100");
      }
      return n;
    }, 0),
  );

const INTERVALS: Record<string, BillingInterval> = {
  month: "month",
  monthly: "month",
  mo: "month",
  quarter: "quarter",
  quarterly: "quarter",
  year: "year",
  yearly: "year",
  annual: "year",
  annually: "year",
};

function parseInterval(raw: unknown): Parsed<BillingInterval | null> {
  const text = cellText(raw);
  if (!text.ok) return text;
  if (text.value === null) return ok(null);
  const interval = INTERVALS[text.value.toLowerCase()];
  return interval === undefined
    ? fail(`unknown billing interval (expected one of ${BILLING_INTERVALS.join(", ")})`)
    : ok(interval);
}

/** Billing interval with its common spellings; `fallback` when empty (null: optional). */
export const interval = <F extends BillingInterval | null>(fallback: F) =>
  field((raw): Parsed<BillingInterval | F> => {
    const result = parseInterval(raw);
    return result.ok && result.value === null ? ok(fallback) : (result as Parsed<BillingInterval>);
  });

function parseCurrency(raw: unknown): Parsed<string | null> {
  const text = cellText(raw);
  if (!text.ok) return text;
  if (text.value === null) return ok(null);
  const code = text.value.toUpperCase();
  if (!/^[A-Z]{3}$/.test(code)) return fail("currency must be a 3-letter ISO 4217 code such as USD");
  return ISO_4217_CODES.has(code)
    ? ok(code)
    : fail(`unknown currency code ${code} (expected ISO 4217, e.g. USD)`);
}

/** Currency for a column that may be absent (then USD); a present but empty cell is an error. */
export const currency = () =>
  field((raw) => {
    if (raw === undefined) return ok(DEFAULT_IMPORT_CURRENCY);
    return required(parseCurrency, "currency")(raw);
  });
/** Required currency, no default (exchange rates). */
export const requiredCurrency = () => field(required(parseCurrency, "currency"));
/** Optional currency (plans). */
export const optionalCurrency = () => field(parseCurrency);

const TRUE = new Set(["true", "yes", "y", "1", "t"]);
const FALSE = new Set(["false", "no", "n", "0", "f"]);

/** Boolean cell (true/false, yes/no, 1/0), default false. */
export const flag = () =>
  field((raw): Parsed<boolean> => {
    if (typeof raw === "boolean") return ok(raw);
    const text = cellText(raw);
    if (!text.ok) return text;
    if (text.value === null) return ok(false);
    const lower = text.value.toLowerCase();
    if (TRUE.has(lower)) return ok(true);
    if (FALSE.has(lower)) return ok(false);
    return fail("must be true or false");
  });

/** A value from a fixed list, matched case-insensitively with spaces and dashes read as "_". */
export const oneOf = <T extends string>(values: readonly T[], name: string) =>
  field((raw): Parsed<T | null> => {
    const text = cellText(raw);
    if (!text.ok) return text;
    if (text.value === null) return ok(null);
    const normalized = text.value.toLowerCase().replace(/[\s-]+/g, "_");
    return (values as readonly string[]).includes(normalized)
      ? ok(normalized as T)
      : fail(`unknown ${name} (expected one of ${values.join(", ")})`);
  });
