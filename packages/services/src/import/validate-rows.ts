import type { KindDefinition } from "./kind-definition";
import { createColumnMapper } from "./map-columns";
import type { RawRecord } from "./parse-records";
import type { ImportIssue } from "./types";

export interface RowValidator<T> {
  /** Maps and validates a chunk of records; good rows and issues accumulate. */
  add(records: readonly RawRecord[]): void;
  rows: T[];
  /** The file row of each of `rows`. */
  rowNumbers: number[];
  /** For kinds with a review: the file's column name of each canonical column, per row of `rows`. */
  sources: Record<string, string>[];
  issues: ImportIssue[];
}

const MAX_VALUE_LENGTH = 200;

function showValue(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  const text = typeof value === "string" ? value : JSON.stringify(value);
  return text.length > MAX_VALUE_LENGTH ? `${text.slice(0, MAX_VALUE_LENGTH)}…` : text;
}

/**
 * Validates records against the kind's zod schema after alias mapping. A key seen twice is an error
 * on the later row naming the first; rows with any issue are left out of `rows`.
 */
export function createRowValidator<T>(def: KindDefinition<T>, file: string): RowValidator<T> {
  const mapRecord = createColumnMapper(def);
  const firstRowOf = new Map<string, number>();
  const rows: T[] = [];
  const rowNumbers: number[] = [];
  const sources: Record<string, string>[] = [];
  const keepSources = def.review !== undefined;
  const issues: ImportIssue[] = [];

  const check = (record: RawRecord) => {
    const { values, sourceOf } = mapRecord(record.values);
    const result = def.schema.safeParse(values);
    if (!result.success) {
      for (const issue of result.error.issues) {
        const [head, sub] = issue.path.map(String);
        const canonical = head === "custom_fields" && sub !== undefined ? `custom_fields.${sub}` : head;
        const column = canonical === undefined ? null : (sourceOf[canonical] ?? canonical);
        const raw = column === null ? undefined : record.values[column];
        issues.push({ file, row: record.row, column, value: showValue(raw), reason: issue.message });
      }
      return;
    }
    const key = def.keyOf(result.data);
    const first = firstRowOf.get(key);
    if (first !== undefined) {
      const column = sourceOf[def.keyColumn] ?? def.keyColumn;
      issues.push({
        file,
        row: record.row,
        column,
        value: showValue(record.values[column]),
        reason: `duplicate ${def.keyColumn} ${key} (first seen on row ${first})`,
      });
      return;
    }
    firstRowOf.set(key, record.row);
    rows.push(result.data);
    rowNumbers.push(record.row);
    if (keepSources) sources.push(sourceOf);
  };

  return {
    rows,
    rowNumbers,
    sources,
    issues,
    add(records) {
      for (const record of records) check(record);
    },
  };
}
