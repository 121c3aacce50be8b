import { createReadStream } from "node:fs";
import { stat } from "node:fs/promises";
import path from "node:path";
import { TenureError } from "@tenure/core";
import type { Storage } from "@tenure/storage";
import type { ImportIssue } from "../import/types";
import { insertFresh, PendingUsage } from "./ingest";
import { jsonLineChunks } from "./json-lines";
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
  /** Progress in bytes of the file read and written so far (`phase` is always "write" now). */
  onProgress?: (done: number, total: number, phase: "read" | "write") => void;
  /** Calls parsed before each write (default 50,000); tests lower it. */
  chunkSize?: number;
}

/** Calls parsed before they are written with one `insertNew` (which inserts their ids sorted). */
const WRITE_CHUNK = 50_000;
const MAX_ERRORS = 1_000;

/** Thrown inside the import transaction to roll it back when a bad line was found. */
class BadLines extends Error {}

/**
 * Imports a JSON-lines file of Segment calls with the tracking API's semantics (dedup by
 * messageId, identify/group mapping, rollups). Any bad line means nothing is written.
 */
export function importEvents(storage: Storage, input: EventImportInput): Promise<EventImportSummary> {
  const content = input.content;
  async function* once(): AsyncGenerator<Uint8Array> {
    yield content;
  }
  return importEventStream(storage, {
    workspaceId: input.workspaceId,
    fileName: input.fileName,
    chunks: once(),
    totalBytes: content.length,
    onProgress: input.onProgress,
    chunkSize: input.chunkSize,
  });
}

/** Reads a JSON-lines file as a stream and imports it (see `importEvents`). */
export async function importEventsFile(
  storage: Storage,
  input: Omit<EventImportInput, "fileName" | "content"> & { path: string },
): Promise<EventImportSummary> {
  let size: number;
  try {
    size = (await stat(input.path)).size;
  } catch (error) {
    throw new TenureError("not_found", `cannot read ${input.path}: ${(error as Error).message}`);
  }
  return importEventStream(storage, {
    workspaceId: input.workspaceId,
    fileName: path.basename(input.path),
    chunks: createReadStream(input.path, { highWaterMark: 1 << 20 }),
    totalBytes: size,
    onProgress: input.onProgress,
    chunkSize: input.chunkSize,
  });
}

/**
 * One pass over the file inside one transaction: lines are validated and written as they stream in;
 * rollups, users and identity changes are kept in memory and written once at the end. A bad line stops
 * the writing, the rest is still validated (to report every bad line) and the transaction rolls back.
 */
async function importEventStream(
  storage: Storage,
  input: {
    workspaceId: string;
    fileName: string;
    chunks: AsyncIterable<Uint8Array>;
    totalBytes: number;
    onProgress: EventImportInput["onProgress"];
    chunkSize: number | undefined;
  },
): Promise<EventImportSummary> {
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
  const issue = (row: number, column: string | null, reason: string): ImportIssue => ({
    file,
    row,
    column,
    value: null,
    reason,
  });
  const receivedAt = new Date().toISOString();
  const chunkSize = input.chunkSize ?? WRITE_CHUNK;
  const pending = new PendingUsage();
  try {
    await storage.transaction(async (tx) => {
      let batch: TrackingMessage[] = [];
      const write = async () => {
        if (summary.errors.length === 0 && batch.length > 0) {
          const accepted = await insertFresh(tx, input.workspaceId, batch, receivedAt, pending);
          summary.accepted += accepted;
          summary.duplicates += batch.length - accepted;
        }
        batch = [];
      };
      let row = 0;
      for await (const chunk of jsonLineChunks(input.chunks)) {
        if (chunk.invalidUtf8) {
          summary.errors.push(issue(0, null, `${file} is not valid UTF-8 text`));
          break;
        }
        for (const raw of chunk.lines) {
          row++;
          const line = raw.trim();
          if (line === "") continue;
          summary.rowsRead++;
          let value: unknown;
          try {
            value = JSON.parse(line);
          } catch (error) {
            if (summary.errors.length < MAX_ERRORS)
              summary.errors.push(issue(row, null, `invalid JSON: ${(error as Error).message}`));
            continue;
          }
          const r = parseTrackingMessage(value, `line ${row}`, { receivedAt, serialized: line });
          if (!r.ok) {
            if (summary.errors.length < MAX_ERRORS)
              summary.errors.push(issue(row, r.issue.field === "" ? null : r.issue.field, r.issue.message));
          } else if (summary.errors.length === 0) {
            batch.push(r.message);
            if (batch.length >= chunkSize) await write();
          }
        }
        input.onProgress?.(chunk.bytesRead, input.totalBytes, "write");
      }
      await write();
      if (summary.rowsRead === 0 && summary.errors.length === 0)
        summary.errors.push(issue(0, null, "file has no events"));
      if (summary.errors.length > 0) throw new BadLines();
      summary.createdAccounts = await pending.flush(tx, input.workspaceId);
    });
  } catch (error) {
    if (error instanceof BadLines) return { ...summary, accepted: 0, duplicates: 0 };
    throw error;
  }
  return { ...summary, written: true };
}
