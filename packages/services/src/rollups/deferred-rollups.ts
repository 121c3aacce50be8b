import type { Storage, StorageTransaction, UsageEvent } from "@tenure/storage";
import { USAGE_CALL_TYPES } from "../tracking/tracking-message";
import { RollupCounter } from "./rollup-counter";
import type { RollupSources } from "./rollup-sources";

/** Whether a stored call counts in the rollups (track, page, screen with a usage name). */
export const countsAsUsage = (e: UsageEvent): boolean => e.event !== null && USAGE_CALL_TYPES.has(e.type);

/** Rollup counts of one workspace's committed but not yet rolled-up blocks. */
export interface DeferredCounts {
  counter: RollupCounter;
  /** The blocks whose counts `counter` holds (listed in usage_rollup_pending until applied). */
  blocks: number[];
  /** The users those counts are of (whose accounts' health the flush changes). */
  users: Set<string>;
}

/**
 * Rollup counts of blocks the tracking API committed without rollups, kept in memory until a flush
 * adds them in one sorted batch (each rollup row written once per flush instead of once per commit).
 */
export class DeferredRollups {
  private readonly byWorkspace = new Map<string, DeferredCounts>();
  /** Usage calls counted since the last reset. */
  events = 0;

  /** Counts the usage calls of one committed block. */
  add(workspaceId: string, blockId: number, fresh: readonly UsageEvent[]): void {
    let d = this.byWorkspace.get(workspaceId);
    if (d === undefined) {
      d = { counter: new RollupCounter(), blocks: [], users: new Set() };
      this.byWorkspace.set(workspaceId, d);
    }
    d.blocks.push(blockId);
    for (const e of fresh)
      if (countsAsUsage(e)) {
        d.counter.add(e.userKey, e.day, e.event as string);
        d.users.add(e.userKey);
        this.events++;
      }
  }

  get isEmpty(): boolean {
    return this.byWorkspace.size === 0;
  }

  /** The counts per workspace. */
  workspaces(): ReadonlyMap<string, DeferredCounts> {
    return this.byWorkspace;
  }
}

/** Blocks read back per query when replaying pending blocks from the log. */
const BLOCKS_PER_READ = 200;

/**
 * Adds the counts of every block listed in usage_rollup_pending and unlists them, inside `tx`. Counts
 * held in `memory` are used for a workspace when all its blocks are still pending (the usual case);
 * otherwise (another process or a catch-up already applied some) they are dropped and the pending
 * blocks are replayed from their stored events. Because unlisting and adding commit together, a crash
 * at any point leaves each block either fully counted and unlisted, or listed and not counted.
 * Returns how many blocks were applied.
 */
export async function applyPendingRollups(
  tx: StorageTransaction,
  memory?: ReadonlyMap<string, DeferredCounts>,
): Promise<number> {
  const pending = await tx.usageRollups.pendingBlocks();
  if (pending.length === 0) return 0;
  const isPending = new Set(pending.map((p) => p.blockId));
  const covered = new Set<number>();
  for (const [workspaceId, d] of memory ?? []) {
    if (!d.blocks.every((b) => isPending.has(b))) continue;
    await tx.usageRollups.addCells(workspaceId, d.counter.cells());
    for (const b of d.blocks) covered.add(b);
  }
  const replay = pending.filter((p) => !covered.has(p.blockId));
  const counters = new Map<string, RollupCounter>();
  for (let i = 0; i < replay.length; i += BLOCKS_PER_READ) {
    const chunk = replay.slice(i, i + BLOCKS_PER_READ);
    const events = await tx.usageEvents.blockEvents(chunk.map((p) => p.blockId));
    for (const p of chunk) {
      let counter = counters.get(p.workspaceId);
      if (counter === undefined) {
        counter = new RollupCounter();
        counters.set(p.workspaceId, counter);
      }
      for (const e of events.get(p.blockId) ?? [])
        if (countsAsUsage(e)) counter.add(e.userKey, e.day, e.event as string);
    }
  }
  for (const [workspaceId, counter] of counters) await tx.usageRollups.addCells(workspaceId, counter.cells());
  await tx.usageRollups.clearPending([...isPending]);
  return pending.length;
}

/**
 * Brings usage_rollups up to date with every committed usage call: flushes the counts `sources` (this
 * process's tracking queues) hold, then replays blocks still pending (left by a crash or another
 * process). Call before any read that must be exact (usage reports, health recompute, account usage).
 * Without `sources` (no tracking queue in this process, e.g. the CLI) only pending blocks are replayed.
 */
export async function catchUpRollups(storage: Storage, sources?: RollupSources): Promise<void> {
  await sources?.flushAll();
  await storage.transaction((tx) => applyPendingRollups(tx));
}
