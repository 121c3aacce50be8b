import { csvRecordStream, type RawRecord, type RecordStream } from "./csv-records";
import type { ImportFormat, ImportIssue } from "./types";

export type { RawRecord, RecordStream } from "./csv-records";

const CHUNK_ROWS = 1000;

const fileIssue = (file: string, reason: string, row = 0): ImportIssue => ({
  file,
  row,
  column: null,
  value: null,
  reason,
});

/** Decodes strict UTF-8 (a BOM is dropped); returns null when the bytes are not UTF-8. */
export function decodeUtf8(content: Uint8Array): string | null {
  try {
    return new TextDecoder("utf-8", { fatal: true }).decode(content);
  } catch {
    return null;
  }
}

/** Guesses the format from the content: JSON starts with "[" or "{", anything else is CSV. */
export function sniffFormat(text: string): ImportFormat {
  const first = text.trimStart()[0];
  return first === "[" || first === "{" ? "json" : "csv";
}

/** Opens a file's rows as a stream of 1,000-row chunks; unreadable files give issues and no rows. */
export function openRecords(
  file: string,
  content: Uint8Array,
  format: ImportFormat | undefined,
): RecordStream & { format: ImportFormat } {
  const text = decodeUtf8(content);
  if (text === null) {
    const reason = `${file} is not valid UTF-8 text; re-save it as UTF-8 (e.g. "CSV UTF-8") and retry`;
    return { format: format ?? "csv", ...fromArray([], [fileIssue(file, reason)]) };
  }
  const chosen = format ?? sniffFormat(text);
  const stream = chosen === "csv" ? csvRecordStream(file, text) : jsonRecords(file, text);
  if (stream.total === 0 && stream.issues.length === 0)
    stream.issues.push(fileIssue(file, "file has no rows"));
  return { format: chosen, ...stream };
}

function fromArray(records: RawRecord[], issues: ImportIssue[]): RecordStream {
  return {
    total: records.length,
    issues,
    *chunks() {
      for (let i = 0; i < records.length; i += CHUNK_ROWS) yield records.slice(i, i + CHUNK_ROWS);
    },
  };
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** A JSON array (rows = index + 1) or JSON lines (rows = line numbers, blank lines skipped). */
function jsonRecords(file: string, text: string): RecordStream {
  const records: RawRecord[] = [];
  const issues: ImportIssue[] = [];
  const body = text.trimStart();
  if (body.startsWith("[")) {
    let data: unknown;
    try {
      data = JSON.parse(body);
    } catch (error) {
      return fromArray([], [fileIssue(file, `not valid JSON: ${(error as Error).message}`)]);
    }
    if (!Array.isArray(data)) return fromArray([], [fileIssue(file, "expected a JSON array of objects")]);
    data.forEach((item: unknown, index) => {
      if (isObject(item)) records.push({ row: index + 1, values: item });
      else issues.push(fileIssue(file, "expected an object", index + 1));
    });
    return fromArray(records, issues);
  }
  const lines = text.split("\n");
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] ?? "").trim();
    if (line === "") continue;
    try {
      const item: unknown = JSON.parse(line);
      if (isObject(item)) records.push({ row: i + 1, values: item });
      else issues.push(fileIssue(file, "expected a JSON object on this line", i + 1));
    } catch {
      issues.push(fileIssue(file, "not valid JSON", i + 1));
    }
  }
  return fromArray(records, issues);
}
