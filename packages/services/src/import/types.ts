/** What an import file holds. */
export type ImportKind =
  | "accounts"
  | "contacts"
  | "products"
  | "plans"
  | "subscriptions"
  | "spend"
  | "exchange-rates"
  | "entitlements"
  | "team";

export const IMPORT_KINDS: readonly ImportKind[] = [
  "accounts",
  "contacts",
  "products",
  "plans",
  "subscriptions",
  "spend",
  "exchange-rates",
  "entitlements",
  "team",
];

/** "json" covers both a JSON array of objects and JSON lines (one object per line). */
export type ImportFormat = "csv" | "json";

/**
 * One problem found in an import file.
 * `row`: for CSV the line number in the file (the header is line 1, so the first data row is 2;
 * a quoted field spanning lines reports the record's last line); for a JSON array the element's
 * index + 1; for JSON lines the line number. 0 means the whole file.
 * `column` is the column as named in the file (before alias mapping).
 */
export interface ImportIssue {
  file: string;
  row: number;
  column: string | null;
  value: string | null;
  reason: string;
}

export interface ImportSummary {
  kind: ImportKind;
  file: string;
  format: ImportFormat;
  rowsRead: number;
  inserted: number;
  updated: number;
  unchanged: number;
  /** Accounts created as `{ id, name: id }` because a subscription or contact named them. */
  createdAccounts: string[];
  errors: ImportIssue[];
  /** Rows written but worth a look (an exchange rate far from the currency's previous one). */
  warnings: ImportIssue[];
  /** False when nothing was written (a bad row without `allowPartial`, or no valid rows). */
  written: boolean;
}

/** "read": rows parsed and validated; "write": rows written. Both count rows. */
export type ImportPhase = "read" | "write";

export interface ImportDataInput {
  workspaceId: string;
  kind: ImportKind;
  /** Shown in issues; also used to guess the format when `format` is absent. */
  fileName: string;
  content: Uint8Array;
  format?: ImportFormat;
  /** Write the good rows even when some rows are bad (default false: all or nothing). */
  allowPartial?: boolean;
  /** ISO 4217 code of the reporting currency (TENURE_REPORTING_CURRENCY; default USD): exchange rates are checked against it. */
  reportingCurrency?: string;
  /** Called at least every 1,000 rows; `phase` tells what `done` and `total` count. */
  onProgress?: (done: number, total: number, phase: ImportPhase) => void;
}

export interface ImportFileInput extends Omit<ImportDataInput, "fileName" | "content"> {
  path: string;
}
