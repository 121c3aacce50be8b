import type { Storage, StorageTransaction, UpsertResult } from "@tenure/storage";
import type { z } from "zod";
import type { ImportIssue, ImportKind } from "./types";

/** What a kind's cross-row review knows about the import. */
export interface ReviewContext {
  workspaceId: string;
  file: string;
  /** ISO 4217 code of the reporting currency. */
  reportingCurrency: string;
}

/** Everything the import pipeline needs to know about one kind of file. */
export interface KindDefinition<T> {
  kind: ImportKind;
  /** Canonical column names, as written in docs/import.md. */
  columns: readonly string[];
  /** Alias (normalised: lower case, spaces and dashes as "_") → canonical column. */
  aliases: Readonly<Record<string, string>>;
  /** Columns that, when used, also fix another column's value (`mrr` means interval=month). */
  implies?: Readonly<Record<string, { column: string; value: string }>>;
  /** What to do with columns that are neither canonical nor aliases. */
  extraColumns: "ignore" | "custom_fields";
  /** Validates one mapped row (canonical column → raw cell) into the domain record. */
  schema: z.ZodType<T, Record<string, unknown>>;
  /** Identity within a file, for duplicate detection; `keyColumn` is where a duplicate is reported. */
  keyOf: (row: T) => string;
  keyColumn: string;
  /** Account a row belongs to, when unknown accounts must be created first. */
  accountIdOf?: (row: T) => string;
  /**
   * Checks across rows and stored data, after every row is valid and before anything is written.
   * `errors` block the import like a bad row (with allowPartial, those rows are left out); `warnings`
   * are reported and do not. `columnOf(i, canonical)` is the file's name of a column of row `i`.
   */
  review?: (
    storage: Storage,
    ctx: ReviewContext,
    rows: readonly T[],
    rowNumbers: readonly number[],
    columnOf: (index: number, canonical: string) => string,
  ) => Promise<{ errors: ImportIssue[]; warnings: ImportIssue[] }>;
  /**
   * Accounts whose row in the stored accounts list this import changes, read in the write's
   * transaction before writing (so a record moved to another account also refreshes its old one).
   * "all" for data every row depends on (exchange rates); without it, only accounts the import creates.
   */
  listedAccounts?:
    | "all"
    | ((tx: StorageTransaction, workspaceId: string, rows: readonly T[]) => Promise<string[]>);
  write: (
    tx: StorageTransaction,
    workspaceId: string,
    rows: T[],
    onProgress: (done: number, total: number) => void,
  ) => Promise<UpsertResult>;
}
