import type { Worker } from "node:worker_threads";
import type { AccountRange, Storage, StorageConfig, UsageWindow, UserUsageColumns } from "@tenure/storage";
import { canUseThreads, spawnThread, threadReady } from "../threads/spawn-thread";

/** Requests to usage-reader.ts. */
export type UsageReaderRequest = {
  id: number;
  workspaceId: string;
  window: UsageWindow;
  range: AccountRange;
};
/** Replies, by request id. */
export type UsageReaderReply = { id: number; usage?: UserUsageColumns; error?: string };
/** What the reader thread is started with. */
export interface UsageReaderData {
  config: StorageConfig;
}

/** Steps whose usage is read ahead of the step being scored. */
const AHEAD = 2;
/** A reader thread unused this long stops (the next recompute starts another). */
const IDLE_MS = 120_000;

/**
 * A usage reader thread with its own read connection, shared by the recomputes of one store (a
 * scheduler recomputes often; starting a thread and opening the database each time would cost more
 * than a small recompute). It never keeps the process alive and stops after IDLE_MS unused.
 */
class UsageReaderThread {
  private static readonly byStorage = new WeakMap<Storage, UsageReaderThread>();
  ready = false;
  /** Resolves true once the thread has opened the database, false if it stopped first. */
  readonly started: Promise<boolean>;
  private worker: Worker | null;
  private readonly waiting = new Map<
    number,
    { resolve: (u: UserUsageColumns) => void; reject: (e: Error) => void }
  >();
  private next = 0;
  private idle: NodeJS.Timeout | null = null;

  /** The store's reader thread, started now if it has none (null when a thread cannot start). */
  static for(storage: Storage): UsageReaderThread | null {
    const known = UsageReaderThread.byStorage.get(storage);
    if (known !== undefined && known.worker !== null) {
      known.touch();
      return known;
    }
    // An in-memory database opened again would be another, empty database.
    if (!canUseThreads(storage.config)) return null;
    let worker: Worker;
    try {
      const data: UsageReaderData = { config: storage.config };
      worker = spawnThread(import.meta.url, "usage-reader", { ...data });
    } catch {
      return null;
    }
    const reader = new UsageReaderThread(worker);
    UsageReaderThread.byStorage.set(storage, reader);
    return reader;
  }

  private constructor(worker: Worker) {
    this.worker = worker;
    worker.on("message", (reply: UsageReaderReply & { kind?: string }) => {
      if (reply.kind === "ready") return;
      const w = this.waiting.get(reply.id);
      this.waiting.delete(reply.id);
      if (this.waiting.size === 0) worker.unref();
      if (w === undefined) return;
      if (reply.usage !== undefined) w.resolve(reply.usage);
      else w.reject(new Error(reply.error ?? "usage reader failed"));
    });
    const stopped = () => this.stopped();
    worker.on("error", stopped);
    worker.on("exit", stopped);
    this.started = threadReady(worker).then(
      () => {
        if (this.worker === worker) this.ready = true;
        return this.ready;
      },
      () => false,
    );
    // After the listeners: adding a message listener refs the worker again.
    worker.unref();
    this.touch();
  }

  /** Reads one step's usage on the thread; rejects if the thread stops first. */
  read(workspaceId: string, window: UsageWindow, range: AccountRange): Promise<UserUsageColumns> {
    const worker = this.worker;
    if (worker === null) return Promise.reject(new Error("usage reader stopped"));
    this.touch();
    const id = this.next++;
    return new Promise<UserUsageColumns>((resolve, reject) => {
      // Held while a read is owed, so the process waits for it; idle, the thread keeps nothing alive.
      if (this.waiting.size === 0) worker.ref();
      this.waiting.set(id, { resolve, reject });
      const req: UsageReaderRequest = { id, workspaceId, window, range };
      worker.postMessage(req);
    });
  }

  private touch(): void {
    if (this.idle !== null) clearTimeout(this.idle);
    this.idle = setTimeout(() => {
      const w = this.worker;
      this.stopped();
      void w?.terminate();
    }, IDLE_MS);
    this.idle.unref();
  }

  private stopped(): void {
    this.worker = null;
    this.ready = false;
    if (this.idle !== null) clearTimeout(this.idle);
    for (const w of this.waiting.values()) w.reject(new Error("usage reader stopped"));
    this.waiting.clear();
  }
}

/**
 * The usage read of every step of a recompute (its largest read), started ahead of the step that
 * needs it. With `thread`, the store's reader thread reads the next steps while this thread scores
 * and writes, so the two cores overlap; while that thread is starting, or if it fails, a step's usage
 * is read here. Without a thread the next step's read is still started early, which overlaps on an
 * asynchronous driver (PostgreSQL).
 */
export class UsagePrefetch {
  private readonly pending = new Map<number, Promise<UserUsageColumns>>();
  private readonly reader: UsageReaderThread | null;
  private current = -1;
  /** Steps whose usage the reader thread read (for tests and logs). */
  threadReads = 0;

  constructor(
    private readonly storage: Storage,
    private readonly workspaceId: string,
    private readonly window: UsageWindow,
    private readonly ranges: readonly AccountRange[],
    thread: boolean,
  ) {
    this.reader = thread ? UsageReaderThread.for(storage) : null;
  }

  /** Resolves true once the reader thread is ready (false: no thread, or it failed to start). */
  async threadStarted(): Promise<boolean> {
    return this.reader === null ? false : this.reader.started;
  }

  /** Whether a reader thread pays: a SQLite file a second connection can open, and steps to overlap. */
  static threadFits(config: StorageConfig, steps: number): boolean {
    return config.databaseUrl === undefined && canUseThreads(config) && steps >= 3;
  }

  /** The usage of step `k` (asked for in order); starts the reads of the next steps. */
  get(k: number): Promise<UserUsageColumns> {
    this.current = k;
    const own = this.pending.get(k) ?? this.read(k);
    this.pending.delete(k);
    for (let j = k + 1; j <= k + AHEAD && j < this.ranges.length; j++) {
      if (this.pending.has(j)) continue;
      // A starting thread would leave the steps to this thread anyway: ask again at the next step.
      if (this.reader !== null && !this.reader.ready) break;
      this.pending.set(j, this.read(j));
    }
    return own;
  }

  private read(k: number): Promise<UserUsageColumns> {
    const range = this.ranges[k] as AccountRange;
    const here = () => this.storage.healthUsage.userUsage(this.workspaceId, this.window, range);
    const onThread = k > this.current && this.reader?.ready === true;
    // A read the thread could not do is done here.
    const p = onThread
      ? (this.reader as UsageReaderThread).read(this.workspaceId, this.window, range).then((u) => {
          this.threadReads++;
          return u;
        }, here)
      : here();
    p.catch(() => {});
    return p;
  }
}
