import { randomUUID } from "node:crypto";
import {
  type Automation,
  type AutomationAccountState,
  type AutomationAction,
  type AutomationDefinition,
  type AutomationEvents,
  type AutomationMatch,
  type AutomationOutcome,
  type AutomationSnapshot,
  evaluateAutomations,
  type HealthBand,
  type LifecycleStage,
  type Principal,
  parseAutomation,
  TenureError,
} from "@tenure/core";
import type { AutomationRecord, AutomationRunRecord, AutomationStepRecord, Storage } from "@tenure/storage";
import { guardAccountEdit, readableBook } from "../access/book-scope";
import { startRun } from "../playbooks/run-service";
import { loadAutomationCatalog } from "./automation-catalog";
import { loadAutomationFacts } from "./automation-facts";
import { type AutomationRunDeps, enqueueRunStep } from "./run-actions";

/** An automation as the API returns it: the definition, identity, version and its log's counts. */
export interface AutomationView extends Automation {
  createdAt: string;
  updatedAt: string;
  /** Log rows per outcome (fired, held_out, snoozed, reentry, deduped). */
  counts: Record<string, number>;
}

function toAutomation(r: AutomationRecord): Automation {
  const d = r.definition as AutomationDefinition;
  return { ...d, id: r.id, version: r.version, enabled: r.enabled, name: r.name };
}

async function view(storage: Storage, ws: string, r: AutomationRecord): Promise<AutomationView> {
  return {
    ...toAutomation(r),
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
    counts: await storage.automations.outcomeCounts(ws, r.id),
  };
}

/** Every automation of the workspace with its log counts. */
export async function listAutomations(storage: Storage, ws: string): Promise<AutomationView[]> {
  const rows = await storage.automations.list(ws);
  return Promise.all(rows.map((r) => view(storage, ws, r)));
}

/** One automation; 404 naming the id when there is none. */
export async function getAutomation(storage: Storage, ws: string, id: string): Promise<AutomationView> {
  const r = await storage.automations.get(ws, id);
  if (r === null) throw new TenureError("not_found", `No automation with id "${id}"`);
  return view(storage, ws, r);
}

/** Every version of an automation, newest first. */
export async function automationVersions(
  storage: Storage,
  ws: string,
  id: string,
): Promise<Array<{ version: number; definition: AutomationDefinition; createdAt: string }>> {
  await getAutomation(storage, ws, id);
  const rows = await storage.automations.versions(ws, id);
  return rows.map((v) => ({ ...v, definition: v.definition as AutomationDefinition }));
}

/**
 * Validates a definition against the workspace (400 naming the part: unknown field, signal type,
 * member, team, playbook, endpoint, channel, template or variable, a loop, a bad schedule) and stores
 * it as a new automation or as the next version of `id`; both rows are written in one transaction.
 */
export async function saveAutomation(
  storage: Storage,
  ws: string,
  input: unknown,
  opts: { id?: string; at: string },
): Promise<AutomationView> {
  const definition = parseAutomation(input, await loadAutomationCatalog(storage, ws));
  if (opts.id !== undefined && (await storage.automations.get(ws, opts.id)) === null)
    throw new TenureError("not_found", `No automation with id "${opts.id}"`);
  const id = opts.id ?? `auto_${randomUUID().slice(0, 8)}`;
  const saved = await storage.automations.save(ws, {
    id,
    name: definition.name,
    enabled: definition.enabled,
    definition,
    at: opts.at,
  });
  return view(storage, ws, saved);
}

/** The on/off switch (no new version). */
export async function setAutomationEnabled(
  storage: Storage,
  ws: string,
  id: string,
  enabled: boolean,
  at: string,
): Promise<AutomationView> {
  const r = await storage.automations.setEnabled(ws, id, enabled, at);
  if (r === null) throw new TenureError("not_found", `No automation with id "${id}"`);
  return view(storage, ws, r);
}

/** Snoozes an account in an automation until `until` (ISO), or ends the snooze with null. */
export async function snoozeAutomationAccount(
  storage: Storage,
  ws: string,
  input: {
    automationId: string;
    accountId: string;
    until: string | null;
    at: string;
    /** Who asks (book scoping); omitted = the operator's own process. */
    principal?: Principal;
  },
): Promise<void> {
  await getAutomation(storage, ws, input.automationId);
  if ((await storage.accounts.get(ws, input.accountId)) === null)
    throw new TenureError("validation", `accountId: no account "${input.accountId}"`);
  await guardAccountEdit(storage, ws, input.principal, input.accountId);
  if (input.until === null) await storage.automations.unsnooze(ws, input.automationId, input.accountId);
  else await storage.automations.snooze(ws, input.automationId, input.accountId, input.until, input.at);
}

/** One row of an automation's run log as the API returns it. */
export interface AutomationLogEntry {
  id: string;
  accountId: string;
  accountName: string;
  version: number;
  instance: string;
  outcome: AutomationOutcome;
  status: AutomationRunRecord["status"];
  steps: AutomationStepRecord[];
  retriggers: number;
  resumeAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** An automation's run log, newest first (`before` pages back; `outcome` filters). */
export async function automationLog(
  storage: Storage,
  ws: string,
  id: string,
  q: { limit?: number; before?: string; outcome?: AutomationOutcome } = {},
  /** Who asks: a CSM limited to its book sees the rows of its own accounts (paged after the filter). */
  principal?: Principal,
): Promise<AutomationLogEntry[]> {
  await getAutomation(storage, ws, id);
  const book = await readableBook(storage, principal);
  const [rows, names] = await Promise.all([
    storage.automations.log(ws, id, {
      limit: q.limit ?? 50,
      before: q.before,
      outcome: q.outcome,
      ownerId: book?.ownerId,
    }),
    storage.accounts.names(ws),
  ]);
  return rows.map((r) => ({
    id: r.id,
    accountId: r.accountId,
    accountName: names.get(r.accountId) ?? r.accountId,
    version: r.version,
    instance: r.instance,
    outcome: r.outcome as AutomationOutcome,
    status: r.status,
    steps: r.steps,
    retriggers: r.retriggers,
    resumeAt: r.resumeAt,
    createdAt: r.createdAt,
    updatedAt: r.updatedAt,
  }));
}

/** The evaluation mark: the end of the last pass's window (a workspace setting). */
export const AUTOMATION_MARK_KEY = "automations.evaluatedThrough";

/** Everything a pass reads, loaded in bulk (the evaluator then reads no database). */
export interface AutomationPassInputs {
  automations: Automation[];
  facts: Awaited<ReturnType<typeof loadAutomationFacts>>;
  previous: Map<string, AutomationSnapshot>;
  events: AutomationEvents;
  since: string;
  state: (automationId: string, accountId: string) => AutomationAccountState | undefined;
  openRuns: Map<string, string>;
}

const pairKey = (a: string, b: string) => `${a}\u0000${b}`;

/**
 * Loads what a pass evaluates (automations, every account's facts, the previous snapshots, the window's
 * signals, the guards' memory) from storage; `evaluateAutomations` then runs on it without I/O.
 */
export async function loadAutomationPassInputs(
  storage: Storage,
  ws: string,
  opts: { asOf: string; reportingCurrency: string; tracked?: AutomationEvents["tracked"]; since?: string },
): Promise<AutomationPassInputs> {
  const [records, facts, snapshots, mark, guards, snoozes, signals] = await Promise.all([
    storage.automations.list(ws),
    loadAutomationFacts(storage, ws, opts),
    storage.automations.snapshots(ws),
    storage.workspaceSettings.get(ws, AUTOMATION_MARK_KEY),
    storage.automations.guards(ws),
    storage.automations.snoozes(ws, opts.asOf),
    storage.signals.list(ws, { statuses: ["open", "acknowledged"] }),
  ]);
  // The first pass looks back one day: recent signals count, older history does not flood the log.
  const since =
    opts.since ??
    (typeof mark?.value === "string"
      ? mark.value
      : new Date(Date.parse(opts.asOf) - 86_400_000).toISOString());
  const state = new Map<string, AutomationAccountState>();
  const openRuns = new Map<string, string>();
  for (const g of guards) {
    state.set(pairKey(g.automationId, g.accountId), {
      lastEnteredAt: g.lastEnteredAt,
      openRun: g.openRunId !== null,
    });
    if (g.openRunId !== null) openRuns.set(pairKey(g.automationId, g.accountId), g.openRunId);
  }
  for (const s of snoozes) {
    const k = pairKey(s.automationId, s.accountId);
    state.set(k, { ...state.get(k), snoozedUntil: s.until });
  }
  return {
    automations: records.map(toAutomation),
    facts,
    previous: new Map(
      snapshots.map((s) => [
        s.accountId,
        { stage: s.stage as LifecycleStage | null, segment: s.segment, band: s.band as HealthBand | null },
      ]),
    ),
    events: {
      // A signal records the day it opened, not a time: a pass takes the signals of every day its window
      // touches. One the previous pass already took is not fired twice: the log holds one row per
      // automation, account and trigger instance (signal id).
      signals: signals
        .filter((s) => {
          const day = s.openedAt.slice(0, 10);
          return day >= since.slice(0, 10) && day <= opts.asOf.slice(0, 10);
        })
        .map((s) => ({ id: s.id, accountId: s.accountId, type: s.type })),
      tracked: opts.tracked ?? [],
    },
    since,
    state: (a, acc) => state.get(pairKey(a, acc)),
    openRuns,
  };
}

/** What a dry run says would happen to one account. */
export interface DryRunRow {
  accountId: string;
  accountName: string;
  instance: string;
  outcome: AutomationOutcome;
  /** The actions a fired account would get (none for the others). */
  actions: AutomationAction[];
}

/**
 * Which accounts an automation would affect now, and what would happen (fired, held out, skipped and
 * why), without writing anything. A schedule or date trigger is evaluated over the last `days` days;
 * the definition may be an unsaved draft (validated as saving would).
 */
export async function dryRunAutomation(
  storage: Storage,
  ws: string,
  input: { id?: string; definition?: unknown; asOf: string; reportingCurrency: string; days?: number },
): Promise<{
  since: string;
  asOf: string;
  matched: number;
  byOutcome: Record<string, number>;
  rows: DryRunRow[];
}> {
  let automation: Automation;
  if (input.definition !== undefined) {
    const def = parseAutomation(input.definition, await loadAutomationCatalog(storage, ws));
    automation = { ...def, id: input.id ?? "draft", version: 0, enabled: true };
  } else if (input.id !== undefined) {
    automation = {
      ...toAutomation((await getAutomationRecord(storage, ws, input.id)) as AutomationRecord),
      enabled: true,
    };
  } else
    throw new TenureError(
      "validation",
      "id: give the id of a saved automation, or its definition to try a draft",
    );
  const since = new Date(Date.parse(input.asOf) - (input.days ?? 1) * 86_400_000).toISOString();
  const p = await loadAutomationPassInputs(storage, ws, { ...input, since });
  const matches = evaluateAutomations({
    automations: [automation],
    accounts: p.facts,
    previous: p.previous,
    events: p.events,
    since,
    asOf: input.asOf,
    state: p.state,
  });
  const names = await storage.accounts.names(ws);
  const byOutcome: Record<string, number> = {};
  for (const m of matches) byOutcome[m.outcome] = (byOutcome[m.outcome] ?? 0) + 1;
  return {
    since,
    asOf: input.asOf,
    matched: matches.length,
    byOutcome,
    rows: matches.slice(0, 500).map((m) => ({
      accountId: m.accountId,
      accountName: names.get(m.accountId) ?? m.accountId,
      instance: m.instance,
      outcome: m.outcome,
      actions: m.outcome === "fired" ? automation.actions : [],
    })),
  };
}

async function getAutomationRecord(storage: Storage, ws: string, id: string): Promise<AutomationRecord> {
  const r = await storage.automations.get(ws, id);
  if (r === null) throw new TenureError("not_found", `No automation with id "${id}"`);
  return r;
}

/** What one pass did. */
export interface AutomationPassResult {
  since: string;
  asOf: string;
  matched: number;
  byOutcome: Record<string, number>;
  /** Runs started (their first steps are queued). */
  started: number;
  ms: number;
}

/**
 * One evaluation pass: every enabled automation over the accounts' facts and what happened since the
 * last pass (signals opened, tracked events passed in, band/stage/segment moves against the stored
 * snapshot, dates reached, schedule slots). Every match is logged once per trigger instance; fired ones
 * start a run whose steps the queue runs; held-out ones are logged as control (and recorded as hold-out
 * runs of the playbook they would have started); a re-fire on an open run counts on that run.
 */
export async function runAutomationPass(
  deps: AutomationRunDeps,
  ws: string,
  opts: { asOf: string; tracked?: AutomationEvents["tracked"] },
): Promise<AutomationPassResult> {
  const started = performance.now();
  const { storage } = deps;
  const p = await loadAutomationPassInputs(storage, ws, {
    ...opts,
    reportingCurrency: deps.reportingCurrency,
  });
  const matches = evaluateAutomations({
    automations: p.automations,
    accounts: p.facts,
    previous: p.previous,
    events: p.events,
    since: p.since,
    asOf: opts.asOf,
    state: p.state,
  });
  const applied = await applyMatches(deps, ws, p, matches, opts.asOf);
  await storage.automations.putSnapshots(
    ws,
    p.facts.map((f) => ({ accountId: f.id, stage: f.stage, segment: f.segment, band: f.band })),
  );
  await storage.workspaceSettings.set(ws, AUTOMATION_MARK_KEY, opts.asOf);
  return {
    since: p.since,
    asOf: opts.asOf,
    ...applied,
    ms: Math.round(performance.now() - started),
  };
}

/**
 * A pass over the tracked events of one ingest commit (enqueued by enqueueTrackedEventPass): only the
 * automations with an `event_tracked` trigger, only the accounts the events belong to. It moves
 * neither the evaluation mark nor the snapshots, so the regular pass misses nothing it would catch.
 */
export async function runTrackedEventPass(
  deps: AutomationRunDeps,
  ws: string,
  opts: { asOf: string; tracked: AutomationEvents["tracked"] },
): Promise<AutomationPassResult> {
  const started = performance.now();
  const p = await loadAutomationPassInputs(deps.storage, ws, {
    asOf: opts.asOf,
    since: opts.asOf,
    reportingCurrency: deps.reportingCurrency,
  });
  const touched = new Set(opts.tracked.map((e) => e.accountId));
  const matches = evaluateAutomations({
    automations: p.automations.filter((a) => a.trigger.type === "event_tracked"),
    accounts: p.facts.filter((f) => touched.has(f.id)),
    previous: p.previous,
    events: { signals: [], tracked: opts.tracked },
    since: opts.asOf,
    asOf: opts.asOf,
    state: p.state,
  });
  const applied = await applyMatches(deps, ws, p, matches, opts.asOf);
  return { since: opts.asOf, asOf: opts.asOf, ...applied, ms: Math.round(performance.now() - started) };
}

/**
 * Logs a pass's matches (once per trigger instance) and acts on the new rows: a fired one's steps are
 * queued, a held-out one is recorded as control, a deduped one counts on the open run.
 */
async function applyMatches(
  deps: AutomationRunDeps,
  ws: string,
  p: AutomationPassInputs,
  matches: readonly AutomationMatch[],
  asOf: string,
): Promise<Pick<AutomationPassResult, "matched" | "byOutcome" | "started">> {
  const { storage } = deps;
  const byId = new Map(p.automations.map((a) => [a.id, a]));
  const runs = matches.map((m) => newRun(m, byId.get(m.automationId) as Automation, asOf));
  const inserted = await storage.automations.insertRuns(ws, runs);
  const byOutcome: Record<string, number> = {};
  const retriggered: string[] = [];
  let startedRuns = 0;
  for (const run of runs) {
    if (!inserted.has(run.id)) continue;
    byOutcome[run.outcome] = (byOutcome[run.outcome] ?? 0) + 1;
    if (run.outcome === "fired") {
      await enqueueRunStep(deps.queue, ws, run);
      startedRuns++;
    } else if (run.outcome === "deduped") {
      const open = p.openRuns.get(pairKey(run.automationId, run.accountId));
      if (open !== undefined) retriggered.push(open);
    } else if (run.outcome === "held_out") {
      await recordHoldout(deps, ws, run, byId.get(run.automationId) as Automation);
    }
  }
  await storage.automations.addRetriggers(ws, retriggered, asOf);
  return { matched: inserted.size, byOutcome, started: startedRuns };
}

function newRun(m: AutomationMatch, a: Automation, at: string): AutomationRunRecord {
  return {
    id: randomUUID(),
    automationId: m.automationId,
    version: a.version,
    accountId: m.accountId,
    instance: m.instance,
    outcome: m.outcome,
    status: m.outcome === "fired" ? "open" : "none",
    nextStep: 0,
    resumeAt: null,
    steps: [],
    retriggers: 0,
    createdAt: at,
    updatedAt: at,
  };
}

/** A held-out account is left untreated; its playbooks record it as a control run (no tasks). */
async function recordHoldout(
  deps: AutomationRunDeps,
  ws: string,
  run: AutomationRunRecord,
  automation: Automation,
): Promise<void> {
  const steps: AutomationStepRecord[] = [];
  for (const [i, action] of automation.actions.entries()) {
    if (action.type !== "start_playbook") continue;
    try {
      const r = await startRun({ storage: deps.storage, reportingCurrency: deps.reportingCurrency }, ws, {
        playbookKey: action.playbookKey,
        accountId: run.accountId,
        trigger: { automationId: automation.id },
        holdout: true,
        idempotencyKey: `automation:${run.id}:${i}`,
        source: "automation",
        day: run.createdAt.slice(0, 10),
        at: run.createdAt,
      });
      steps.push({ step: i, type: "start_playbook", status: "skipped", at: run.createdAt, ref: r.run.id });
    } catch (e) {
      steps.push({
        step: i,
        type: "start_playbook",
        status: "failed",
        at: run.createdAt,
        error: (e as Error).message,
      });
    }
  }
  if (steps.length > 0)
    await deps.storage.automations.updateRun(ws, run.id, { ...run, steps, updatedAt: run.createdAt });
}
