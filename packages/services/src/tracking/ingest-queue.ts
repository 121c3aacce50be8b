import type { Storage, UsageEvent } from "@tenure/storage";
import { enqueueTrackedEventPass } from "../automations/tracked-events";
import { applyPendingRollups, DeferredRollups } from "../rollups/deferred-rollups";
import type { RollupSource, RollupSources } from "../rollups/rollup-sources";
import { insertFreshDeferred, PendingUsage } from "./ingest";
import type { TrackingMessage } from "./tracking-message";

/** Bound on the remembered user keys of one workspace (the set starts over past it). */
const MAX_KNOWN_USERS = 1_000_000;

interface Job {
  workspaceId: string;
  messages: readonly TrackingMessage[];
  resolve: () => void;
  reject: (error: unknown) => void;
}

interface Waiter {
  resolve: () => void;
  reject: (error: unknown) => void;
}

export interface IngestQueueOptions {
  /** Most calls written in one commit (default 20,000). */
  maxMessagesPerCommit?: number;
  /**
   * Longest time committed calls wait before their rollup counts are added (default 5,000 ms: each flush
   * rewrites a page of nearly every active user, so fewer, larger flushes cost less; see docs/benchmarks.md).
   */
  rollupFlushMs?: number;
  /** Usage calls held in memory that trigger a rollup flush without waiting (default 1,000,000). */
  rollupFlushEvents?: number;
  /**
   * Called after a commit that mapped or identified users (their keys; `accounts` = the group calls'
   * accounts) and after a rollup flush (the users it counted): what changed for health, once durable.
   */
  onChanged?: (workspaceId: string, userKeys: string[], accounts: string[]) => void;
  /** Where this queue registers, so that readers' `catchUpRollups` flushes its counts first. */
  rollupSources?: RollupSources;
}

/**
 * Group commit for the tracking API: requests that arrive while a commit is running are written
 * together in the next transaction, so many small requests cost one commit instead of one each.
 * `submit` resolves only after the transaction holding the calls has committed.
 *
 * Rollups are off that path: a commit stores the event blocks (and lists them as pending), and their
 * rollup counts collect in memory until a rollup flush adds them in one sorted batch, in its own
 * transaction that also unlists the blocks (deferred-rollups.ts). Blocks left pending by a crash are
 * replayed by the first flush of the next queue, or by any reader's `catchUpRollups`.
 */
export class IngestQueue implements RollupSource {
  private pending: Job[] = [];
  private running = false;
  private scheduled = false;
  private closed = false;
  private readonly maxMessages: number;
  private readonly rollupFlushMs: number;
  private readonly rollupFlushEvents: number;
  private readonly onChanged: IngestQueueOptions["onChanged"];
  private readonly rollupSources: RollupSources | undefined;
  /** User keys committed per workspace, so steady traffic does not re-insert the same users. */
  private readonly knownUsers = new Map<string, Set<string>>();
  private deferred = new DeferredRollups();
  private lastRollupFlush = Date.now();
  /** Replay blocks a previous process left pending before anything else. */
  private recover = true;
  private rollupWaiters: Waiter[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly storage: Storage,
    options: IngestQueueOptions = {},
  ) {
    this.maxMessages = options.maxMessagesPerCommit ?? 20_000;
    this.rollupFlushMs = options.rollupFlushMs ?? 5_000;
    this.rollupFlushEvents = options.rollupFlushEvents ?? 1_000_000;
    this.onChanged = options.onChanged;
    this.rollupSources = options.rollupSources;
    this.rollupSources?.add(this);
    // Replay what a previous process left pending (a crash) now, not at the first request.
    this.schedule();
  }

  /** Queues validated calls; resolves once they are committed. */
  submit(workspaceId: string, messages: readonly TrackingMessage[]): Promise<void> {
    return new Promise((resolve, reject) => {
      this.pending.push({ workspaceId, messages, resolve, reject });
      this.schedule();
    });
  }

  /** Adds every committed call's rollup counts now; resolves once they are committed. */
  flushRollups(): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      this.rollupWaiters.push({ resolve, reject });
      this.schedule();
    });
  }

  /**
   * Stops the queue without flushing: counts still in memory are dropped, their blocks stay pending
   * and are replayed later (the same state a crash leaves). Call `flushRollups` first to keep them.
   */
  close(): void {
    this.closed = true;
    if (this.timer !== null) clearTimeout(this.timer);
    this.timer = null;
    this.deferred = new DeferredRollups();
    this.rollupSources?.delete(this);
  }

  private schedule(): void {
    if (this.running || this.scheduled) return;
    this.scheduled = true;
    // One macrotask of delay lets requests parsed in the same tick share the commit.
    setImmediate(() => {
      this.scheduled = false;
      void this.drain();
    });
  }

  private rollupsDue(): boolean {
    if (this.closed) return false;
    if (this.recover || this.rollupWaiters.length > 0) return true;
    if (this.deferred.isEmpty) return false;
    return (
      this.deferred.events >= this.rollupFlushEvents ||
      Date.now() - this.lastRollupFlush >= this.rollupFlushMs
    );
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      for (;;) {
        if (this.rollupsDue()) await this.applyRollups();
        if (this.pending.length === 0) {
          // A flush may have been asked for while the last one ran.
          if (this.rollupWaiters.length > 0) continue;
          break;
        }
        const group = this.take();
        try {
          await this.commit(group);
          for (const job of group) job.resolve();
        } catch {
          // One bad request must not fail its neighbours: retry each on its own.
          for (const job of group) {
            try {
              await this.commit([job]);
              job.resolve();
            } catch (error) {
              job.reject(error);
            }
          }
        }
      }
    } finally {
      this.running = false;
    }
    // Counts still waiting get flushed once the queue has been idle for the flush period.
    if (!this.deferred.isEmpty && this.timer === null && !this.closed) {
      this.timer = setTimeout(() => {
        this.timer = null;
        this.schedule();
      }, this.rollupFlushMs);
      this.timer.unref();
    }
  }

  /** One rollup flush: memory counts plus any other pending block, in one transaction. */
  private async applyRollups(): Promise<void> {
    const waiters = this.rollupWaiters;
    this.rollupWaiters = [];
    const memory = this.deferred;
    try {
      await this.storage.transaction((tx) => applyPendingRollups(tx, memory.workspaces()));
      // Commits only run in this loop, so nothing was added to `memory` during the flush.
      if (this.deferred === memory) this.deferred = new DeferredRollups();
      for (const w of waiters) w.resolve();
      for (const [workspaceId, d] of memory.workspaces())
        if (d.users.size > 0) this.onChanged?.(workspaceId, [...d.users], []);
    } catch (error) {
      // Rolled back: the blocks are still pending and `memory` still matches them; retry later.
      for (const w of waiters) w.reject(error);
    } finally {
      // Every flush replays all pending blocks, so a failed recovery is retried by the next one.
      this.recover = false;
      this.lastRollupFlush = Date.now();
    }
  }

  private take(): Job[] {
    const group: Job[] = [];
    let size = 0;
    while (this.pending.length > 0 && (group.length === 0 || size < this.maxMessages)) {
      const job = this.pending.shift() as Job;
      group.push(job);
      size += job.messages.length;
    }
    return group;
  }

  private async commit(group: readonly Job[]): Promise<void> {
    // Concatenating a workspace's calls keeps their order, so "first messageId wins" still holds.
    const byWorkspace = new Map<string, TrackingMessage[]>();
    for (const job of group) {
      const list = byWorkspace.get(job.workspaceId) ?? [];
      for (const m of job.messages) list.push(m);
      byWorkspace.set(job.workspaceId, list);
    }
    const ensured: Array<[string, string[]]> = [];
    const blocks: Array<[string, number, UsageEvent[]]> = [];
    const described: Array<[string, string[], string[]]> = [];
    await this.storage.transaction(async (tx) => {
      for (const [workspaceId, messages] of byWorkspace) {
        const pending = new PendingUsage(this.knownUsers.get(workspaceId), false);
        const { fresh, blockId } = await insertFreshDeferred(
          tx,
          workspaceId,
          messages,
          new Date().toISOString(),
          pending,
        );
        if (blockId !== null) blocks.push([workspaceId, blockId, fresh]);
        ensured.push([workspaceId, pending.userKeys()]);
        if (this.onChanged !== undefined) {
          const users = new Set<string>();
          const accounts = new Set<string>();
          for (const m of messages) {
            if (m.type !== "identify" && m.type !== "group") continue;
            users.add(m.userKey);
            if (m.type === "group" && m.groupId !== null) accounts.add(m.groupId);
          }
          if (users.size > 0) described.push([workspaceId, [...users], [...accounts]]);
        }
        await pending.flush(tx, workspaceId);
        // After the flush (group calls map users to accounts): one automation pass per commit and
        // workspace for the new events an event_tracked trigger listens for, enqueued with them.
        await enqueueTrackedEventPass(tx, workspaceId, fresh, new Date());
      }
    });
    // Only after the commit: a rolled-back insert must not be remembered as stored or counted.
    if (!this.closed)
      for (const [workspaceId, blockId, fresh] of blocks) this.deferred.add(workspaceId, blockId, fresh);
    for (const [workspaceId, users, accounts] of described) this.onChanged?.(workspaceId, users, accounts);
    for (const [workspaceId, keys] of ensured) {
      let known = this.knownUsers.get(workspaceId);
      if (known === undefined || known.size > MAX_KNOWN_USERS) {
        known = new Set();
        this.knownUsers.set(workspaceId, known);
      }
      for (const k of keys) known.add(k);
    }
  }
}
