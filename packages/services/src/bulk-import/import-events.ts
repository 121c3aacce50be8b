import { type FileHandle, open } from "node:fs/promises";
import { availableParallelism } from "node:os";
import path from "node:path";
import { TenureError } from "@tenure/core";
import type { Storage, StorageTransaction } from "@tenure/storage";
import type { ImportIssue } from "../import/types";
import type { ParseLinesOptions } from "./event-lines";
import {
  blockHashes,
  createImportCounter,
  firstIds,
  type ImportCounter,
  type ImportParserClient,
  type ParsedPiece,
  startImportParser,
  type WritableBlock,
} from "./import-parser";
import { SideWrites } from "./import-side-writes";
import { linePieces, type ReadInto } from "./json-lines";

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
   * Worker threads that parse the file while this thread writes and counts its rollups, 0 to 4
   * (default 1 from 4 MB, 2 from 64 MB on 4 cores or more, else 0: parse here). Pieces of the file
   * go to them in turn; blocks are still stored in file order.
   */
  workers?: number;
  /** Bytes per piece of lines handed to a parser (default 1 MB); tests lower it. */
  pieceBytes?: number;
  /** Stored calls between two rollup writes during the import (default 8,000,000); tests lower it. */
  countsEvery?: number;
}

const WRITE_CHUNK = 50_000;
const MAX_ERRORS = 1_000;
/** Bytes per piece handed to a parser (cut back to its last newline). */
const PIECE_BYTES = 1 << 20;
/** Inputs from this size get a worker thread by default (starting one costs more than small files take). */
const WORKER_MIN_BYTES = 4 << 20;
/**
 * Inputs from this size get two when the machine has 4 cores or more: parsing is the longest path and
 * the writer waits for it. On 2 cores a second parser measured no faster (both parsers and the writer
 * then share the two cores; 1M calls: 2.9 s vs 2.75 s, 30 % more CPU).
 */
const TWO_WORKERS_MIN_BYTES = 64 << 20;
const MAX_WORKERS = 4;
/** A low guess of the bytes of one JSON-lines call (Segment calls are rarely shorter), to size the id set. */
const BYTES_PER_CALL = 150;
/** Most id slots set up front (16M: 192 MB, a ~1.7 GB file); a larger file's set grows as it goes. */
const MAX_PRESIZED_IDS = 1 << 24;
/** Pieces parsed ahead of the writer (enough to keep the parser busy while rollups are written). */
const AHEAD = 24;
/**
 * Stored calls between two rollup writes during the import. Few and large: a week row that a later
 * write touches again costs a read, a decode and a merge (5M calls: every 1M, 2.5 s of rollup writes;
 * once, 0.7 s). The counts are held meanwhile (up to one cell per call, ~25 bytes each).
 */
const COUNTS_EVERY = 8_000_000;

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
    countsEvery: input.countsEvery,
    pieceBytes: input.pieceBytes,
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
      countsEvery: input.countsEvery,
      pieceBytes: input.pieceBytes,
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
    countsEvery: number | undefined;
    pieceBytes: number | undefined;
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
  const opts: ParseLinesOptions = {
    receivedAt: new Date().toISOString(),
    blockSize: input.chunkSize ?? WRITE_CHUNK,
    maxErrors: MAX_ERRORS,
    // The messageId hashes are computed on this thread while it waits for the parser, whose thread
    // is the import's longest path (a quarter of the native scanner's time).
    hashIds: false,
  };
  const workers = Math.max(
    0,
    Math.min(
      MAX_WORKERS,
      input.workers ??
        (input.totalBytes >= TWO_WORKERS_MIN_BYTES && availableParallelism() >= 4
          ? 2
          : input.totalBytes >= WORKER_MIN_BYTES
            ? 1
            : 0),
    ),
  );
  const thread = workers > 0;
  const parsers = Array.from({ length: Math.max(1, workers) }, () => startImportParser(thread));
  // Rollups and users of the calls this thread stored, counted here by each parser's names.
  const counters = parsers.map(() => createImportCounter());
  try {
    await storage.bulkTransaction(async (tx) => {
      const side = new SideWrites(tx, input.workspaceId, counters);
      // The first call of each messageId in the file, told here in file order whatever parser read it
      // (on the parser's thread it lengthened the import's longest path; here it fills a wait).
      const fileIds = firstIds(
        Math.min(MAX_PRESIZED_IDS, Math.ceil((input.totalBytes / BYTES_PER_CALL) * 1.4)),
      );
      let rows = 0;
      let stopped = false;
      let countedUpTo = 0;
      let order = 0;
      // Piece buffers the worker handed back, to read into again.
      const free: Uint8Array[] = [];
      const take = async (parsed: ParsedPiece, bytesRead: number, counter: ImportCounter) => {
        if (parsed.input !== undefined) free.push(parsed.input);
        if (stopped) return;
        counter.addNames(parsed.names);
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
          for (const block of parsed.blocks) {
            block.hashes = blockHashes(block);
            block.firstInTransaction = fileIds.firstOf(block.hashes, block.count);
            const fresh = await writeBlock(tx, input.workspaceId, block, side, summary);
            counter.count(block.columns, fresh, order++);
          }
        if (
          summary.errors.length === 0 &&
          summary.accepted - countedUpTo >= (input.countsEvery ?? COUNTS_EVERY)
        ) {
          countedUpTo = summary.accepted;
          await side.writeCounts();
        }
        input.onProgress?.(bytesRead, input.totalBytes, "write");
      };
      /**
       * While the next piece is still being parsed, this thread writes the users and identity changes
       * gathered so far instead of waiting, so less is left for the end.
       */
      const whileParsing = async (next: Pending) => {
        if (!thread) return;
        while (!next.settled && !stopped && summary.errors.length === 0) {
          if (!(await side.step())) return;
          // A parsed piece arrives as a message: let it in before deciding on another step.
          await new Promise((resolve) => setImmediate(resolve));
        }
      };
      type Pending = {
        parsed: Promise<ParsedPiece>;
        settled: boolean;
        bytesRead: number;
        counter: ImportCounter;
      };
      const ahead: Pending[] = [];
      let pieces = 0;
      for await (const piece of linePieces(input.read, input.pieceBytes ?? PIECE_BYTES, () => free.pop())) {
        const k = pieces++ % parsers.length;
        const parsed = (parsers[k] as ImportParserClient).parse(piece.bytes, opts);
        const entry: Pending = {
          parsed,
          settled: false,
          bytesRead: piece.bytesRead,
          counter: counters[k] as ImportCounter,
        };
        // Awaited in order below; this also keeps an early failure from counting as unhandled.
        parsed.then(
          () => {
            entry.settled = true;
          },
          () => {
            entry.settled = true;
          },
        );
        ahead.push(entry);
        while (ahead.length > (thread ? AHEAD * parsers.length : 1) && !stopped) {
          const next = ahead.shift() as Pending;
          await whileParsing(next);
          await take(await next.parsed, next.bytesRead, next.counter);
        }
        if (stopped) break;
      }
      for (const next of ahead) {
        await whileParsing(next);
        await take(await next.parsed, next.bytesRead, next.counter);
      }
      if (summary.rowsRead === 0 && summary.errors.length === 0)
        summary.errors.push(issue(0, null, "file has no events"));
      if (summary.errors.length > 0) throw new BadLines();
      await side.finish();
      summary.createdAccounts = side.createdAccounts;
    });
  } catch (error) {
    if (error instanceof BadLines) return { ...summary, accepted: 0, duplicates: 0 };
    throw error;
  } finally {
    await Promise.all(parsers.map((p) => p.close()));
  }
  return { ...summary, written: true };
}

/**
 * Stores one parsed block's new calls and hands its identify/group messages to `side`. Returns
 * which calls were new (null: all of them).
 */
async function writeBlock(
  tx: StorageTransaction,
  workspaceId: string,
  block: WritableBlock,
  side: SideWrites,
  summary: EventImportSummary,
): Promise<Uint8Array | null> {
  const fresh = await tx.usageEvents.insertEncoded(workspaceId, block);
  let accepted = 0;
  for (let i = 0; i < block.count; i++) accepted += fresh[i] as number;
  for (const [index, message] of block.describing) if (fresh[index] === 1) side.addMessage(message);
  summary.accepted += accepted;
  summary.duplicates += block.count - accepted;
  return accepted === block.count ? null : fresh;
}
