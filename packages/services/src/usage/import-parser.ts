import type { Worker } from "node:worker_threads";
import type { RollupCells } from "@tenure/storage";
import { BLOCK_COLUMN, BLOCK_COLUMNS } from "@tenure/storage/event-log";
import { spawnThread } from "../threads/spawn-thread";
import { EventLineParser, type ParsedBlock, type ParseLinesOptions } from "./event-lines";
import { RollupCounter } from "./rollup-counter";
import { USAGE_CALL_TYPES } from "./tracking-message";

/** A parsed block as the writer gets it: text, hashes and identify/group messages, no columns. */
export type WritableBlock = Pick<ParsedBlock, "count" | "payload" | "hashes" | "describing"> & {
  /** Names the block for `count`. */
  seq: number;
};

/** What parsing one piece of lines gave the writer. */
export interface ParsedPiece {
  lines: number;
  rowsRead: number;
  errors: ParsedLinesIssue[];
  invalidUtf8: boolean;
  blocks: WritableBlock[];
}
type ParsedLinesIssue = { row: number; column: string | null; reason: string };

/**
 * Rollup counts and bare users of every call the writer stored, counted by the parser. Cells are
 * sorted in the rollup key order; strings are ids into `names`.
 */
export interface CountedUsage {
  names: string[];
  /** The rollup counts, as `UsageRollupRepository.addCells` takes them. */
  cells: RollupCells;
  /**
   * Per new user, four numbers: user key, userId, anonymousId (ids into `names`, -1 = null) and the
   * writer's order number of the block that first named it; first stored call first.
   */
  users: Int32Array;
}

/**
 * The parsing side of a bulk import: parses pieces into blocks, keeps each block's columns until the
 * writer says which of its calls were new (`count`), and counts those into rollups and users, so the
 * writer's thread only stores blocks. Runs on a worker thread (import-worker.ts) or on the writer's.
 */
export class ImportParser {
  private readonly lines = new EventLineParser();
  private readonly retained = new Map<number, Int32Array>();
  private counter = new RollupCounter();
  /** Per name id: 1 once a user key was seen in a stored call; usage call type or not (1 / -1, cached). */
  private userSeen = new Uint8Array(1024);
  private usageType = new Int8Array(1024);
  private users: number[] = [];
  private seq = 0;

  parse(bytes: Uint8Array, opts: ParseLinesOptions): ParsedPiece {
    const parsed = this.lines.parse(bytes, opts);
    const blocks: WritableBlock[] = [];
    for (const b of parsed.blocks) {
      const seq = this.seq++;
      this.retained.set(seq, b.columns);
      blocks.push({ seq, count: b.count, payload: b.payload, hashes: b.hashes, describing: b.describing });
    }
    return {
      lines: parsed.lines,
      rowsRead: parsed.rowsRead,
      errors: parsed.errors,
      invalidUtf8: parsed.invalidUtf8,
      blocks,
    };
  }

  /**
   * Counts the calls of block `seq` flagged 1 in `fresh` (every call when null); forgets the block.
   * `order` is the block's place among every block the writer stored (all parsers of the file), so
   * the writer can put the users several parsers found in file order.
   */
  count(seq: number, fresh: Uint8Array | null, order: number): void {
    const columns = this.retained.get(seq);
    if (columns === undefined) return;
    this.retained.delete(seq);
    const names = this.lines.names;
    if (this.userSeen.length < names.length) {
      const seen = new Uint8Array(names.length * 2);
      seen.set(this.userSeen);
      this.userSeen = seen;
      const usage = new Int8Array(names.length * 2);
      usage.set(this.usageType);
      this.usageType = usage;
    }
    const calls = columns.length / BLOCK_COLUMNS;
    for (let i = 0, at = 0; i < calls; i++, at += BLOCK_COLUMNS) {
      if (fresh !== null && fresh[i] !== 1) continue;
      const type = columns[at + BLOCK_COLUMN.type] as number;
      const event = columns[at + BLOCK_COLUMN.event] as number;
      const user = columns[at + BLOCK_COLUMN.userKey] as number;
      let usage = this.usageType[type] as number;
      if (usage === 0) {
        usage = USAGE_CALL_TYPES.has(names[type] as never) ? 1 : -1;
        this.usageType[type] = usage;
      }
      if (usage === 1 && event !== -1)
        this.counter.addNamed(names, user, columns[at + BLOCK_COLUMN.day] as number, event);
      if (this.userSeen[user] === 0) {
        this.userSeen[user] = 1;
        this.users.push(
          user,
          columns[at + BLOCK_COLUMN.userId] as number,
          columns[at + BLOCK_COLUMN.anonymousId] as number,
          order,
        );
      }
    }
  }

  /**
   * Everything counted since the last call, as columns, and starts counting afresh (the writer adds
   * the counts to the rollups as it goes; a cell split across two calls is added twice, correctly).
   */
  takeCounts(): CountedUsage {
    const cells = this.counter.cells();
    this.counter = new RollupCounter();
    const users = Int32Array.from(this.users);
    this.users = [];
    return { names: this.lines.names as string[], cells, users };
  }
}

/** The writer's handle on its parser, on a worker thread or on its own thread. */
export interface ImportParserClient {
  parse(bytes: Uint8Array, opts: ParseLinesOptions): Promise<ParsedPiece>;
  count(seq: number, fresh: Uint8Array | null, order: number): void;
  /** See `ImportParser.takeCounts`. */
  takeCounts(): Promise<CountedUsage>;
  close(): Promise<void>;
}

/** A parser on this thread (`thread` false) or on a worker thread, the second core. */
export function startImportParser(thread: boolean): ImportParserClient {
  if (!thread) {
    const parser = new ImportParser();
    const run = <T>(fn: () => T): Promise<T> => {
      try {
        return Promise.resolve(fn());
      } catch (error) {
        return Promise.reject(error);
      }
    };
    return {
      parse: (bytes, opts) => run(() => parser.parse(bytes, opts)),
      count: (seq, fresh, order) => parser.count(seq, fresh, order),
      takeCounts: () => run(() => parser.takeCounts()),
      close: async () => {},
    };
  }
  return new WorkerParser();
}

/** Requests to import-worker.ts. */
export type ParserRequest =
  | { kind: "parse"; id: number; bytes: Uint8Array; opts: ParseLinesOptions }
  | { kind: "count"; seq: number; fresh: Uint8Array | null; order: number }
  | { kind: "counts"; id: number };

/** Replies, by request id. */
export type ParserReply = { id: number; piece?: ParsedPiece; counted?: CountedUsage };

class WorkerParser implements ImportParserClient {
  private readonly worker = startWorker();
  private readonly waiting = new Map<
    number,
    { resolve: (r: ParserReply) => void; reject: (e: Error) => void }
  >();
  private next = 0;
  private failed: Error | null = null;

  constructor() {
    this.worker.on("message", (reply: ParserReply) => {
      const w = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      w?.resolve(reply);
    });
    const fail = (error: Error) => {
      this.failed = error;
      for (const w of this.waiting.values()) w.reject(error);
      this.waiting.clear();
    };
    this.worker.on("error", fail);
    this.worker.on("exit", (code) => {
      if (this.waiting.size > 0) fail(new Error(`import worker stopped (exit code ${code})`));
    });
  }

  private request(req: ParserRequest, transfer: ArrayBuffer[]): Promise<ParserReply> {
    if (this.failed !== null) return Promise.reject(this.failed);
    return new Promise((resolve, reject) => {
      this.waiting.set((req as { id: number }).id, { resolve, reject });
      this.worker.postMessage(req, transfer);
    });
  }

  async parse(bytes: Uint8Array, opts: ParseLinesOptions): Promise<ParsedPiece> {
    const reply = await this.request({ kind: "parse", id: this.next++, bytes, opts }, [
      bytes.buffer as ArrayBuffer,
    ]);
    return reply.piece as ParsedPiece;
  }

  count(seq: number, fresh: Uint8Array | null, order: number): void {
    const req: ParserRequest = { kind: "count", seq, fresh, order };
    this.worker.postMessage(req, fresh === null ? [] : [fresh.buffer as ArrayBuffer]);
  }

  async takeCounts(): Promise<CountedUsage> {
    return (await this.request({ kind: "counts", id: this.next++ }, [])).counted as CountedUsage;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/** The worker thread: `import-worker` (bundle entry in the CLI, through tsx from sources; see spawnThread). */
function startWorker(): Worker {
  return spawnThread(import.meta.url, "import-worker", {});
}
