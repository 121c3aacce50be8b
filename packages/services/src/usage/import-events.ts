import { readFile } from "node:fs/promises";
import path from "node:path";
import { TenureError } from "@tenure/core";
import type { Storage } from "@tenure/storage";
import { decodeUtf8 } from "../import/parse-records";
import type { ImportIssue } from "../import/types";
import { ingestInto } from "./ingest";
import { parseTrackingMessage, type TrackingMessage } from "./tracking-message";

/** Result of `tenure import events`. */
export interface EventImportSummary {
  file: string;
  /** Non-blank lines read. */
  rowsRead: number;
  /** Calls with a new messageId. */
  accepted: number;
  /** Calls whose messageId was already stored. */
  duplicates: number;
  createdAccounts: string[];
  /** One per bad line (`row` = line number, `column` = the field). */
  errors: ImportIssue[];
  /** False when a bad line (or an empty file) meant nothing was written. */
  written: boolean;
}

export interface EventImportInput {
  workspaceId: string;
  fileName: string;
  /** JSON lines: one Segment call per line, each with its `type`. */
  content: Uint8Array;
  /** `phase` "read": lines validated; "write": calls written. */
  onProgress?: (done: number, total: number, phase: "read" | "write") => void;
}

/** Calls written per statement group; progress is reported after each. */
const WRITE_CHUNK = 5_000;
const MAX_ERRORS = 1_000;

/**
 * Imports a JSON-lines file of Segment calls with the tracking API's semantics (dedup by
 * messageId, identify/group mapping, rollups). Any bad line means nothing is written.
 */
export async function importEvents(storage: Storage, input: EventImportInput): Promise<EventImportSummary> {
  const file = input.fileName;
  const summary: EventImportSummary = {
    file,
    rowsRead: 0,
    accepted: 0,
    duplicates: 0,
    createdAccounts: [],
    errors: [],
    written: false,
  };
  const text = decodeUtf8(input.content);
  const issue = (row: number, column: string | null, reason: string): ImportIssue => ({
    file,
    row,
    column,
    value: null,
    reason,
  });
  if (text === null) {
    summary.errors.push(issue(0, null, `${file} is not valid UTF-8 text`));
    return summary;
  }
  const lines = text.split("\n");
  const receivedAt = new Date().toISOString();
  const messages: TrackingMessage[] = [];
  for (let i = 0; i < lines.length; i++) {
    const line = (lines[i] as string).trim();
    if (line === "") continue;
    summary.rowsRead++;
    const row = i + 1;
    let raw: unknown;
    try {
      raw = JSON.parse(line);
    } catch (error) {
      if (summary.errors.length < MAX_ERRORS)
        summary.errors.push(issue(row, null, `invalid JSON: ${(error as Error).message}`));
      continue;
    }
    const r = parseTrackingMessage(raw, `line ${row}`, { receivedAt, serialized: line });
    if (r.ok) messages.push(r.message);
    else if (summary.errors.length < MAX_ERRORS)
      summary.errors.push(issue(row, r.issue.field === "" ? null : r.issue.field, r.issue.message));
    if (summary.rowsRead % 1_000 === 0) input.onProgress?.(summary.rowsRead, lines.length, "read");
  }
  input.onProgress?.(summary.rowsRead, summary.rowsRead, "read");
  if (summary.rowsRead === 0) summary.errors.push(issue(0, null, "file has no events"));
  if (summary.errors.length > 0) return summary;

  const created = new Set<string>();
  await storage.transaction(async (tx) => {
    for (let i = 0; i < messages.length; i += WRITE_CHUNK) {
      const result = await ingestInto(tx, input.workspaceId, messages.slice(i, i + WRITE_CHUNK));
      summary.accepted += result.accepted;
      summary.duplicates += result.duplicates;
      for (const id of result.createdAccounts) created.add(id);
      input.onProgress?.(Math.min(i + WRITE_CHUNK, messages.length), messages.length, "write");
    }
  });
  return { ...summary, createdAccounts: [...created], written: true };
}

/** Reads a JSON-lines file and imports it (see `importEvents`). */
export async function importEventsFile(
  storage: Storage,
  input: Omit<EventImportInput, "fileName" | "content"> & { path: string },
): Promise<EventImportSummary> {
  let content: Buffer;
  try {
    content = await readFile(input.path);
  } catch (error) {
    throw new TenureError("not_found", `cannot read ${input.path}: ${(error as Error).message}`);
  }
  const { path: filePath, ...rest } = input;
  return importEvents(storage, { ...rest, fileName: path.basename(filePath), content });
}
