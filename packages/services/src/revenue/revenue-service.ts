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
  computeMovementColumns,
  computeUnitEconomics,
  type ExchangeRate,
  type IsoDate,
  isValidMonth,
  MOVEMENT_CODES,
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
import { clvSettings } from "../predictions/clv-settings";

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

/** Data loaded for one cache period; each part is read only when a report needs it. */
interface CacheEntry {
  loadedAt: number;
  parts: Map<keyof RevenueDataset | "names" | "products", Promise<unknown>>;
  matrices: Map<string, Promise<MrrMatrix>>;
}

/** A movement with the account's name, as reports and the drill-down show it. */
export type NamedMovement = AccountMovement & { accountName: string };

export interface RevenueServiceOptions {
  workspaceId: string;
  reportingCurrency: string;
  /** A margin fixed for this service (the CLI's `--margin`); without it, the workspace's CLV margin. */
  grossMargin?: number;
  /** The deployment's margin (TENURE_GROSS_MARGIN) when the workspace has set none. */
  defaultGrossMargin?: number;
  /** The clock lives at the edge: today's date, used as the snapshot date of the current month. */
  today?: () => IsoDate;
  /** How long loaded data is reused between requests (ms). Imports through this process invalidate at once. */
  cacheMs?: number;
}

const DEFAULT_CACHE_MS = 15_000;

/** Revenue reports over one workspace: loads data from storage, runs the pure engine, caches per segment. */
export class RevenueService {
  private cache: CacheEntry | null = null;

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

  /** Loads every raw record of the workspace (used by benchmarks and exports). */
  async loadDataset(): Promise<RevenueDataset> {
    const [accounts, subscriptions, plans, rates, spend] = await Promise.all([
      this.accounts(),
      this.subscriptions(),
      this.plans(),
      this.rates(),
      this.spend(),
    ]);
    return { accounts, subscriptions, plans, rates, spend };
  }

  private entry(): CacheEntry {
    const ttl = this.options.cacheMs ?? DEFAULT_CACHE_MS;
    if (!this.cache || Date.now() - this.cache.loadedAt >= ttl) {
      this.cache = { loadedAt: Date.now(), parts: new Map(), matrices: new Map() };
    }
    return this.cache;
  }

  private part<T>(name: keyof RevenueDataset | "names" | "products", load: () => Promise<T>): Promise<T> {
    const parts = this.entry().parts;
    let p = parts.get(name) as Promise<T> | undefined;
    if (!p) {
      p = load();
      parts.set(name, p);
      // A failed read must not be cached.
      p.catch(() => parts.delete(name));
    }
    return p;
  }

  private readonly ws = () => this.options.workspaceId;
  private subscriptions = () =>
    this.part("subscriptions", () => this.storage.subscriptions.listUnordered(this.ws()));
  private rates = () => this.part("rates", () => this.storage.exchangeRates.list(this.ws()));
  private accounts = () => this.part("accounts", () => this.storage.accounts.list(this.ws()));
  private plans = () => this.part("plans", () => this.storage.plans.list(this.ws()));
  private spend = () => this.part("spend", () => this.storage.spend.list(this.ws()));
  private names = () => this.part("names", () => this.storage.accounts.names(this.ws()));

  private matrix(segment: string | undefined): Promise<MrrMatrix> {
    const matrices = this.entry().matrices;
    const key = segment ?? "";
    let m = matrices.get(key);
    if (!m) {
      m = (async () => {
        const [subscriptions, rates] = await Promise.all([this.subscriptions(), this.rates()]);
        let accountIds: Set<string> | undefined;
        if (segment) {
          const filter = parseSegment(segment);
          const [accounts, plans] = await Promise.all([this.accounts(), this.plans()]);
          accountIds = accountIdsInSegment(accounts, subscriptions, plans, filter);
        }
        return buildMrrMatrix(subscriptions, rates, {
          reportingCurrency: this.options.reportingCurrency,
          asOf: this.options.today?.(),
          accountIds,
        });
      })();
      matrices.set(key, m);
      m.catch(() => matrices.delete(key));
    }
    return m;
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
    return computeMonthMetrics(await this.matrix(q.segment), window);
  }

  /**
   * Per-account movements, optionally for one month and kind, with account names. `round` maps every
   * amount once (reports round to cents) so large reports are built in a single pass.
   */
  async movements(
    q: RevenueQuery & { month?: Month; kind?: MovementKind } = {},
    round: (n: number) => number = (n) => n,
    /** Only these accounts' movements (a CSM's book, see `readableAccountIds`); null: every account's. */
    only: ReadonlySet<string> | null = null,
  ): Promise<NamedMovement[]> {
    const window = q.month ? this.window({ from: q.month, to: q.month }) : this.window(q);
    const [matrix, names] = await Promise.all([this.matrix(q.segment), this.names()]);
    // From the engine's columns straight to the report rows: one object per movement, not two.
    const cols = computeMovementColumns(matrix, window);
    const out: NamedMovement[] = [];
    for (let j = 0; j < cols.count; j++) {
      const kind = MOVEMENT_CODES[cols.kind[j]!]!;
      if (q.kind && kind !== q.kind) continue;
      const accountId = matrix.accountIds[cols.account[j]!]!;
      if (only !== null && !only.has(accountId)) continue;
      const before = cols.mrrBefore[j]!;
      const after = cols.mrrAfter[j]!;
      out.push({
        month: matrix.months[cols.month[j]!]!,
        accountId,
        accountName: names.get(accountId) ?? accountId,
        kind,
        amount: round(after - before),
        mrrBefore: round(before),
        mrrAfter: round(after),
      });
    }
    return out;
  }

  /** Logo and revenue retention by start-month cohort. */
  async cohorts(q: RevenueQuery = {}): Promise<CohortTable> {
    const window = this.window(q);
    return computeCohorts(await this.matrix(q.segment), window);
  }

  /** CAC, LTV, LTV/CAC and payback, overall and per channel; by default over the trailing 12 months. */
  async unitEconomics(q: RevenueQuery = {}): Promise<UnitEconomics> {
    const window = this.window(q);
    const [matrix, accounts, spend, rates] = await Promise.all([
      this.matrix(q.segment),
      this.accounts(),
      this.spend(),
      this.rates(),
    ]);
    const last = window.to ?? matrix.months.at(-1);
    // Unit economics describe the business as it is now: a recent year, not the whole history.
    if (window.from === undefined && last !== undefined) {
      const yearBefore = addMonths(last, -11);
      const first = matrix.months[0];
      window.from = first !== undefined && first > yearBefore ? first : yearBefore;
    }
    // One margin for every lifetime value: the one the workspace set for CLV (predictions page), so LTV/CAC
    // here and CLV there never use two margins.
    const grossMargin =
      this.options.grossMargin ??
      (
        await clvSettings(this.storage, this.ws(), {
          grossMargin: this.options.defaultGrossMargin ?? 1,
        })
      ).grossMargin;
    return computeUnitEconomics(matrix, accounts, spend, rates, { ...window, grossMargin });
  }

  /** Retention and LTV by product combination. */
  async bundles(q: Pick<RevenueQuery, "segment"> = {}): Promise<BundleRow[]> {
    const [matrix, subscriptions, plans] = await Promise.all([
      this.matrix(q.segment),
      this.subscriptions(),
      this.plans(),
    ]);
    return computeBundles(matrix, subscriptions, plans);
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

  /**
   * The running month ("YYYY-MM" of today), whose figures are month to date, or null when the service
   * has no clock. Reports mark it; KPI comparisons skip it unless asked for it.
   */
  monthToDate(): Month | null {
    const today = this.options.today?.();
    return today === undefined ? null : (today.slice(0, 7) as Month);
  }

  /**
   * KPI tiles for `to` compared with the month before. By default `to` is the last complete month: a
   * running month has only part of its churn and expansion, so comparing it would flatter or alarm.
   * `partial` is true only when `to` names the running month explicitly.
   */
  async kpis(q: Pick<RevenueQuery, "segment" | "to"> = {}): Promise<{
    month: Month;
    previousMonth: Month;
    monthToDate: Month | null;
    partial: boolean;
    tiles: KpiTile[];
  }> {
    const running = this.monthToDate();
    let metrics = await this.metrics({ segment: q.segment, to: q.to });
    if (q.to === undefined && running !== null && metrics.at(-1)?.month === running && metrics.length > 1) {
      metrics = metrics.slice(0, -1);
    }
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
      monthToDate: running,
      partial: current.month === running,
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

  /**
   * Values of every attribute an account can be cut by, for segment pickers. Plans and products carry
   * `labels` (their names) so a person reads "Analytics Growth (annual, USD)", not the plan's id.
   */
  async segments(): Promise<{ attribute: string; values: string[]; labels?: Record<string, string> }[]> {
    const [accounts, subscriptions, catalogue, products] = await Promise.all([
      this.accounts(),
      this.subscriptions(),
      this.plans(),
      this.part("products", () => this.storage.products.list(this.ws())),
    ]);
    const data = { accounts, subscriptions, plans: catalogue };
    const collect = (pick: (a: Account) => (string | null)[]): string[] => {
      const set = new Set<string>();
      for (const a of data.accounts) for (const v of pick(a)) if (v) set.add(v);
      return [...set].sort();
    };
    const plans = [...new Set(data.subscriptions.map((s) => s.plan))].sort();
    const productOf = new Map(data.plans.map((p) => [p.id, p.productId]));
    const productIds = [...new Set(data.subscriptions.map((s) => productOf.get(s.plan) ?? s.plan))].sort();
    const named = (pairs: Iterable<[string, string]>, values: readonly string[]) => {
      const all = new Map(pairs);
      const out: Record<string, string> = {};
      for (const v of values) {
        const name = all.get(v);
        if (name !== undefined && name !== v) out[v] = name;
      }
      return out;
    };
    return [
      { attribute: "tier", values: collect((a) => [a.tier]) },
      { attribute: "segment", values: collect((a) => [a.segment]) },
      { attribute: "owner", values: collect((a) => [a.owner]) },
      { attribute: "industry", values: collect((a) => [a.industry]) },
      { attribute: "region", values: collect((a) => [a.region]) },
      { attribute: "channel", values: collect((a) => [a.channel]) },
      { attribute: "lifecycleStage", values: collect((a) => [a.lifecycleStage]) },
      {
        attribute: "plan",
        values: plans,
        labels: named(
          catalogue.map((p) => [p.id, p.name]),
          plans,
        ),
      },
      {
        attribute: "product",
        values: productIds,
        labels: named(
          products.map((p) => [p.id, p.name]),
          productIds,
        ),
      },
      { attribute: "tag", values: collect((a) => a.tags) },
    ].filter((s) => s.values.length > 0);
  }
}
