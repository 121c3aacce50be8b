import {
  arrBand,
  buildMrrMatrix,
  type EffectRun,
  type EffectSample,
  isMeasured,
  type LocalizedText,
  type MatchCandidate,
  type MetricGoal,
  matchControls,
  monthIndex,
  type PlaybookDefinition,
  type PlaybookMetric,
  type VersionEffect,
  versionEffect,
  weekOf,
} from "@tenure/core";
import type { PlaybookRunRecord, Storage } from "@tenure/storage";
import { readMetrics } from "../playbooks/metric-reader";

/** Reads a playbook metric for one account on one day (the playbook runs' own reader). */
export type MetricReader = (accountId: string, metric: PlaybookMetric, day: string) => Promise<number | null>;

/** Reads a playbook metric for many (account, day) pairs; entry i answers pair i. */
type MetricBatchReader = (
  metric: PlaybookMetric,
  pairs: readonly { accountId: string; day: string }[],
) => Promise<(number | null)[]>;

/** Options of `effectReport`. */
export interface EffectReportOptions {
  reportingCurrency: string;
  /** Reads a matched control's metric (default: the playbook runs' own reader, `readMetric`). */
  readMetric?: MetricReader;
  /** Matched controls per treated run (default 3). */
  matchesPerRun?: number;
}

/** One playbook version in the report. */
export interface EffectReportRow extends VersionEffect {
  key: string;
  version: number;
  name: LocalizedText;
  metric: PlaybookMetric;
  goal: MetricGoal;
  windowDays: number;
  /** Accounts matched as controls (control = "matched"); null with a hold-out. */
  matched: number | null;
  /** Treated runs that found at least one matched control (control = "matched"); null with a hold-out. */
  matchedRuns: number | null;
}

/** Success and completion per playbook over all its versions. */
export interface PlaybookSuccess {
  key: string;
  name: LocalizedText;
  runs: number;
  measured: number;
  succeeded: number;
  /** succeeded / measured; null before any run is measured. */
  successRate: number | null;
  completed: number;
}

/** The effect report: per playbook version, and success per playbook. */
export interface EffectReport {
  playbooks: EffectReportRow[];
  success: PlaybookSuccess[];
}

const toEffectRun = (r: PlaybookRunRecord): EffectRun => ({
  accountId: r.accountId,
  holdout: r.holdout,
  startDate: r.startDate,
  windowEnd: r.windowEnd,
  startValue: r.startValue,
  endValue: r.endValue,
  status: r.status,
  arr: r.baseline.arr,
  cell: { segment: r.baseline.segment, band: r.baseline.band, arrBand: arrBand(r.baseline.arr) },
});

/**
 * The effect of every playbook version over its runs (issue 15 §10): against the hold-out accounts
 * its automations recorded when at least 2 were measured, otherwise against accounts matched on
 * segment, score band and ARR band that raised one of the playbook's signal types in the same week
 * without a run of it. See docs/effects.md.
 */
export async function effectReport(
  storage: Storage,
  ws: string,
  opts: EffectReportOptions,
): Promise<EffectReport> {
  const [playbooks, runs] = await Promise.all([
    storage.playbooks.list(ws, { includeArchived: true }),
    storage.playbooks.listRuns(ws),
  ]);
  const byVersion = new Map<string, PlaybookRunRecord[]>();
  for (const r of runs) {
    const k = `${r.playbookKey}\u0000${r.version}`;
    const list = byVersion.get(k);
    if (list) list.push(r);
    else byVersion.set(k, [r]);
  }
  const custom = opts.readMetric;
  // The playbook runs' own reader, in batches (health scores in one query); a given reader pair by pair.
  const reader: MetricBatchReader =
    custom === undefined
      ? (metric, pairs) =>
          readMetrics(storage, ws, metric, pairs, { reportingCurrency: opts.reportingCurrency })
      : (metric, pairs) => inBatches(pairs, (p) => custom(p.accountId, metric, p.day));
  const matcher = new MatchedControls(
    storage,
    ws,
    runs,
    reader,
    opts.matchesPerRun ?? 3,
    opts.reportingCurrency,
  );
  const rows: EffectReportRow[] = [];
  const success: PlaybookSuccess[] = [];
  for (const p of playbooks) {
    const definitions = new Map<number, PlaybookDefinition>();
    const versions = [...new Set(runs.filter((r) => r.playbookKey === p.key).map((r) => r.version))].sort(
      (a, b) => a - b,
    );
    const total = { runs: 0, measured: 0, succeeded: 0, completed: 0 };
    for (const version of versions) {
      const def =
        version === p.latestVersion
          ? p.definition
          : ((await storage.playbooks.version(ws, p.key, version))?.definition ?? p.definition);
      definitions.set(version, def);
      const vRuns = byVersion.get(`${p.key}\u0000${version}`) ?? [];
      const effectRuns = vRuns.map(toEffectRun);
      const holdouts = effectRuns.filter((r) => r.holdout && isMeasured(r));
      let controls: EffectSample[];
      let matched: number | null = null;
      let matchedRuns: number | null = null;
      if (holdouts.length >= 2) {
        controls = holdouts.map((r) => ({ pre: r.startValue ?? 0, post: r.endValue ?? 0 }));
      } else {
        const m = await matcher.controlsFor(p.key, def, vRuns);
        controls = m.controls;
        matched = m.controls.length;
        matchedRuns = m.runs;
      }
      const e = versionEffect(effectRuns, controls, matched === null ? "holdout" : "matched", def.goal);
      if (matched !== null && def.signalTypes.length === 0 && e.effect === null && e.nTreated >= 2) {
        // Started by a date or stage, not a signal: there is no trigger to find matched accounts by.
        e.reason =
          "no hold-out accounts and no signal type to match controls on: give its automation a hold-out share";
        e.reasonCode = "no_signal_type";
      }
      rows.push({
        key: p.key,
        version,
        name: def.name,
        metric: def.metric,
        goal: def.goal,
        windowDays: def.windowDays,
        ...e,
        matched,
        matchedRuns,
      });
      total.runs += e.runs;
      total.measured += e.nTreated;
      total.succeeded += e.succeeded;
      total.completed += e.completed;
    }
    success.push({
      key: p.key,
      name: p.definition.name,
      ...total,
      successRate: total.measured === 0 ? null : total.succeeded / total.measured,
    });
  }
  return { playbooks: rows, success };
}

const BATCH = 16;

/** Maps `items` through `fn`, BATCH at a time, keeping their order. */
async function inBatches<T, R>(items: readonly T[], fn: (item: T) => Promise<R>): Promise<R[]> {
  const out: R[] = [];
  for (let i = 0; i < items.length; i += BATCH)
    out.push(...(await Promise.all(items.slice(i, i + BATCH).map(fn))));
  return out;
}

/**
 * Finds and measures matched controls. Candidates are accounts with a signal of one of the playbook's
 * types opened in a week when it ran, no run of the playbook that week, and the same segment, health
 * band (on the signal's day) and ARR band (that month) as a treated run; their metric is read on the
 * treated run's own start and end days. Cheap attributes filter first so that only plausible
 * candidates cost a health-score read.
 */
class MatchedControls {
  private signals: Promise<{ accountId: string; type: string; day: string }[]> | null = null;
  private accounts: Promise<Map<string, string | null>> | null = null;
  // Runs and signals share few distinct days: each day's week is computed once per report.
  private readonly weeks = new Map<string, string>();

  constructor(
    private readonly storage: Storage,
    private readonly ws: string,
    private readonly runs: readonly PlaybookRunRecord[],
    private readonly readMetrics: MetricBatchReader,
    private readonly perRun: number,
    private readonly reportingCurrency: string,
  ) {}

  async controlsFor(
    key: string,
    def: PlaybookDefinition,
    versionRuns: readonly PlaybookRunRecord[],
  ): Promise<{ controls: EffectSample[]; runs: number }> {
    const treated = versionRuns.filter((r) => !r.holdout && r.startValue !== null && r.endValue !== null);
    if (treated.length === 0 || def.signalTypes.length === 0) return { controls: [], runs: 0 };
    const types = new Set(def.signalTypes);
    const weeks = new Set(treated.map((r) => this.weekOf(r.startDate)));
    // Any run of this playbook (any version) in a week makes the account not a control for that week.
    const ranThatWeek = new Set(
      this.runs.filter((r) => r.playbookKey === key).map((r) => `${this.weekOf(r.startDate)}|${r.accountId}`),
    );
    const [signals, segments] = await Promise.all([this.loadSignals(), this.loadSegments()]);
    const raw = signals.filter(
      (s) =>
        types.has(s.type) &&
        weeks.has(this.weekOf(s.day)) &&
        !ranThatWeek.has(`${this.weekOf(s.day)}|${s.accountId}`),
    );
    if (raw.length === 0) return { controls: [], runs: 0 };

    const arrOn = await this.arrOn(raw);
    const wantedCoarse = new Set(
      treated.map(
        (r) => `${this.weekOf(r.startDate)}|${r.baseline.segment ?? ""}|${arrBand(r.baseline.arr)}`,
      ),
    );
    const plausible = raw.flatMap((s) => {
      const segment = segments.get(s.accountId) ?? null;
      const arr = arrOn(s.accountId, s.day);
      return wantedCoarse.has(`${this.weekOf(s.day)}|${segment ?? ""}|${arrBand(arr)}`)
        ? [{ ...s, segment, arr }]
        : [];
    });
    // Every candidate's band on its signal's day in one batch read, not one query per candidate.
    const bands = await this.storage.healthScores.latestOnOrBefore(
      this.ws,
      plausible.map((s) => ({ accountId: s.accountId, day: s.day })),
    );
    const candidates: MatchCandidate[] = plausible.map((s, i) => ({
      accountId: s.accountId,
      day: s.day,
      cell: { segment: s.segment, band: bands[i]?.band ?? "none", arrBand: arrBand(s.arr) },
      arr: s.arr,
    }));
    const pairs = matchControls(treated.map(toEffectRun), candidates, this.perRun);
    // Each control's metric on its treated run's start and end days: entries 2k and 2k + 1 of one read.
    const reads = pairs.flatMap((pair) =>
      pair.controls.flatMap((c) => [
        { accountId: c.accountId, day: pair.run.startDate },
        { accountId: c.accountId, day: pair.run.windowEnd },
      ]),
    );
    const values = await this.readMetrics(def.metric, reads);
    const controls: EffectSample[] = [];
    let matchedRuns = 0;
    let k = 0;
    for (const pair of pairs) {
      let found = 0;
      for (const _control of pair.controls) {
        const pre = values[k++] ?? null;
        const post = values[k++] ?? null;
        if (pre === null || post === null) continue;
        controls.push({ pre, post });
        found++;
      }
      if (found > 0) matchedRuns++;
    }
    return { controls, runs: matchedRuns };
  }

  private weekOf(day: string): string {
    let week = this.weeks.get(day);
    if (week === undefined) {
      week = weekOf(day);
      this.weeks.set(day, week);
    }
    return week;
  }

  private loadSignals() {
    this.signals ??= this.storage.signals
      .list(this.ws)
      .then((list) =>
        list.map((s) => ({ accountId: s.accountId, type: s.type, day: s.openedAt.slice(0, 10) })),
      );
    return this.signals;
  }

  private loadSegments() {
    this.accounts ??= this.storage.accounts
      .list(this.ws)
      .then((list) => new Map(list.map((a) => [a.id, a.segment])));
    return this.accounts;
  }

  /** ARR (12 × MRR, reporting currency) of the candidates in the month of a day, from one revenue matrix. */
  private async arrOn(
    candidates: readonly { accountId: string }[],
  ): Promise<(accountId: string, day: string) => number> {
    const ids = new Set(candidates.map((c) => c.accountId));
    const [subs, rates] = await Promise.all([
      this.storage.subscriptions.listUnordered(this.ws),
      this.storage.exchangeRates.list(this.ws),
    ]);
    const matrix = buildMrrMatrix(
      subs.filter((s) => ids.has(s.accountId)),
      rates,
      { reportingCurrency: this.reportingCurrency, accountIds: ids },
    );
    const row = new Map(matrix.accountIds.map((id, i) => [id, i]));
    const first = matrix.months[0];
    const n = matrix.months.length;
    return (accountId, day) => {
      const a = row.get(accountId);
      if (a === undefined || first === undefined) return 0;
      const col = monthIndex(day.slice(0, 7)) - monthIndex(first);
      return col < 0 || col >= n ? 0 : 12 * (matrix.values[a * n + col] ?? 0);
    };
  }
}
