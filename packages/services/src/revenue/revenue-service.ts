import {
  type Account,
  type AccountMovement,
  type AcquisitionSpend,
  accountIdsInSegment,
  addMonths,
  type BundleRow,
  buildMrrMatrix,
  type CohortTable,
  computeBundles,
  computeCohorts,
  computeMonthMetrics,
  computeMovements,
  computeUnitEconomics,
  type ExchangeRate,
  type IsoDate,
  isValidMonth,
  type Month,
  type MonthMetrics,
  type MovementKind,
  type MrrMatrix,
  type Plan,
  parseSegment,
  projectWhatIf,
  type Subscription,
  TenureError,
  type UnitEconomics,
  type WhatIf,
} from "@tenure/core";
import type { Storage } from "@tenure/storage";

/** Window and segment of a revenue report. Months are "YYYY-MM"; segment is "attr=value". */
export interface RevenueQuery {
  from?: Month;
  to?: Month;
  segment?: string;
}

export interface KpiTile {
  key: "mrr" | "arr" | "ndr" | "grr" | "logoChurnRate" | "arpa" | "ltvToCac" | "paybackMonths";
  value: number | null;
  previous: number | null;
  /** Relative change for currency/ratio/months, absolute difference for percent. */
  change: number | null;
  format: "currency" | "percent" | "ratio" | "months";
}

export interface RevenueDataset {
  accounts: Account[];
  subscriptions: Subscription[];
  plans: Plan[];
  rates: ExchangeRate[];
  spend: AcquisitionSpend[];
}

interface Loaded extends RevenueDataset {
  loadedAt: number;
  accountNames: Map<string, string>;
  matrices: Map<string, MrrMatrix>;
}

export interface RevenueServiceOptions {
  workspaceId: string;
  reportingCurrency: string;
  grossMargin?: number;
  /** The clock lives at the edge: today's date, used as the snapshot date of the current month. */
  today?: () => IsoDate;
  /** How long loaded data is reused between requests (ms). Imports through this process invalidate at once. */
  cacheMs?: number;
}

const DEFAULT_CACHE_MS = 15_000;

/** Revenue reports over one workspace: loads data from storage, runs the pure engine, caches per segment. */
export class RevenueService {
  private cache: Loaded | null = null;
  private loading: Promise<Loaded> | null = null;

  constructor(
    private readonly storage: Storage,
    private readonly options: RevenueServiceOptions,
  ) {}

  get currency(): string {
    return this.options.reportingCurrency;
  }

  /** Drops cached data, e.g. after an import. */
  invalidate(): void {
    this.cache = null;
  }

  /** Loads the raw records of the workspace (used by reports and benchmarks). */
  async loadDataset(): Promise<RevenueDataset> {
    const ws = this.options.workspaceId;
    const [accounts, subscriptions, plans, rates, spend] = await Promise.all([
      this.storage.accounts.list(ws),
      this.storage.subscriptions.list(ws),
      this.storage.plans.list(ws),
      this.storage.exchangeRates.list(ws),
      this.storage.spend.list(ws),
    ]);
    return { accounts, subscriptions, plans, rates, spend };
  }

  private async loaded(): Promise<Loaded> {
    const ttl = this.options.cacheMs ?? DEFAULT_CACHE_MS;
    if (this.cache && Date.now() - this.cache.loadedAt < ttl) return this.cache;
    if (!this.loading) {
      this.loading = this.loadDataset()
        .then((data) => {
          const loaded: Loaded = {
            ...data,
            loadedAt: Date.now(),
            accountNames: new Map(data.accounts.map((a) => [a.id, a.name])),
            matrices: new Map(),
          };
          this.cache = loaded;
          return loaded;
        })
        .finally(() => {
          this.loading = null;
        });
    }
    return this.loading;
  }

  private async matrix(segment: string | undefined): Promise<{ data: Loaded; matrix: MrrMatrix }> {
    const data = await this.loaded();
    const key = segment ?? "";
    let matrix = data.matrices.get(key);
    if (!matrix) {
      const accountIds = segment
        ? accountIdsInSegment(data.accounts, data.subscriptions, data.plans, parseSegment(segment))
        : undefined;
      matrix = buildMrrMatrix(data.subscriptions, data.rates, {
        reportingCurrency: this.options.reportingCurrency,
        asOf: this.options.today?.(),
        accountIds,
      });
      data.matrices.set(key, matrix);
    }
    return { data, matrix };
  }

  private window(q: RevenueQuery): { from?: Month; to?: Month } {
    for (const [name, value] of [
      ["from", q.from],
      ["to", q.to],
    ] as const) {
      if (value !== undefined && !isValidMonth(value)) {
        throw new TenureError("validation", `${name} must be a month as YYYY-MM, got "${value}"`);
      }
    }
    if (q.from && q.to && q.from > q.to) {
      throw new TenureError("validation", `from (${q.from}) must not be after to (${q.to})`);
    }
    return { from: q.from, to: q.to };
  }

  /** Monthly portfolio metrics (MRR, movements, churn rates, NDR, GRR, quick ratio). */
  async metrics(q: RevenueQuery = {}): Promise<MonthMetrics[]> {
    const window = this.window(q);
    const { matrix } = await this.matrix(q.segment);
    return computeMonthMetrics(matrix, window);
  }

  /** Per-account movements, optionally for one month and kind, with account names. */
  async movements(
    q: RevenueQuery & { month?: Month; kind?: MovementKind } = {},
  ): Promise<(AccountMovement & { accountName: string })[]> {
    const window = q.month ? this.window({ from: q.month, to: q.month }) : this.window(q);
    const { data, matrix } = await this.matrix(q.segment);
    const rows = computeMovements(matrix, window);
    const out: (AccountMovement & { accountName: string })[] = [];
    for (const m of rows) {
      if (q.kind && m.kind !== q.kind) continue;
      out.push({ ...m, accountName: data.accountNames.get(m.accountId) ?? m.accountId });
    }
    return out;
  }

  /** Logo and revenue retention by start-month cohort. */
  async cohorts(q: RevenueQuery = {}): Promise<CohortTable> {
    const window = this.window(q);
    const { matrix } = await this.matrix(q.segment);
    return computeCohorts(matrix, window);
  }

  /** CAC, LTV, LTV/CAC and payback, overall and per channel; by default over the trailing 12 months. */
  async unitEconomics(q: RevenueQuery = {}): Promise<UnitEconomics> {
    const window = this.window(q);
    const { data, matrix } = await this.matrix(q.segment);
    const last = window.to ?? matrix.months.at(-1);
    // Unit economics describe the business as it is now: a recent year, not the whole history.
    if (window.from === undefined && last !== undefined) {
      const yearBefore = addMonths(last, -11);
      const first = matrix.months[0];
      window.from = first !== undefined && first > yearBefore ? first : yearBefore;
    }
    return computeUnitEconomics(matrix, data.accounts, data.spend, data.rates, {
      ...window,
      grossMargin: this.options.grossMargin ?? 1,
    });
  }

  /** Retention and LTV by product combination. */
  async bundles(q: Pick<RevenueQuery, "segment"> = {}): Promise<BundleRow[]> {
    const { data, matrix } = await this.matrix(q.segment);
    return computeBundles(matrix, data.subscriptions, data.plans);
  }

  /** MRR trajectories from the last month under given monthly net growth rates. */
  async whatIf(
    q: Pick<RevenueQuery, "segment" | "to"> & { rates?: number[]; months?: number } = {},
  ): Promise<WhatIf> {
    const metrics = await this.metrics({ segment: q.segment, to: q.to });
    const last = metrics.at(-1);
    if (!last) throw new TenureError("not_found", "No revenue data yet: import subscriptions first");
    if (q.months !== undefined && (!Number.isInteger(q.months) || q.months < 1 || q.months > 120)) {
      throw new TenureError("validation", `months must be an integer from 1 to 120, got ${q.months}`);
    }
    return projectWhatIf(last.month, last.mrr, { rates: q.rates, months: q.months });
  }

  /** KPI tiles for `to` (default: the last month) compared with the month before. */
  async kpis(q: Pick<RevenueQuery, "segment" | "to"> = {}): Promise<{
    month: Month;
    previousMonth: Month;
    tiles: KpiTile[];
  }> {
    const metrics = await this.metrics({ segment: q.segment, to: q.to });
    const current = metrics.at(-1);
    if (!current) throw new TenureError("not_found", "No revenue data yet: import subscriptions first");
    const previous = metrics.at(-2) ?? null;
    const ueNow = await this.unitEconomics({
      segment: q.segment,
      from: addMonths(current.month, -11),
      to: current.month,
    });
    const prevMonth = addMonths(current.month, -1);
    const uePrev = await this.unitEconomics({
      segment: q.segment,
      from: addMonths(prevMonth, -11),
      to: prevMonth,
    });
    const tile = (
      key: KpiTile["key"],
      format: KpiTile["format"],
      value: number | null,
      prev: number | null,
    ): KpiTile => {
      let change: number | null = null;
      if (value !== null && prev !== null) {
        if (format === "percent") change = value - prev;
        else if (prev !== 0) change = (value - prev) / Math.abs(prev);
      }
      return { key, value, previous: prev, change, format };
    };
    return {
      month: current.month,
      previousMonth: prevMonth,
      tiles: [
        tile("mrr", "currency", current.mrr, previous?.mrr ?? null),
        tile("arr", "currency", current.arr, previous?.arr ?? null),
        tile("ndr", "percent", current.ndr, previous?.ndr ?? null),
        tile("grr", "percent", current.grr, previous?.grr ?? null),
        tile("logoChurnRate", "percent", current.logoChurnRate, previous?.logoChurnRate ?? null),
        tile("arpa", "currency", current.arpa, previous?.arpa ?? null),
        tile("ltvToCac", "ratio", ueNow.overall.ltvToCac, uePrev.overall.ltvToCac),
        tile("paybackMonths", "months", ueNow.overall.paybackMonths, uePrev.overall.paybackMonths),
      ],
    };
  }

  /** Values of every attribute an account can be cut by, for segment pickers. */
  async segments(): Promise<{ attribute: string; values: string[] }[]> {
    const data = await this.loaded();
    const collect = (pick: (a: Account) => (string | null)[]): string[] => {
      const set = new Set<string>();
      for (const a of data.accounts) for (const v of pick(a)) if (v) set.add(v);
      return [...set].sort();
    };
    const plans = [...new Set(data.subscriptions.map((s) => s.plan))].sort();
    const productOf = new Map(data.plans.map((p) => [p.id, p.productId]));
    const products = [...new Set(data.subscriptions.map((s) => productOf.get(s.plan) ?? s.plan))].sort();
    return [
      { attribute: "tier", values: collect((a) => [a.tier]) },
      { attribute: "segment", values: collect((a) => [a.segment]) },
      { attribute: "owner", values: collect((a) => [a.owner]) },
      { attribute: "industry", values: collect((a) => [a.industry]) },
      { attribute: "region", values: collect((a) => [a.region]) },
      { attribute: "channel", values: collect((a) => [a.channel]) },
      { attribute: "lifecycleStage", values: collect((a) => [a.lifecycleStage]) },
      { attribute: "plan", values: plans },
      { attribute: "product", values: products },
      { attribute: "tag", values: collect((a) => a.tags) },
    ].filter((s) => s.values.length > 0);
  }
}
