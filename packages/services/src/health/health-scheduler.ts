import type { Storage } from "@tenure/storage";
import type { RollupSources } from "../rollups/rollup-sources";
import { recomputeHealth } from "./recompute-health";

export interface HealthSchedulerOptions {
  storage: Storage;
  /** Workspaces to recompute (all with accounts are listed by the caller). */
  workspaces: () => Promise<string[]>;
  today: () => string;
  reportingCurrency: string;
  /** Full recompute period in minutes; 0 = no periodic recompute. */
  intervalMinutes: number;
  /** How often the dirty flag is checked (ms, default 5 s). */
  debounceMs?: number;
  /**
   * Accounts per recompute step (default 100): small steps keep each stretch without a yield to the
   * event loop to a few milliseconds, so requests served by the same process wait little.
   */
  chunkAccounts?: number;
  /** See `RecomputeOptions.usageThread` (default there); the server turns it off, see health-thread.ts. */
  usageThread?: boolean;
  /** See `RecomputeOptions.restRatio` (default 0). */
  restRatio?: number;
  /**
   * After a data-triggered run that took T ms, the next one starts no sooner than `idleFactor` × T
   * later (default 2): under continuous ingestion recomputes take at most a third of the process.
   */
  idleFactor?: number;
  /** This process's in-memory rollup counts, flushed before each recompute reads usage. */
  rollupSources?: RollupSources;
  onError?: (err: unknown) => void;
  onDone?: (ws: string, result: Awaited<ReturnType<typeof recomputeHealth>>) => void;
}

/**
 * Recomputes health on a schedule and shortly after data arrives: callers mark a workspace dirty after
 * an import or ingest batch; a timer picks dirty workspaces up every few seconds. Runs never overlap.
 */
export class HealthScheduler {
  /** Dirty workspaces: the accounts whose data changed, or null for every account. */
  private readonly dirty = new Map<string, Set<string> | null>();
  private allDirty = false;
  private timers: NodeJS.Timeout[] = [];
  private running: Promise<void> | null = null;
  /** performance.now() before which no data-triggered run starts (see idleFactor). */
  private notBefore = 0;

  constructor(private readonly opts: HealthSchedulerOptions) {}

  /** Starts the timers (idempotent). */
  start(): void {
    if (this.timers.length > 0) return;
    const debounce = setInterval(() => void this.flush(), this.opts.debounceMs ?? 5_000);
    debounce.unref();
    this.timers.push(debounce);
    if (this.opts.intervalMinutes > 0) {
      const periodic = setInterval(() => void this.runAll(), this.opts.intervalMinutes * 60_000);
      periodic.unref();
      this.timers.push(periodic);
    }
  }

  /** Stops the timers; resolves once a run in progress has finished. */
  async stop(): Promise<void> {
    for (const t of this.timers) clearInterval(t);
    this.timers = [];
    await this.running?.catch(() => undefined);
  }

  /** Schedules a recompute of the workspace at the next check: of `accountIds` only when given. */
  markDirty(ws: string, accountIds?: Iterable<string>): void {
    const current = this.dirty.get(ws);
    if (accountIds === undefined || current === null) {
      this.dirty.set(ws, null);
      return;
    }
    const set = current ?? new Set<string>();
    for (const id of accountIds) set.add(id);
    this.dirty.set(ws, set);
  }

  /** Schedules a recompute of every workspace at the next check. */
  markAllDirty(): void {
    this.allDirty = true;
  }

  /** Recomputes the dirty workspaces now (also what the timer does). */
  async flush(): Promise<void> {
    if (this.running || performance.now() < this.notBefore) return;
    if (this.allDirty) {
      this.allDirty = false;
      this.dirty.clear();
      await this.runAll();
      return;
    }
    if (this.dirty.size === 0) return;
    const batch = [...this.dirty];
    this.dirty.clear();
    await this.run(batch.map(([ws, ids]) => ({ ws, accountIds: ids === null ? undefined : [...ids] })));
  }

  private async runAll(): Promise<void> {
    if (this.running) return;
    try {
      await this.run((await this.opts.workspaces()).map((ws) => ({ ws })));
    } catch (err) {
      this.opts.onError?.(err);
    }
  }

  private async run(workspaces: { ws: string; accountIds?: string[] }[]): Promise<void> {
    const started = performance.now();
    this.running = (async () => {
      for (const { ws, accountIds } of workspaces) {
        try {
          const r = await recomputeHealth(this.opts.storage, ws, {
            asOf: this.opts.today(),
            reportingCurrency: this.opts.reportingCurrency,
            chunkAccounts: this.opts.chunkAccounts ?? 100,
            accountIds,
            usageThread: this.opts.usageThread,
            restRatio: this.opts.restRatio,
            rollupSources: this.opts.rollupSources,
          });
          this.opts.onDone?.(ws, r);
        } catch (err) {
          this.opts.onError?.(err);
        }
      }
    })();
    try {
      await this.running;
    } finally {
      this.running = null;
      const ended = performance.now();
      this.notBefore = ended + (ended - started) * (this.opts.idleFactor ?? 2);
    }
  }
}
