import type { IsoDate } from "@tenure/core";
import {
  HealthScheduler,
  type RenewalBacktestRunner,
  RevenueService,
  type RollupSources,
  recomputeHealth,
  type TenureConfig,
} from "@tenure/services";
import type { Storage } from "@tenure/storage";
import type { Logger } from "pino";
import type { ResolvePrincipal } from "./auth";
import type { RateLimits } from "./rate-limit";
import type { HealthRecompute } from "./threads/health-thread-client";
import type { TrackingWriter } from "./tracking/tracking-writer";

/** What the routes need; built once per process. */
export interface AppDeps {
  storage: Storage;
  config: Pick<
    TenureConfig,
    "reportingCurrency" | "grossMargin" | "smtpUrl" | "smtpFrom" | "publicUrl" | "authSecret"
  >;
  logger?: Logger;
  /** Demo mode: `POST /api/auth/demo` signs the web app in as the demo admin (seeded by the demo). */
  demo?: boolean;
  /** Folder of the built web app (packages/web/dist); omitted = API only. */
  webRoot?: string;
  today?: () => IsoDate;
  /**
   * Health recompute period in minutes (TENURE_HEALTH_INTERVAL_MINUTES, 0 = only after data changes).
   * Undefined = no scheduler at all (tests): scorecard changes then recompute at once.
   */
  healthIntervalMinutes?: number;
  /** Who parses and stores tracking calls; default: an in-process writer on `storage`. */
  trackingWriter?: TrackingWriter;
  /** Health recomputes on their own thread (startServer); default: a scheduler in this thread. */
  healthThread?: HealthRecompute;
  /**
   * This process's in-memory rollup counts (the tracking writer's), flushed before exact usage reads;
   * default: a new one (createApp), which the default tracking writer registers in.
   */
  rollupSources?: RollupSources;
  /** Request rate limits (TENURE_RATE_LIMIT_*); undefined = none (in-process tests). */
  rateLimits?: RateLimits;
  /**
   * Composition only (tests until sessions land): turns a request into a principal before the API
   * key rules; never set from configuration and not reachable over HTTP. Default: none.
   */
  resolvePrincipal?: ResolvePrincipal;
  /** Computes the renewal backtest after a web-triggered churn training; default: one per app (createApp). */
  renewalBacktests?: RenewalBacktestRunner;
}

/** One RevenueService per workspace, so caches never mix workspaces. */
export class WorkspaceServices {
  private readonly revenue = new Map<string, RevenueService>();

  readonly health: HealthRecompute | null;

  constructor(private readonly deps: AppDeps) {
    this.health = deps.healthThread ?? this.inProcessScheduler();
  }

  /** The storage the services read (book scoping of per-account reports reads ownership from it). */
  get storage(): Storage {
    return this.deps.storage;
  }

  /** ISO 4217 code of the reporting currency (imports check exchange rates against it). */
  get reportingCurrency(): string {
    return this.deps.config.reportingCurrency;
  }

  private inProcessScheduler(): HealthScheduler | null {
    const deps = this.deps;
    const scheduler =
      deps.healthIntervalMinutes === undefined
        ? null
        : new HealthScheduler({
            storage: deps.storage,
            rollupSources: deps.rollupSources,
            // recomputeHealth catches rollups up with the acknowledged tracking calls itself.
            workspaces: async () => (await deps.storage.workspaces.list()).map((w) => w.id),
            today: this.today,
            reportingCurrency: deps.config.reportingCurrency,
            intervalMinutes: deps.healthIntervalMinutes,
            onError: (err) => deps.logger?.error({ err }, "health recompute failed"),
            onDone: (ws, r) => deps.logger?.info({ workspace: ws, ...r }, "health recomputed"),
          });
    scheduler?.start();
    return scheduler;
  }

  /** Today's date (YYYY-MM-DD): the injected clock, else the UTC date. */
  readonly today = (): IsoDate => this.deps.today?.() ?? new Date().toISOString().slice(0, 10);

  /**
   * New data arrived (import, tracking batch): recompute health soon; null = every workspace. With
   * `accountIds` only those accounts are recomputed (the ones the data touched).
   */
  dataChanged(workspaceId: string | null, accountIds?: Iterable<string>): void {
    if (workspaceId === null) this.health?.markAllDirty();
    else this.health?.markDirty(workspaceId, accountIds);
  }

  /** The scorecard or rules changed: recompute soon, or now when no scheduler runs. */
  async healthChanged(workspaceId: string): Promise<void> {
    if (this.health) this.health.markDirty(workspaceId);
    else {
      await recomputeHealth(this.deps.storage, workspaceId, {
        asOf: this.today(),
        reportingCurrency: this.deps.config.reportingCurrency,
        rollupSources: this.deps.rollupSources,
      });
    }
  }

  revenueFor(workspaceId: string): RevenueService {
    let service = this.revenue.get(workspaceId);
    if (!service) {
      service = new RevenueService(this.deps.storage, {
        workspaceId,
        reportingCurrency: this.deps.config.reportingCurrency,
        defaultGrossMargin: this.deps.config.grossMargin,
        // The running month is snapshotted at today and marked month to date.
        today: this.today,
      });
      this.revenue.set(workspaceId, service);
    }
    return service;
  }
}
