import { type FileHandle, open } from "node:fs/promises";
import path from "node:path";
import { TenureError } from "@tenure/core";
import type { Storage, StorageTransaction, TrackingCallType } from "@tenure/storage";
import { BLOCK_COLUMN, BLOCK_COLUMNS } from "@tenure/storage/event-log";
import type { ImportIssue } from "../import/types";
import type { ParsedBlock, ParsedLines } from "./event-lines";
import { PendingUsage } from "./ingest";
import { linePieces, type ReadInto } from "./json-lines";
import { LineParserPool } from "./line-parser-pool";
import type { TrackingMessage } from "./tracking-message";

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
  /** Calls per stored block (default 50,000; a block never spans two pieces of the file); tests lower it. */
  chunkSize?: number;
  /**
   * Worker threads that parse the file while this thread writes (default 1 for inputs of 4 MB or
   * more, else 0: parse here).
   */
  workers?: number;
}

const WRITE_CHUNK = 50_000;
const MAX_ERRORS = 1_000;
/** Bytes per piece handed to a parser (cut back to its last newline). */
const PIECE_BYTES = 1 << 20;
/** Inputs from this size get a worker thread by default (starting one costs more than small files take). */
const WORKER_MIN_BYTES = 4 << 20;
/** Pieces parsed ahead of the writer, per worker. */
const AHEAD = 3;

/** Thrown inside the import transaction to roll it back when a bad line was found. */
class BadLines extends Error {}

/**
 * Imports a JSON-lines file of Segment calls with the tracking API's semantics (dedup by
 * messageId, identify/group mapping, rollups). Any bad line means nothing is written.
 */
export function importEvents(storage: Storage, input: EventImportInput): Promise<EventImportSummary> {
  const content = input.content;
  let at = 0;
  return importEventStream(storage, {
    workspaceId: input.workspaceId,
    fileName: input.fileName,
    read: async (into, offset) => {
      const n = Math.min(into.length - offset, content.length - at);
      into.set(content.subarray(at, at + n), offset);
      at += n;
      return n;
    },
    totalBytes: content.length,
    onProgress: input.onProgress,
    chunkSize: input.chunkSize,
    workers: input.workers,
  });
}

/** Reads a JSON-lines file as a stream and imports it (see `importEvents`). */
export async function importEventsFile(
  storage: Storage,
  input: Omit<EventImportInput, "fileName" | "content"> & { path: string },
): Promise<EventImportSummary> {
  let file: FileHandle;
  let size: number;
  try {
    file = await open(input.path, "r");
    size = (await file.stat()).size;
  } catch (error) {
    throw new TenureError("not_found", `cannot read ${input.path}: ${(error as Error).message}`);
  }
  try {
    return await importEventStream(storage, {
      workspaceId: input.workspaceId,
      fileName: path.basename(input.path),
      read: async (into, offset) => (await file.read(into, offset, into.length - offset, null)).bytesRead,
      totalBytes: size,
      onProgress: input.onProgress,
      chunkSize: input.chunkSize,
      workers: input.workers,
    });
  } finally {
    await file.close();
  }
}

/**
 * One pass over the file inside one transaction: pieces of lines are parsed (on worker threads for
 * large files) into encoded blocks, which this thread writes in file order as they come back;
 * rollups, users and identity changes are kept in memory and written once at the end. A bad line
 * stops the writing, the rest is still validated (to report every bad line) and the transaction
 * rolls back.
 */
async function importEventStream(
  storage: Storage,
  input: {
    workspaceId: string;
    fileName: string;
    read: ReadInto;
    totalBytes: number;
    onProgress: EventImportInput["onProgress"];
    chunkSize: number | undefined;
    workers: number | undefined;
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
  const opts = {
    receivedAt: new Date().toISOString(),
    blockSize: input.chunkSize ?? WRITE_CHUNK,
    maxErrors: MAX_ERRORS,
  };
  const workers = input.workers ?? (input.totalBytes >= WORKER_MIN_BYTES ? 1 : 0);
  const pool = LineParserPool.start(workers);
  const pending = new PendingUsage();
  try {
    await storage.transaction(async (tx) => {
      let rows = 0;
      let stopped = false;
      const take = async (parsed: ParsedLines, bytesRead: number) => {
        if (stopped) return;
        if (parsed.invalidUtf8) {
          summary.errors.push(issue(0, null, `${file} is not valid UTF-8 text`));
          stopped = true;
          return;
        }
        summary.rowsRead += parsed.rowsRead;
        for (const e of parsed.errors)
          if (summary.errors.length < MAX_ERRORS)
            summary.errors.push(issue(rows + e.row, e.column, e.reason));
        rows += parsed.lines;
        if (summary.errors.length === 0)
          for (const block of parsed.blocks) await writeBlock(tx, input.workspaceId, block, pending, summary);
        input.onProgress?.(bytesRead, input.totalBytes, "write");
      };
      const ahead: Array<{ parsed: Promise<ParsedLines>; bytesRead: number }> = [];
      for await (const piece of linePieces(input.read, PIECE_BYTES)) {
        const parsed = pool.parse(piece.bytes, opts);
        // Awaited in order below; this only keeps an early failure from counting as unhandled.
        parsed.catch(() => {});
        ahead.push({ parsed, bytesRead: piece.bytesRead });
        while (ahead.length > Math.max(1, workers * AHEAD) && !stopped) {
          const next = ahead.shift() as (typeof ahead)[number];
          await take(await next.parsed, next.bytesRead);
        }
        if (stopped) break;
      }
      for (const next of ahead) await take(await next.parsed, next.bytesRead);
      if (summary.rowsRead === 0 && summary.errors.length === 0)
        summary.errors.push(issue(0, null, "file has no events"));
      if (summary.errors.length > 0) throw new BadLines();
      summary.createdAccounts = await pending.flush(tx, input.workspaceId);
    });
  } catch (error) {
    if (error instanceof BadLines) return { ...summary, accepted: 0, duplicates: 0 };
    throw error;
  } finally {
    await pool.close();
  }
  return { ...summary, written: true };
}

/** Stores one parsed block's new calls and hands them to `pending`. */
async function writeBlock(
  tx: StorageTransaction,
  workspaceId: string,
  block: ParsedBlock,
  pending: PendingUsage,
  summary: EventImportSummary,
): Promise<void> {
  const fresh = await tx.usageEvents.insertEncoded(workspaceId, block);
  const { strings, columns, describing, count } = block;
  const str = (i: number) => (i === -1 ? null : (strings[i] as string));
  let d = 0;
  let accepted = 0;
  for (let i = 0, at = 0; i < count; i++, at += BLOCK_COLUMNS) {
    let message: TrackingMessage | undefined;
    const next = describing[d];
    if (next !== undefined && next[0] === i) {
      message = next[1];
      d++;
    }
    if (fresh[i] !== 1) continue;
    accepted++;
    pending.addCall(
      strings[columns[at + BLOCK_COLUMN.type] as number] as TrackingCallType,
      str(columns[at + BLOCK_COLUMN.event] as number),
      strings[columns[at + BLOCK_COLUMN.userKey] as number] as string,
      str(columns[at + BLOCK_COLUMN.userId] as number),
      str(columns[at + BLOCK_COLUMN.anonymousId] as number),
      strings[columns[at + BLOCK_COLUMN.day] as number] as string,
      message,
    );
  }
  summary.accepted += accepted;
  summary.duplicates += count - accepted;
}
