import { randomUUID } from "node:crypto";
import { hostname } from "node:os";
import {
  compileScorecard,
  DEFAULT_SIGNAL_SETTINGS,
  type DetectedSignal,
  detectSignals,
  type LifecycleStage,
  METRIC_KEYS,
  parseSignalRule,
  reconcileSignals,
  type Scorecard,
  type SignalContext,
  type SignalRule,
  type SignalSettings,
  type Subscription,
  scorecardVersion,
  scoreTrend,
  TenureError,
} from "@tenure/core";
import type {
  AccountRange,
  HealthScoreRecord,
  SignalRecord,
  SignalStatusUpdate,
  StageChange,
  Storage,
  TimelineEntryRecord,
} from "@tenure/storage";
import { accountRowsRecomputed } from "../accounts/account-list-store";
import { catchUpRollups } from "../rollups/deferred-rollups";
import type { RollupSources } from "../rollups/rollup-sources";
import { type AccountFacts, computeAccountFacts, npsAnswers } from "./account-metrics";
import { type HealthInputs, inferKeyEvents, loadHealthInputs, usageWindow } from "./health-inputs";
import { signalQuota } from "./quota-inputs";
import { activeScorecard } from "./scorecard-store";
import { churnProbabilities } from "./stage-inputs";
import { ruleStage } from "./stage-rules";
import type { StoredBreakdown } from "./stored-breakdown";
import { nextTurn as yieldToEventLoop } from "./turns";

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

import { UsagePrefetch } from "./usage-prefetch";

/** Metric names user signal rules may test: every scorecard metric plus healthScore, mrr, arr and quotaUsedPct. */
export const SIGNAL_RULE_METRICS: readonly string[] = [
  ...METRIC_KEYS,
  "healthScore",
  "mrr",
  "arr",
  "quotaUsedPct",
];

export interface RecomputeOptions {
  /** The day scored (YYYY-MM-DD): the service reads no clock. */
  asOf: string;
  reportingCurrency?: string;
  /** Key feature events for keyFeatureAdoption (default: inferred, see loadHealthInputs). */
  keyEvents?: readonly string[];
  signalSettings?: SignalSettings;
  /**
   * Accounts read, scored and written per step (default 1000). Each step is its own transaction, and the
   * event loop is released between steps, so a server keeps answering while it recomputes.
   */
  chunkAccounts?: number;
  /**
   * Only these accounts (the ones whose data changed); default every account. Workspace-wide inputs
   * (inferred key events, whether tickets are tracked) are still read whole, so each score is exactly
   * what a full recompute would store for that account now.
   */
  accountIds?: readonly string[];
  /**
   * Read each step's usage on a thread of its own, ahead of the step (default: for a full recompute
   * when the store is a SQLite file and there are 3 steps or more). False reads it on this thread,
   * still ahead of the step.
   */
  usageThread?: boolean;
  /**
   * After each step that took T ms, rest `restRatio` × T before the next (default 0): a background
   * recompute then leaves the CPU (its own and the database's) to requests in between, at the cost of
   * taking (1 + restRatio) times as long.
   */
  restRatio?: number;
  /** This process's in-memory rollup counts (tracking queues), flushed before usage is read. */
  rollupSources?: RollupSources;
  /**
   * A full recompute runs only while it holds the workspace's recompute lease, so two servers on one
   * database never both run one. When another process holds it: "skip" (default: the scheduler, whose
   * work the holder is doing) returns at once with `busy` set; "fail" throws a conflict (the CLI).
   */
  whenBusy?: "skip" | "fail";
}

/** How long a full recompute's lease lasts without renewal: a crashed holder blocks others this long. */
export const RECOMPUTE_LEASE_MS = 120_000;
/** A running recompute renews its lease after a step once this much of it has passed. */
const LEASE_RENEW_AFTER_MS = 20_000;

/** The lease name of a workspace's full health recompute. */
export const recomputeLeaseName = (ws: string) => `health-recompute:${ws}`;

/** Default accounts per recompute step: large enough that per-query costs vanish, small enough to yield. */
export const RECOMPUTE_CHUNK = 1_000;

/** What `tenure health recompute` prints. */
export interface RecomputeResult {
  asOf: string;
  accounts: number;
  scored: number;
  signalsOpened: number;
  signalsResolved: number;
  stageChanges: number;
  scoreChanges: number;
  ms: number;
  /**
   * Set when a full recompute did not run (or stopped after a step) because another process holds the
   * workspace's recompute lease: who, and until when.
   */
  busy?: { holder: string; until: string };
}

/** Parses stored user rules, skipping any that no longer validate. */
export async function loadSignalRules(storage: Storage, ws: string): Promise<SignalRule[]> {
  const out: SignalRule[] = [];
  for (const json of await storage.signalRules.list(ws)) {
    try {
      out.push(parseSignalRule(json, SIGNAL_RULE_METRICS));
    } catch {
      // an invalid stored rule is skipped rather than stopping every recompute
    }
  }
  return out;
}

function signalContext(
  inputs: HealthInputs,
  accountId: string,
  facts: AccountFacts,
  score: Pick<StoredBreakdown, "score" | "band">,
): SignalContext {
  const m = facts.metrics;
  const contacts = (inputs.contacts.get(accountId) ?? []).map((c) => ({
    id: c.id,
    name: c.name,
    role: c.role,
    lastTouchAt: c.lastTouchAt === null ? null : c.lastTouchAt.slice(0, 10),
    isChampion: c.role === "champion",
    leftAt: c.leftAt,
  }));
  const quota = signalQuota(inputs.entitlements.get(accountId), inputs.asOf);
  const flat: Record<string, number | null> = {};
  for (const k of METRIC_KEYS) flat[k] = m[k] ?? null;
  flat.healthScore = score.score;
  flat.mrr = facts.mrr;
  flat.arr = facts.mrr * 12;
  flat.quotaUsedPct = quota === null ? null : Math.round((quota.used / quota.entitled) * 1000) / 10;
  return {
    accountId,
    asOf: inputs.asOf,
    weeklyActiveUsers: facts.weeklyActiveUsers,
    weeklyActiveDepartments: facts.weeklyActiveDepartments,
    weeklyEvents: facts.weeklyEvents,
    newDataDays: m.daysSinceLastLogin ?? null,
    contacts,
    daysSinceLastLogin: m.daysSinceLastLogin ?? null,
    quota,
    seats:
      facts.licensedSeats === null || !facts.hasUsageData
        ? null
        : { used: m.activeUsers30d ?? 0, licensed: facts.licensedSeats },
    contractEnd: facts.contractEnd,
    renewalDate: facts.renewalDate,
    newStakeholders: facts.newStakeholders,
    newDepartments: facts.newDepartments,
    healthScore:
      score.score === null || score.band === "none" ? null : { score: score.score, band: score.band },
    discountPct: m.discountPct ?? null,
    ticketsPerWeek: facts.ticketsPerWeek,
    npsResponses: npsAnswers(inputs, accountId).map((a) => ({
      date: a.date,
      score: a.score,
      contactId: a.contactId,
    })),
    mrr: facts.mrr,
    metrics: flat,
  };
}

const signalRecord = (accountId: string, d: DetectedSignal, asOf: string): SignalRecord => ({
  id: randomUUID(),
  accountId,
  type: d.type,
  kind: d.kind,
  severity: d.severity,
  status: "open",
  dedupKey: d.dedupKey,
  title: d.title,
  summary: d.summary,
  evidence: d.evidence,
  openedAt: asOf,
  acknowledgedAt: null,
  resolvedAt: null,
  statusChangedBy: null,
});

/** Scorecard versions this process has stored, per store and workspace (recomputes come every few seconds). */
const savedVersions = new WeakMap<Storage, Map<string, string>>();

async function saveVersionOnce(storage: Storage, ws: string, card: string, scorecard: Scorecard) {
  let saved = savedVersions.get(storage);
  if (saved === undefined) {
    saved = new Map();
    savedVersions.set(storage, saved);
  }
  if (saved.get(ws) === card) return;
  await storage.scorecards.saveVersion(ws, card, scorecard);
  saved.set(ws, card);
}

/** Consecutive id ranges of `size` accounts covering `ids` (sorted in the database's order). */
export function accountRanges(ids: readonly string[], size: number): AccountRange[] {
  const step = Math.max(1, Math.floor(size));
  const out: AccountRange[] = [];
  for (let i = 0; i < ids.length; i += step)
    out.push({ from: ids[i] as string, to: ids[Math.min(i + step, ids.length) - 1] as string });
  return out;
}

/**
 * Scores every account of the workspace at `asOf` with the active scorecard, stores the day's score,
 * raises and auto-resolves signals, and applies the lifecycle-stage rules. Set-based and in steps of
 * `chunkAccounts` accounts by id: each step reads its accounts' inputs in a fixed number of indexed bulk
 * queries, scores them in memory and writes them in one transaction. An account's rows are always
 * written together; a recompute stopped midway leaves earlier steps done, and running it again for the
 * same day is safe: scores are replaced and signals deduplicated.
 */
export async function recomputeHealth(
  storage: Storage,
  ws: string,
  opts: RecomputeOptions,
): Promise<RecomputeResult> {
  const started = performance.now();
  const { asOf } = opts;
  // Partial recomputes (accounts whose data just changed) are small and idempotent, and skipping one
  // would drop the caller's dirty marks: only full recomputes take the lease.
  const lease =
    opts.accountIds === undefined
      ? { name: recomputeLeaseName(ws), holder: `${hostname()}:${process.pid}:${randomUUID()}` }
      : null;
  if (lease !== null && !(await storage.leases.acquire(lease.name, lease.holder, RECOMPUTE_LEASE_MS)))
    return busyResult(storage, ws, asOf, opts, started, lease.name);
  try {
    return await recomputeHealthHeld(storage, ws, opts, started, lease);
  } finally {
    if (lease !== null) await storage.leases.release(lease.name, lease.holder);
  }
}

/** The result (or, with `whenBusy: "fail"`, the error) of a full recompute another process is running. */
async function busyResult(
  storage: Storage,
  ws: string,
  asOf: string,
  opts: RecomputeOptions,
  started: number,
  leaseName: string,
): Promise<RecomputeResult> {
  const current = await storage.leases.current(leaseName);
  const busy = { holder: current?.holder ?? "another process", until: current?.expiresAt ?? "" };
  if (opts.whenBusy === "fail")
    throw new TenureError(
      "conflict",
      `a full health recompute of workspace "${ws}" is already running (${busy.holder}, lease until ${busy.until}); try again when it has finished`,
    );
  return {
    asOf,
    accounts: 0,
    scored: 0,
    signalsOpened: 0,
    signalsResolved: 0,
    stageChanges: 0,
    scoreChanges: 0,
    ms: Math.round(performance.now() - started),
    busy,
  };
}

async function recomputeHealthHeld(
  storage: Storage,
  ws: string,
  opts: RecomputeOptions,
  started: number,
  lease: { name: string; holder: string } | null,
): Promise<RecomputeResult> {
  const { asOf } = opts;
  let renewedAt = performance.now();
  // Tracking calls acknowledged but not yet rolled up (the queue flushes rollups behind the 200).
  await catchUpRollups(storage, opts.rollupSources);
  // Workspace-wide inputs first: account ids (the steps), key events and whether tickets are tracked.
  const only = opts.accountIds === undefined ? null : new Set(opts.accountIds);
  const [allIds, keyEvents, hasTickets, entitlements, scorecard, rules] = await Promise.all([
    storage.accounts.ids(ws),
    opts.keyEvents ? Promise.resolve([...opts.keyEvents]) : inferKeyEvents(storage, ws, asOf),
    storage.timeline.hasType(ws, "ticket"),
    // Current allowances are few (one per metered contract): one query for the workspace, not per step.
    storage.entitlements.currentConsumption(ws, asOf),
    activeScorecard(storage, ws),
    loadSignalRules(storage, ws),
  ]);
  const ids = only === null ? allIds : allIds.filter((id) => only.has(id));
  // Stored scores name the scorecard version they were packed with; keep it before the first one.
  const card = scorecardVersion(scorecard);
  await saveVersionOnce(storage, ws, card, scorecard);
  const settings = opts.signalSettings ?? DEFAULT_SIGNAL_SETTINGS;
  // Stage guards read the stored churn probabilities (no model runs here).
  const churn = await churnProbabilities(storage, ws, only);
  const out: RecomputeResult = {
    asOf,
    accounts: 0,
    scored: 0,
    signalsOpened: 0,
    signalsResolved: 0,
    stageChanges: 0,
    scoreChanges: 0,
    ms: 0,
  };
  const ranges = accountRanges(ids, opts.chunkAccounts ?? RECOMPUTE_CHUNK);
  const usage = new UsagePrefetch(
    storage,
    ws,
    usageWindow(asOf, keyEvents),
    ranges,
    // Runs after new data (some accounts) stay on one thread: they come often while the server is
    // busy ingesting, and a second busy thread would slow its requests more than it speeds the run.
    opts.usageThread ?? (only === null && UsagePrefetch.threadFits(storage.config, ranges.length)),
  );
  const rest = opts.restRatio ?? 0;
  for (let k = 0; k < ranges.length; k++) {
    const stepStarted = performance.now();
    await recomputeStep(k);
    if (rest > 0) await sleep((performance.now() - stepStarted) * rest);
    if (lease !== null && performance.now() - renewedAt >= LEASE_RENEW_AFTER_MS) {
      // Lost (this process stalled past the expiry and another took over): stop, the holder goes on.
      if (!(await storage.leases.renew(lease.name, lease.holder, RECOMPUTE_LEASE_MS))) {
        const busy = await busyResult(storage, ws, asOf, opts, started, lease.name);
        out.busy = busy.busy;
        break;
      }
      renewedAt = performance.now();
    }
  }
  // The stored accounts list carries scores, bands, trends, signal counts and stages.
  if (out.busy === undefined)
    await accountRowsRecomputed(storage, ws, {
      asOf,
      reportingCurrency: opts.reportingCurrency,
      accountIds: only,
    });
  out.ms = Math.round(performance.now() - started);
  return out;

  async function recomputeStep(k: number): Promise<void> {
    const range = ranges[k] as AccountRange;
    const inputs = await loadHealthInputs(storage, ws, {
      asOf,
      reportingCurrency: opts.reportingCurrency ?? "USD",
      keyEvents,
      hasTickets,
      entitlements,
      range,
      usage: usage.get(k),
    });
    // A range of a partial recompute may hold unchanged accounts between the changed ones.
    if (only !== null) inputs.accounts = inputs.accounts.filter((a) => only.has(a.id));
    await yieldToEventLoop();
    const result = scoreAll(inputs, scorecard, card, rules, settings, churn);
    await yieldToEventLoop();
    await storage.transaction(async (tx) => {
      await tx.healthScores.upsertMany(ws, result.scores);
      await tx.signals.insertMany(ws, result.newSignals);
      await tx.signals.updateStatuses(ws, result.resolved);
      await tx.timeline.insertMany(ws, result.entries);
      await tx.timeline.changeStages(ws, result.stageChanges);
    });
    out.accounts += inputs.accounts.length;
    for (const s of result.scores) if (s.score !== null) out.scored++;
    out.signalsOpened += result.newSignals.length;
    out.signalsResolved += result.resolved.length;
    out.stageChanges += result.stageChanges.length;
    out.scoreChanges += result.scoreChanges;
    await yieldToEventLoop();
  }
}

interface ScoreAllResult {
  scores: HealthScoreRecord[];
  newSignals: SignalRecord[];
  resolved: SignalStatusUpdate[];
  entries: TimelineEntryRecord[];
  stageChanges: StageChange[];
  scoreChanges: number;
}

/** The pure part of a recompute: scores, signal changes, timeline entries and stage moves. */
/**
 * True when billing says the account was a customer and no longer is: it has subscriptions and none
 * (trials included) runs at `asOf`. Accounts with no billing data at all (tracking only) stay scored.
 */
function isFormerCustomer(subs: readonly Subscription[] | undefined, asOf: string): boolean {
  if (subs === undefined || subs.length === 0) return false;
  return !subs.some((x) => x.startDate <= asOf && (x.endDate === null || x.endDate > asOf));
}

function scoreAll(
  inputs: HealthInputs,
  scorecard: Scorecard,
  card: string,
  rules: readonly SignalRule[],
  settings: SignalSettings,
  churn: ReadonlyMap<string, number>,
): ScoreAllResult {
  const { asOf } = inputs;
  const at = `${asOf}T00:00:00.000Z`;
  const score = compileScorecard(scorecard);
  const out: ScoreAllResult = {
    scores: [],
    newSignals: [],
    resolved: [],
    entries: [],
    stageChanges: [],
    scoreChanges: 0,
  };
  for (const account of inputs.accounts) {
    const facts = computeAccountFacts(inputs, account);
    const former = isFormerCustomer(inputs.subscriptions.get(account.id), asOf);
    // A former customer is not scored and raises no signals (its open ones resolve below).
    const scored = score.pack(account, facts.metrics);
    const s = former ? { ...scored, score: null, band: "none" as const } : scored;
    const stored14 = inputs.history.get(account.id) ?? [];
    const history = stored14.filter((p) => p.date < asOf);
    const rerun = stored14.find((p) => p.date === asOf);
    const points: { date: string; score: number }[] = [];
    for (const p of history) if (p.score !== null) points.push({ date: p.date, score: p.score });
    if (s.score !== null) points.push({ date: asOf, score: s.score });
    const trend = scoreTrend(points, asOf);
    const metrics: Record<string, number | null> = {};
    for (const [k, v] of Object.entries(facts.metrics)) metrics[k] = v ?? null;
    const breakdown: StoredBreakdown = { v: 2, card, ...s, metrics, trend };
    out.scores.push({
      accountId: account.id,
      date: asOf,
      score: s.score,
      band: s.band,
      profileId: s.profileId,
      breakdown,
      lastActivityAt: facts.lastActivityAt,
    });

    const previous = history.at(-1);
    const bandChanged = previous && previous.band !== s.band && previous.band !== "none" && s.band !== "none";
    // A second run on the same day records the change only if the band moved again.
    if (previous && bandChanged && rerun?.band !== s.band) {
      out.scoreChanges++;
      out.entries.push({
        id: randomUUID(),
        accountId: account.id,
        type: "score_change",
        occurredAt: at,
        author: null,
        title: `Health ${previous.band} → ${s.band}`,
        body: null,
        data: { from: previous.score, to: s.score, band: s.band, previousBand: previous.band },
      });
    }

    const detected = former
      ? []
      : detectSignals(signalContext(inputs, account.id, facts, s), settings, rules);
    const stored = inputs.signals.get(account.id) ?? [];
    const rec = reconcileSignals(
      stored.map((x) => ({
        id: x.id,
        dedupKey: x.dedupKey,
        status: x.status as "open" | "acknowledged" | "resolved",
        openedAt: x.openedAt,
        resolvedAt: x.resolvedAt,
      })),
      detected,
      asOf,
      settings.reopenAfterDays,
    );
    for (const d of rec.create) {
      const sig = signalRecord(account.id, d, asOf);
      out.newSignals.push(sig);
      out.entries.push({
        id: randomUUID(),
        accountId: account.id,
        type: "signal",
        occurredAt: at,
        author: null,
        title: d.title,
        body: d.summary,
        // The evidence lets each reader's language compose the title and summary.
        data: {
          signalId: sig.id,
          type: d.type,
          kind: d.kind,
          severity: d.severity,
          status: "open",
          evidence: d.evidence,
        },
      });
    }
    const byId = new Map(stored.map((x) => [x.id, x]));
    for (const id of rec.autoResolve) {
      out.resolved.push({
        id,
        status: "resolved",
        acknowledgedAt: byId.get(id)?.acknowledgedAt ?? null,
        resolvedAt: asOf,
        statusChangedBy: "rules",
      });
    }

    const next = ruleStage({
      asOf,
      current: account.lifecycleStage,
      facts,
      lastManualAt: inputs.lastManualStage.get(account.id) ?? null,
      band: s.band,
      churnProbability: churn.get(account.id) ?? null,
    });
    if (next !== null && next !== account.lifecycleStage) {
      out.stageChanges.push({
        accountId: account.id,
        from: account.lifecycleStage,
        to: next satisfies LifecycleStage,
        source: "rule",
        note: null,
        at,
        author: null,
      });
    }
  }
  return out;
}
