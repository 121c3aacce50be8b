/** One cell of an in-memory table: CSV strings, numbers, booleans or blanks. */
export type Cell = string | number | boolean | null | undefined;

/** One row, keyed by column name. */
export type DataRow = Readonly<Record<string, Cell>>;

/** A labelled or unlabelled table held in memory; `columns` is the header order. */
export interface DataTable {
  columns: readonly string[];
  rows: readonly DataRow[];
}

/** True for null, undefined, NaN and strings that are empty after trimming (Telco writes " "). */
export function isBlank(v: Cell): boolean {
  if (v === null || v === undefined) return true;
  if (typeof v === "number") return Number.isNaN(v);
  if (typeof v === "string") return v.trim() === "";
  return false;
}

/** The number in a cell, or NaN when it is blank or not numeric. */
export function toNumber(v: Cell): number {
  if (typeof v === "number") return v;
  if (typeof v === "boolean" || v === null || v === undefined) return Number.NaN;
  const t = v.trim();
  if (t === "") return Number.NaN;
  const n = Number(t);
  return Number.isFinite(n) ? n : Number.NaN;
}

/** The category of a cell; blanks form their own category. */
export function toCategory(v: Cell): string {
  return isBlank(v) ? "(blank)" : String(v).trim();
}
