import type { Worker } from "node:worker_threads";
import { type NativeCellCounter, type NativeIdSet, nativeModule } from "@tenure/native";
import type { RollupCells } from "@tenure/storage";
import { BLOCK_COLUMN, BLOCK_COLUMNS, HASH_WORDS, HashSet96 } from "@tenure/storage/event-log";
import { RollupCounter, rankStrings } from "../rollups/rollup-counter";
import { spawnThread } from "../threads/spawn-thread";
import { USAGE_CALL_TYPES } from "../tracking/tracking-message";
import { EventLineParser, type ParsedBlock, type ParseLinesOptions } from "./event-lines";

/** A parsed block as the writer gets it: bytes, hashes, identify/group messages and its columns. */
export type WritableBlock = Pick<ParsedBlock, "count" | "payload" | "hashes" | "describing" | "columns"> & {
  /** Set by the writer: per call, 1 when no earlier call of the file has its messageId. */
  firstInTransaction?: Uint8Array;
};

/** What parsing one piece of lines gave the writer. */
export interface ParsedPiece {
  lines: number;
  rowsRead: number;
  errors: ParsedLinesIssue[];
  invalidUtf8: boolean;
  blocks: WritableBlock[];
  /** Names the parser gave ids to since its previous piece (its blocks' columns are ids of them). */
  names: string[];
  /** From a worker thread: the piece's buffer handed back, free to be filled again. */
  input?: Uint8Array;
}
type ParsedLinesIssue = { row: number; column: string | null; reason: string };

/**
 * New users of the calls the writer stored: per user, four numbers: user key, userId, anonymousId
 * (ids into `names`, -1 = null) and the writer's order number of the block that first named it;
 * first stored call first.
 */
export interface FoundUsers {
  names: readonly string[];
  users: Int32Array;
}

/**
 * The parsing side of a bulk import: parses pieces into blocks and hands each piece's new names
 * along. Runs on a worker thread (import-worker.ts) or on the writer's.
 */
export class ImportParser {
  private readonly lines = new EventLineParser();
  private namesSent = 0;

  parse(bytes: Uint8Array, opts: ParseLinesOptions): ParsedPiece {
    const parsed = this.lines.parse(bytes, opts);
    const all = this.lines.names;
    const names = all.slice(this.namesSent);
    this.namesSent = all.length;
    return {
      lines: parsed.lines,
      rowsRead: parsed.rowsRead,
      errors: parsed.errors,
      invalidUtf8: parsed.invalidUtf8,
      blocks: parsed.blocks.map((b) => ({
        count: b.count,
        payload: b.payload,
        hashes: b.hashes,
        describing: b.describing,
        columns: b.columns,
      })),
      names,
    };
  }
}

/**
 * A block's messageId hashes, computed from its bytes when the parser left them out (`hashIds: false`,
 * native scanner only): `HASH_WORDS` words per call.
 */
export function blockHashes(block: Pick<WritableBlock, "count" | "payload" | "hashes">): Uint32Array {
  if (block.hashes.length >= block.count * HASH_WORDS) return block.hashes;
  const native = nativeModule();
  if (native === null) throw new Error("a block without messageId hashes needs the native module");
  return native.hashMessageIds(block.payload);
}

/** Which calls of a block are the first of the file with their messageId. */
export interface FirstIds {
  /** Per call (`HASH_WORDS` words of `hashes` each): 1 when no earlier call had its hash, else 0. */
  firstOf(hashes: Uint32Array, count: number): Uint8Array;
}

/**
 * The file's messageIds as the writer stores its blocks: the native set when the module is built (its
 * probes are prefetched: 5M calls took 1.75 s in `HashSet96`, mostly cache misses), else `HashSet96`.
 */
export function firstIds(capacity: number): FirstIds {
  const native = nativeModule();
  if (native !== null) {
    const set: NativeIdSet = new native.IdSet(capacity);
    return {
      firstOf: (hashes, count) => {
        const first = new Uint8Array(count);
        set.addAll(hashes.subarray(0, count * HASH_WORDS), first);
        return first;
      },
    };
  }
  const set = new HashSet96(capacity);
  return {
    firstOf: (hashes, count) => {
      const first = new Uint8Array(count);
      for (let i = 0, at = 0; i < count; i++, at += HASH_WORDS) first[i] = set.add(hashes, at) ? 1 : 0;
      return first;
    },
  };
}

/**
 * Counts the stored calls of one parser's blocks into rollups and users, on the writer's thread
 * (which otherwise waits for the native parser). Takes that parser's pieces' names in order.
 */
export interface ImportCounter {
  /** The names a piece of this counter's parser brought (`ParsedPiece.names`). */
  addNames(names: readonly string[]): void;
  /**
   * Counts the calls of a block flagged 1 in `fresh` (every call when null). `order` is the block's
   * place among every block the writer stored (all parsers of the file), so the writer can put the
   * users several parsers found in file order.
   */
  count(columns: Int32Array, fresh: Uint8Array | null, order: number): void;
  /**
   * The rollup counts since the last call, sorted in the rollup key order, and starts counting afresh
   * (the writer adds the counts to the rollups as it goes; a cell split across two takes is added
   * twice, correctly). `size` 0 when nothing was counted.
   */
  takeCounts(): RollupCells;
  /** The users first seen since the last call. */
  takeUsers(): FoundUsers;
  /** How many users `takeUsers` would give now. */
  pendingUsers(): number;
}

/** The native counter when the module is built, else the TypeScript one (same counts, same order). */
export function createImportCounter(options: { native?: boolean } = {}): ImportCounter {
  const native = options.native === false ? null : nativeModule();
  return native !== null ? new NativeImportCounter(new native.CellCounter()) : new ScriptImportCounter();
}

/** The names a counter's parser sent and the new users found in stored calls (4 numbers each). */
abstract class FoundUserList {
  protected readonly names: string[] = [];
  protected users: number[] = [];

  takeUsers(): FoundUsers {
    const users = Int32Array.from(this.users);
    this.users = [];
    return { names: this.names, users };
  }

  pendingUsers(): number {
    return this.users.length / 4;
  }
}

/**
 * The native counter (src/tables.cc): its count table's probes are prefetched, where the TypeScript
 * table waited on a cache miss per call (5M calls: 1.5-1.8 s of the writer's time).
 */
class NativeImportCounter extends FoundUserList implements ImportCounter {
  /** Name ids of the usage call types (track, page, screen) among the names so far. */
  private usageTypes = new Int32Array(0);
  constructor(private readonly counter: NativeCellCounter) {
    super();
  }

  addNames(names: readonly string[]): void {
    for (const name of names) {
      if (USAGE_CALL_TYPES.has(name as never)) {
        const next = new Int32Array(this.usageTypes.length + 1);
        next.set(this.usageTypes);
        next[this.usageTypes.length] = this.names.length;
        this.usageTypes = next;
      }
      this.names.push(name);
    }
  }

  count(columns: Int32Array, fresh: Uint8Array | null, order: number): void {
    const found = this.counter.count(columns, fresh, this.usageTypes);
    for (let k = 0; k < found.length; k += 3)
      this.users.push(found[k] as number, found[k + 1] as number, found[k + 2] as number, order);
  }

  takeCounts(): RollupCells {
    const [userIds, dayIds, eventIds] = this.counter.lists();
    const users = rankNames(this.names, userIds);
    const days = rankNames(this.names, dayIds);
    const events = rankNames(this.names, eventIds);
    const [user, day, event, count] = this.counter.take(users.rank, days.rank, events.rank);
    return {
      userKeys: users.sorted,
      days: days.sorted,
      events: events.sorted,
      user,
      day,
      event,
      count,
      size: user.length,
    };
  }
}

/** The names of `ids`, sorted as RollupCounter sorts them, and each id's place in that order. */
const rankNames = (names: readonly string[], ids: Int32Array) =>
  rankStrings(Array.from(ids, (id) => names[id] as string));

/** The TypeScript counter, when the native module is not built. */
class ScriptImportCounter extends FoundUserList implements ImportCounter {
  private counter = new RollupCounter();
  /** Per name id: 1 once a user key was seen in a stored call; usage call type or not (1 / -1, cached). */
  private userSeen = new Uint8Array(1024);
  private usageType = new Int8Array(1024);

  addNames(names: readonly string[]): void {
    for (const name of names) this.names.push(name);
  }

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

  takeCounts(): RollupCells {
    const cells = this.counter.cells();
    this.counter = new RollupCounter();
    return cells;
  }
}

/** The writer's handle on its parser, on a worker thread or on its own thread. */
export interface ImportParserClient {
  parse(bytes: Uint8Array, opts: ParseLinesOptions): Promise<ParsedPiece>;
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
export type ParserRequest = { kind: "parse"; id: number; bytes: Uint8Array; opts: ParseLinesOptions };

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

  async parse(bytes: Uint8Array, opts: ParseLinesOptions): Promise<ParsedPiece> {
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
