import type { Worker } from "node:worker_threads";
import { type ErrorCode, TenureError } from "@tenure/core";
import {
  formatIssue,
  IngestQueue,
  parseTrackingRequest,
  type RollupSource,
  type RollupSources,
  spawnThread,
  type TrackingEndpoint,
  threadReady,
} from "@tenure/services";
import type { Storage } from "@tenure/storage";
import type { Logger } from "pino";
import { WriteKeys } from "./write-key";

/** One tracking request, read and size-checked by the route. */
export interface TrackingSubmission {
  endpoint: TrackingEndpoint;
  /** The decoded (gunzipped) body bytes. */
  body: Uint8Array;
  /** Workspace of the request's header write key; null = take `writeKey` from the body. */
  workspaceId: string | null;
  receivedAt: string;
}

/** New data is durable for these accounts of a workspace (health should be recomputed). */
export type TrackingChangeListener = (workspaceId: string, accountIds: string[]) => void;

/**
 * Validates and stores tracking requests. `submit` resolves once the calls are committed and
 * rejects with a TenureError (validation, unauthorized, ...) for a request that writes nothing.
 */
export interface TrackingWriter {
  submit(submission: TrackingSubmission): Promise<void>;
  /** Adds the rollup counts the writer holds in memory; resolves once committed. */
  flushRollups(): Promise<void>;
  /** Where to report durable changes (the health scheduler). */
  listen(listener: TrackingChangeListener): void;
  close(): Promise<void>;
}

/** The tracking writer in this thread: parsing, validation and the group-commit queue. */
export class InlineTrackingWriter implements TrackingWriter {
  private readonly keys: WriteKeys;
  private readonly queue: IngestQueue;
  private listener: TrackingChangeListener | null = null;

  /** `rollupSources`: where the queue registers, so this process's catch-ups flush its counts. */
  constructor(
    private readonly storage: Storage,
    rollupSources?: RollupSources,
  ) {
    this.keys = new WriteKeys(storage);
    this.queue = new IngestQueue(storage, {
      rollupSources,
      onChanged: (ws, users, accounts) => void this.report(ws, users, accounts),
    });
  }

  async submit(s: TrackingSubmission): Promise<void> {
    const text = Buffer.from(s.body.buffer, s.body.byteOffset, s.body.byteLength).toString("utf8");
    let value: unknown;
    try {
      value = JSON.parse(text);
    } catch (error) {
      throw new TenureError("validation", `body: invalid JSON: ${(error as Error).message}`);
    }
    const parsed = parseTrackingRequest(value, s.endpoint, s.receivedAt, text);
    const workspaceId = s.workspaceId ?? (await this.keys.workspaceOf(parsed.writeKey));
    if (parsed.issues.length > 0) {
      throw new TenureError(
        "validation",
        parsed.issues.map(formatIssue).join("; "),
        parsed.issues.map((i) => ({
          field: i.path === "" ? i.field : `${i.path}.${i.field}`,
          message: i.message,
        })),
      );
    }
    await this.queue.submit(workspaceId, parsed.messages);
  }

  /** Adds the rollup counts held in memory; resolves once committed. */
  flushRollups(): Promise<void> {
    return this.queue.flushRollups();
  }

  listen(listener: TrackingChangeListener): void {
    this.listener = listener;
  }

  async close(): Promise<void> {
    this.queue.close();
  }

  private async report(workspaceId: string, users: string[], accounts: string[]): Promise<void> {
    if (this.listener === null) return;
    try {
      const mapped = await this.storage.usageUsers.accountsOf(workspaceId, users);
      this.listener(workspaceId, [...new Set([...mapped, ...accounts])]);
    } catch {
      // Health is also recomputed on its schedule; a failed lookup only delays it.
    }
  }
}

/** Messages between the server and its writer thread. */
export type ToWriter =
  | { kind: "submit"; id: number; submission: TrackingSubmission }
  | { kind: "flush"; id: number }
  | { kind: "close" };

export interface SerializedError {
  code: ErrorCode;
  message: string;
  details?: unknown;
  /** For errors that are not TenureErrors: what the server logs (the client sees a generic 500). */
  internal?: string;
}

export type FromWriter =
  | { kind: "ready" }
  | { kind: "done"; id: number; error?: SerializedError }
  | { kind: "changed"; workspaceId: string; accountIds: string[] };

/** A thrown value as it crosses to the server thread. */
export function serializeError(error: unknown): SerializedError {
  if (error instanceof TenureError)
    return { code: error.code, message: error.message, details: error.details };
  return { code: "internal", message: "Internal error", internal: (error as Error)?.stack ?? String(error) };
}

interface Pending {
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The tracking writer on its own thread with its own database connection: parsing, validation,
 * group commits and rollup flushes never run in the server's event loop, so API reads stay fast while
 * events stream in (SQLite in WAL mode lets the server read while the writer writes). A writer thread
 * that dies fails its in-flight requests (clients retry) and is started again; whatever it had
 * committed is safe (see deferred-rollups.ts for the counts it held).
 */
export class WorkerTrackingWriter implements TrackingWriter, RollupSource {
  private worker!: Worker;
  private nextId = 1;

  /** The writer thread now running (a new one after a restart). */
  get thread(): Worker {
    return this.worker;
  }
  private readonly pending = new Map<number, Pending>();
  private listener: TrackingChangeListener | null = null;
  private closing = false;
  private ready!: Promise<void>;

  private constructor(
    private readonly storage: Storage,
    private readonly rollupSources: RollupSources,
    private readonly logger?: Logger,
  ) {}

  /**
   * Starts the writer thread; resolves once it has opened the database. It registers in
   * `rollupSources`, so that catchUpRollups (usage reports, health) flushes the thread's counts first.
   */
  static async start(
    storage: Storage,
    rollupSources: RollupSources,
    logger?: Logger,
  ): Promise<WorkerTrackingWriter> {
    const writer = new WorkerTrackingWriter(storage, rollupSources, logger);
    writer.spawn();
    await writer.ready;
    rollupSources.add(writer);
    return writer;
  }

  private spawn(): void {
    const worker = spawnThread(import.meta.url, "tracking-thread", { config: this.storage.config });
    this.worker = worker;
    this.ready = threadReady(worker);
    worker.on("message", (m: FromWriter) => this.onMessage(m));
    worker.on("error", (error) => this.logger?.error({ err: error }, "tracking writer thread failed"));
    worker.on("exit", (code) => {
      if (this.worker !== worker) return;
      this.failAll(new TenureError("internal", "The tracking writer stopped; retry the request"));
      if (!this.closing) {
        this.logger?.error({ code }, "tracking writer thread exited; starting it again");
        this.spawn();
        this.ready.catch((err) => this.logger?.error({ err }, "tracking writer thread did not restart"));
      }
    });
  }

  private onMessage(m: FromWriter): void {
    if (m.kind === "done") {
      const p = this.pending.get(m.id);
      if (p === undefined) return;
      this.pending.delete(m.id);
      if (m.error === undefined) p.resolve();
      else {
        if (m.error.internal !== undefined)
          this.logger?.error({ err: m.error.internal }, "tracking request failed in the writer thread");
        p.reject(
          m.error.internal !== undefined
            ? new Error(m.error.internal)
            : new TenureError(m.error.code, m.error.message, m.error.details),
        );
      }
    } else if (m.kind === "changed") this.listener?.(m.workspaceId, m.accountIds);
  }

  private failAll(error: unknown): void {
    const pending = [...this.pending.values()];
    this.pending.clear();
    for (const p of pending) p.reject(error);
  }

  private call(
    message: { kind: "submit"; submission: TrackingSubmission } | { kind: "flush" },
  ): Promise<void> {
    if (this.closing) return Promise.reject(new TenureError("internal", "The server is shutting down"));
    const id = this.nextId++;
    return new Promise<void>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // Messages posted before a restarted thread is ready wait in its port.
      this.worker.postMessage({ ...message, id } as ToWriter);
    });
  }

  submit(submission: TrackingSubmission): Promise<void> {
    return this.call({ kind: "submit", submission });
  }

  flushRollups(): Promise<void> {
    return this.call({ kind: "flush" });
  }

  listen(listener: TrackingChangeListener): void {
    this.listener = listener;
  }

  /**
   * Stops the thread without flushing, like the in-process queue: counts it held stay listed as
   * pending and are replayed by the next catch-up.
   */
  async close(): Promise<void> {
    if (this.closing) return;
    this.closing = true;
    this.rollupSources.delete(this);
    const worker = this.worker;
    const exited = new Promise<void>((resolve) => worker.once("exit", () => resolve()));
    worker.postMessage({ kind: "close" } satisfies ToWriter);
    const timeout = setTimeout(() => void worker.terminate(), 5_000);
    await exited;
    clearTimeout(timeout);
    this.failAll(new TenureError("internal", "The server is shutting down"));
  }
}
