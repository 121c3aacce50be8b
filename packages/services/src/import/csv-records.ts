import { parse } from "csv-parse/sync";
import type { ImportIssue } from "./types";

/** One data row of a file, before column mapping; `row` is numbered as documented on ImportIssue. */
export interface RawRecord {
  row: number;
  values: Record<string, unknown>;
}

const CHUNK_ROWS = 1000;

interface RecordBounds {
  /** Offset just past each non-empty record (header included). */
  ends: number[];
  /** Line number on which each record ends. */
  lines: number[];
}

/**
 * Finds record boundaries (newlines outside quotes, empty lines skipped) with line numbers, so that
 * csv-parse can be fed 1,000 rows at a time: progress between chunks and no per-record info objects.
 */
function scanRecords(text: string): RecordBounds {
  const ends: number[] = [];
  const lines: number[] = [];
  let inQuotes = false;
  let line = 1;
  let hasContent = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 34 /* " */) {
      inQuotes = !inQuotes;
      hasContent = true;
    } else if (c === 10 /* \n */ || c === 13 /* \r */) {
      if (c === 13 && text.charCodeAt(i + 1) === 10) i++;
      if (!inQuotes) {
        if (hasContent) {
          ends.push(i + 1);
          lines.push(line);
        }
        hasContent = false;
      }
      line++;
    } else {
      hasContent = true;
    }
  }
  if (hasContent) {
    ends.push(text.length);
    lines.push(line);
  }
  return { ends, lines };
}

const csvOptions = { trim: true, skip_empty_lines: true } as const;

/** Thrown csv-parse errors carry the (chunk-relative) line. */
function errorLine(error: unknown): number {
  const lines = (error as { lines?: unknown }).lines;
  return typeof lines === "number" ? lines : 0;
}

/** Rows of a file delivered 1,000 at a time; parse problems land in `issues` and end the stream. */
export interface RecordStream {
  total: number;
  chunks(): Generator<RawRecord[]>;
  issues: ImportIssue[];
}

/**
 * Streams CSV text with a header row as records numbered by the line on which each record ends
 * (header = line 1).
 */
export function csvRecordStream(file: string, text: string): RecordStream {
  const issues: ImportIssue[] = [];
  const issue = (reason: string, row: number) => {
    issues.push({ file, row, column: null, value: null, reason: `not a readable CSV file: ${reason}` });
  };
  const { ends, lines } = scanRecords(text);
  const total = Math.max(0, ends.length - 1);
  function* chunks(): Generator<RawRecord[]> {
    if (ends.length === 0) return;
    let header: string[];
    try {
      header = (parse(text.slice(0, ends[0]), csvOptions) as string[][])[0] ?? [];
    } catch (error) {
      issue((error as Error).message, 1);
      return;
    }
    for (let first = 1; first <= total; first += CHUNK_ROWS) {
      const last = Math.min(first + CHUNK_ROWS - 1, total);
      const startLine = (lines[first - 1] ?? 0) + 1;
      let parsed: Record<string, unknown>[];
      try {
        parsed = parse(text.slice(ends[first - 1], ends[last]), { ...csvOptions, columns: header });
      } catch (error) {
        issue((error as Error).message, startLine - 1 + errorLine(error));
        return;
      }
      if (parsed.length !== last - first + 1) {
        issue("unbalanced quotes", startLine);
        return;
      }
      yield parsed.map((values, k) => ({ row: lines[first + k] ?? 0, values }));
    }
  }
  return { total, chunks, issues };
}
