/**
 * CSV for spreadsheets, safe to open: RFC 4180 quoting and formula-injection neutralised (OWASP
 * "CSV injection"). Every CSV the product writes goes through `toCsv`.
 */

/** A cell: text, a number, or empty. Numbers are written as numbers; only text is neutralised. */
export type CsvValue = string | number | null | undefined;

/** First characters a spreadsheet reads as the start of a formula (or that hide one: tab, CR, LF). */
const FORMULA_START = /^[=+\-@\t\r\n]/;
/** Text that is just a number ("-12", "+3.5", "-1e3"): a spreadsheet reads it as that number, never a formula. */
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

/**
 * Text as a spreadsheet must show it: a leading apostrophe when it would start a formula
 * (`=`, `+`, `-`, `@`, tab, CR, LF first), except text that is only a number ("-12.5" stays a number).
 * @example neutraliseFormula("=HYPERLINK(\"http://x\")") // "'=HYPERLINK(\"http://x\")"
 * @example neutraliseFormula("-12.5") // "-12.5"
 */
export function neutraliseFormula(text: string): string {
  return FORMULA_START.test(text) && !PLAIN_NUMBER.test(text) ? `'${text}` : text;
}

/** One cell, neutralised and quoted when it holds a comma, quote or line break. */
export function csvCell(value: CsvValue): string {
  if (value === null || value === undefined) return "";
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : "";
  const text = neutraliseFormula(value);
  return /[",\r\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

/**
 * Rows as CSV text: CRLF line ends, a UTF-8 byte-order mark first (so Excel reads non-ASCII text,
 * e.g. Chinese headers, right).
 * @example toCsv([["name", "arr"], ["=1+2", -5]]) // "\uFEFFname,arr\r\n'=1+2,-5\r\n"
 */
export function toCsv(rows: readonly (readonly CsvValue[])[]): string {
  return `\uFEFF${rows.map((r) => r.map(csvCell).join(",")).join("\r\n")}\r\n`;
}
