import type { Worker } from "node:worker_threads";
import type { RollupCells } from "@tenure/storage";
import { BLOCK_COLUMN, BLOCK_COLUMNS, HASH_WORDS, HashSet96 } from "@tenure/storage/event-log";
import { spawnThread } from "../threads/spawn-thread";
import { EventLineParser, type ParsedBlock, type ParseLinesOptions } from "./event-lines";
import { RollupCounter } from "./rollup-counter";
import { USAGE_CALL_TYPES } from "./tracking-message";

/** A parsed block as the writer gets it: bytes, hashes, identify/group messages and its columns. */
export type WritableBlock = Pick<ParsedBlock, "count" | "payload" | "hashes" | "describing" | "columns"> & {
  /** With `ImportParseOptions.firstIds`: per call, 1 when no earlier call of the file has its messageId. */
  firstInTransaction?: Uint8Array;
};

/** Parsing options of an import; `firstIds` (about how many calls the file holds) turns on `firstInTransaction`. */
export type ImportParseOptions = ParseLinesOptions & { firstIds?: number };

/** What parsing one piece of lines gave the writer. */
export interface ParsedPiece {
  lines: number;
  rowsRead: number;
  errors: ParsedLinesIssue[];
  invalidUtf8: boolean;
  blocks: WritableBlock[];
  /** Names the parser gave ids to since its previous piece (its blocks' columns are ids of them). */
  names: string[];
}
type ParsedLinesIssue = { row: number; column: string | null; reason: string };

/**
 * Rollup counts and bare users of every call the writer stored. Cells are sorted in the rollup key
 * order; strings are ids into `names`.
 */
export interface CountedUsage {
  names: readonly string[];
  /** The rollup counts, as `UsageRollupRepository.addCells` takes them. */
  cells: RollupCells;
  /**
   * Per new user, four numbers: user key, userId, anonymousId (ids into `names`, -1 = null) and the
   * writer's order number of the block that first named it; first stored call first.
   */
  users: Int32Array;
}

/**
 * The parsing side of a bulk import: parses pieces into blocks and hands each piece's new names
 * along. Runs on a worker thread (import-worker.ts) or on the writer's.
 */
export class ImportParser {
  private readonly lines = new EventLineParser();
  private namesSent = 0;
  /** The file's messageIds so far (with `firstIds`): the writer's thread is then spared its id set. */
  private ids: HashSet96 | null = null;

  parse(bytes: Uint8Array, opts: ImportParseOptions): ParsedPiece {
    const parsed = this.lines.parse(bytes, opts);
    if (opts.firstIds !== undefined) this.ids ??= new HashSet96(Math.ceil(opts.firstIds * 1.4));
    const ids = this.ids;
    const all = this.lines.names;
    const names = all.slice(this.namesSent);
    this.namesSent = all.length;
    return {
      lines: parsed.lines,
      rowsRead: parsed.rowsRead,
      errors: parsed.errors,
      invalidUtf8: parsed.invalidUtf8,
      blocks: parsed.blocks.map((b) => {
        const block: WritableBlock = {
          count: b.count,
          payload: b.payload,
          hashes: b.hashes,
          describing: b.describing,
          columns: b.columns,
        };
        if (ids !== null) {
          const first = new Uint8Array(b.count);
          for (let i = 0, at = 0; i < b.count; i++, at += HASH_WORDS)
            first[i] = ids.add(b.hashes, at) ? 1 : 0;
          block.firstInTransaction = first;
        }
        return block;
      }),
      names,
    };
  }
}

/**
 * Counts the stored calls of one parser's blocks into rollups and users, on the writer's thread
 * (which otherwise waits for the native parser). Takes that parser's pieces' names in order.
 */
export class ImportCounter {
  private readonly names: string[] = [];
  private counter = new RollupCounter();
  /** Per name id: 1 once a user key was seen in a stored call; usage call type or not (1 / -1, cached). */
  private userSeen = new Uint8Array(1024);
  private usageType = new Int8Array(1024);
  private users: number[] = [];

  /** The names a piece of this counter's parser brought (`ParsedPiece.names`). */
  addNames(names: readonly string[]): void {
    for (const name of names) this.names.push(name);
  }

  /**
   * Counts the calls of a block flagged 1 in `fresh` (every call when null). `order` is the block's
   * place among every block the writer stored (all parsers of the file), so the writer can put the
   * users several parsers found in file order.
   */
  count(columns: Int32Array, fresh: Uint8Array | null, order: number): void {
    const names = this.names;
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
    return { names: this.names, cells, users };
  }
}

/** The writer's handle on its parser, on a worker thread or on its own thread. */
export interface ImportParserClient {
  parse(bytes: Uint8Array, opts: ImportParseOptions): Promise<ParsedPiece>;
  close(): Promise<void>;
}

/** A parser on this thread (`thread` false) or on a worker thread, the second core. */
export function startImportParser(thread: boolean): ImportParserClient {
  if (!thread) {
    const parser = new ImportParser();
    return {
      parse: (bytes, opts) => {
        try {
          return Promise.resolve(parser.parse(bytes, opts));
        } catch (error) {
          return Promise.reject(error);
        }
      },
      close: async () => {},
    };
  }
  return new WorkerParser();
}

/** Requests to import-worker.ts. */
export type ParserRequest = { kind: "parse"; id: number; bytes: Uint8Array; opts: ImportParseOptions };

/** Replies, by request id. */
export type ParserReply = { id: number; piece: ParsedPiece };

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

  async parse(bytes: Uint8Array, opts: ImportParseOptions): Promise<ParsedPiece> {
    const reply = await this.request({ kind: "parse", id: this.next++, bytes, opts }, [
      bytes.buffer as ArrayBuffer,
    ]);
    return reply.piece;
  }

  async close(): Promise<void> {
    await this.worker.terminate();
  }
}

/** The worker thread: `import-worker` (bundle entry in the CLI, through tsx from sources; see spawnThread). */
function startWorker(): Worker {
  return spawnThread(import.meta.url, "import-worker", {});
}
