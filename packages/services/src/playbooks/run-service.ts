import { randomUUID } from "node:crypto";
import {
  closeRunStep,
  type PlaybookDefinition,
  type Principal,
  planRunSteps,
  runSucceeded,
  shiftOpenSteps,
  TenureError,
  type TextLocale,
} from "@tenure/core";
import type {
  PlaybookRunRecord,
  RunBaseline,
  RunSource,
  Storage,
  StorageTransaction,
  TimelineEntryRecord,
} from "@tenure/storage";
import { guardAccountEdit } from "../access/book-scope";
import { addDays } from "../health/days";
import { onTaskClosed } from "../tasks/task-service";
import { readMetric } from "./metric-reader";
import { ensureStarterLibrary } from "./playbook-library";
import { createStepTasks, localized } from "./run-steps";

/** What the run service needs besides the workspace: storage and the reporting currency (for MRR). */
export interface PlaybookRunDeps {
  storage: Storage;
  reportingCurrency: string;
}

/** Starting a run by hand (account page, CLI) or from an automation. */
export interface StartRunInput {
  playbookKey: string;
  accountId: string;
  trigger?: { automationId?: string | null; signalId?: string | null };
  /** A control run (an automation's hold-out share): recorded and measured, no tasks. */
  holdout?: boolean;
  /** A second start with the same key returns the first run. */
  idempotencyKey?: string | null;
  source?: RunSource;
  startedBy?: string | null;
  /** The run's first day (YYYY-MM-DD); today (UTC) when left out. */
  day?: string;
  /** ISO timestamp of the start; now when left out. */
  at?: string;
  /** Language of the tasks' titles and instructions. */
  locale?: TextLocale;
  /** Who asks (book scoping); omitted = the operator's own process or an automation. */
  principal?: Principal;
}

/** A start's answer: the run, and whether it is new (false: an open run or the same key returned). */
export interface StartRunResult {
  run: PlaybookRunRecord;
  created: boolean;
}

const today = () => new Date().toISOString().slice(0, 10);
const DAY = /^\d{4}-\d{2}-\d{2}$/;

function playbookEntry(
  run: PlaybookRunRecord,
  at: string,
  title: string,
  data: Record<string, unknown>,
): TimelineEntryRecord {
  return {
    id: randomUUID(),
    accountId: run.accountId,
    type: "playbook",
    occurredAt: at,
    author: null,
    title,
    body: null,
    data: {
      runId: run.id,
      playbookKey: run.playbookKey,
      version: run.version,
      holdout: run.holdout,
      ...data,
    },
  };
}

/** The account's health band and ARR on `day`: what a matched control is matched on. */
async function baselineOf(
  deps: PlaybookRunDeps,
  ws: string,
  account: { id: string; segment: string | null; tier: string | null },
  day: string,
): Promise<RunBaseline> {
  const [latest, mrr] = await Promise.all([
    deps.storage.healthScores.latest(ws, account.id, day),
    readMetric(deps.storage, ws, account.id, { kind: "mrr" }, day, deps),
  ]);
  return {
    segment: account.segment,
    tier: account.tier,
    band: latest?.band ?? "none",
    arr: Math.round((mrr ?? 0) * 12 * 100) / 100,
  };
}

/**
 * Starts a playbook run on an account: records the version, the target metric's value on the start
 * day and the window's end, creates one task per step (none for a hold-out control run) and puts the
 * run on the account's timeline. Starting a playbook that already has an open run on the account, or
 * repeating an idempotency key, returns that run instead of adding one.
 */
export async function startRun(
  deps: PlaybookRunDeps,
  ws: string,
  input: StartRunInput,
): Promise<StartRunResult> {
  const { storage } = deps;
  const day = input.day ?? today();
  if (!DAY.test(day)) throw new TenureError("validation", `day: must be a date as YYYY-MM-DD, got "${day}"`);
  const at = input.at ?? new Date().toISOString();
  await ensureStarterLibrary(storage, ws);
  const [playbook, account] = await Promise.all([
    storage.playbooks.get(ws, input.playbookKey),
    storage.accounts.get(ws, input.accountId),
  ]);
  if (playbook === null) throw new TenureError("not_found", `No playbook with key "${input.playbookKey}"`);
  if (account === null) throw new TenureError("not_found", `No account with id "${input.accountId}"`);
  await guardAccountEdit(storage, ws, input.principal, account.id);
  if (playbook.archivedAt !== null)
    throw new TenureError("validation", `playbookKey: the playbook "${playbook.key}" is archived`);
  const existing = await findExisting(storage, ws, input);
  if (existing !== null) return { run: existing, created: false };

  const def = playbook.definition;
  const holdout = input.holdout === true;
  const [startValue, baseline] = await Promise.all([
    readMetric(storage, ws, account.id, def.metric, day, deps),
    baselineOf(deps, ws, account, day),
  ]);
  const run: PlaybookRunRecord = {
    id: randomUUID(),
    playbookKey: playbook.key,
    version: playbook.latestVersion,
    accountId: account.id,
    status: "active",
    holdout,
    source: input.source ?? (input.trigger?.automationId ? "automation" : "manual"),
    triggerAutomationId: input.trigger?.automationId ?? null,
    triggerSignalId: input.trigger?.signalId ?? null,
    idempotencyKey: input.idempotencyKey ?? null,
    startedAt: at,
    startDate: day,
    windowEnd: addDays(day, def.windowDays),
    metric: def.metric,
    startValue,
    endValue: null,
    measuredAt: null,
    baseline,
    // A control run is left untreated: it has no steps and no tasks.
    steps: holdout ? [] : planRunSteps(def, day),
    snoozedUntil: null,
    startedBy: input.startedBy ?? null,
    completedAt: null,
    updatedAt: at,
  };
  const locale = input.locale ?? "en";
  const inserted = await storage.transaction(async (tx) => {
    if (!(await tx.playbooks.insertRun(ws, run))) return false;
    if (!holdout) {
      const ids = await createStepTasks(tx, ws, run, def, { locale, at, today: day });
      run.steps = run.steps.map((s) => ({ ...s, taskId: ids.get(s.index) ?? null }));
      await tx.playbooks.updateRun(ws, run.id, { steps: run.steps }, at);
    }
    await tx.timeline.insertMany(ws, [
      playbookEntry(
        run,
        at,
        holdout
          ? `Held out of playbook: ${localized(def.name, "en")} (control)`
          : `Playbook started: ${localized(def.name, "en")}`,
        {
          event: "started",
          name: def.name,
          steps: run.steps.length,
          metric: def.metric,
          startValue,
          windowEnd: run.windowEnd,
        },
      ),
    ]);
    return true;
  });
  if (inserted) return { run, created: true };
  // Another start won the race for the same open run or key: answer with its run.
  const winner = await findExisting(storage, ws, input);
  if (winner === null) throw new TenureError("conflict", "The run could not be started; try again");
  return { run: winner, created: false };
}

async function findExisting(
  storage: Storage,
  ws: string,
  input: StartRunInput,
): Promise<PlaybookRunRecord | null> {
  if (input.idempotencyKey) {
    const byKey = await storage.playbooks.runByIdempotencyKey(ws, input.idempotencyKey);
    if (byKey !== null) return byKey;
  }
  return storage.playbooks.openRun(ws, input.playbookKey, input.accountId);
}

async function activeRun(storage: Storage | StorageTransaction, ws: string, runId: string) {
  const run = await storage.playbooks.getRun(ws, runId);
  if (run === null) throw new TenureError("not_found", `No playbook run with id "${runId}"`);
  return run;
}

async function definitionOf(storage: Storage | StorageTransaction, ws: string, run: PlaybookRunRecord) {
  const v = await storage.playbooks.version(ws, run.playbookKey, run.version);
  return v?.definition ?? null;
}

const nameOf = (def: PlaybookDefinition | null, run: PlaybookRunRecord) =>
  def === null ? run.playbookKey : localized(def.name, "en");

/**
 * Records a step's task as done or skipped; when no step is left open the run is complete. Called by
 * the task service's task-closed hook inside the closing transaction; repeating it changes nothing.
 */
export async function closeStepIn(
  tx: StorageTransaction,
  ws: string,
  input: { runId: string; step: number; status: "done" | "skipped"; at: string },
): Promise<PlaybookRunRecord> {
  const { at } = input;
  const run = await activeRun(tx, ws, input.runId);
  if (run.status !== "active") return run;
  const { steps, complete } = closeRunStep(run.steps, input.step, input.status, at);
  const patch = complete ? { steps, status: "completed" as const, completedAt: at } : { steps };
  await tx.playbooks.updateRun(ws, run.id, patch, at);
  if (complete) {
    const def = await definitionOf(tx, ws, run);
    const done = steps.filter((s) => s.status === "done").length;
    await tx.timeline.insertMany(ws, [
      playbookEntry(run, at, `Playbook completed: ${nameOf(def, run)}`, {
        event: "completed",
        name: def?.name ?? null,
        done,
        skipped: steps.length - done,
      }),
    ]);
  }
  return { ...run, ...patch, updatedAt: at };
}

/** closeStepIn in a transaction of its own. */
export function closePlaybookStep(
  storage: Storage,
  ws: string,
  input: { runId: string; step: number; status: "done" | "skipped"; at?: string },
): Promise<PlaybookRunRecord> {
  const at = input.at ?? new Date().toISOString();
  return storage.transaction((tx) => closeStepIn(tx, ws, { ...input, at }));
}

/**
 * Completes run steps as their tasks close: a task of a run step that is done or skipped closes the
 * step in the task's transaction (a run without the step, or already closed, is left as it is).
 */
export function completeRunsWhenTasksClose(): () => void {
  unsubscribe?.();
  unsubscribe = onTaskClosed(async ({ workspaceId, task, tx }) => {
    if (task.playbookRunId === null || task.playbookStep === null) return;
    if (task.status !== "done" && task.status !== "skipped") return;
    const run = await tx.playbooks.getRun(workspaceId, task.playbookRunId);
    if (run === null || !run.steps.some((s) => s.index === task.playbookStep)) return;
    await closeStepIn(tx, workspaceId, {
      runId: run.id,
      step: task.playbookStep,
      status: task.status,
      at: task.completedAt ?? task.updatedAt,
    });
  });
  return () => {
    unsubscribe?.();
    unsubscribe = null;
  };
}

let unsubscribe: (() => void) | null = null;
// Wherever runs can start (server, worker, CLI, demo), closing a run step's task moves its run on.
completeRunsWhenTasksClose();

/** Moves an open run's dates by `days`: its open steps, their open tasks and (unless measured) its window. */
export async function reschedulePlaybookRun(
  storage: Storage,
  ws: string,
  runId: string,
  days: number,
  at: string = new Date().toISOString(),
  /** Who asks (book scoping); omitted = the operator's own process. */
  principal?: Principal,
): Promise<PlaybookRunRecord> {
  if (!Number.isInteger(days) || days === 0 || Math.abs(days) > 365)
    throw new TenureError(
      "validation",
      `days: must be a whole number of days from -365 to 365 and not 0, got ${days}`,
    );
  return storage.transaction(async (tx) => {
    const run = await activeRun(tx, ws, runId);
    await guardAccountEdit(tx, ws, principal, run.accountId);
    if (run.status !== "active")
      throw new TenureError("validation", `runId: the run is ${run.status}; only an active run can be moved`);
    const steps = shiftOpenSteps(run.steps, days);
    const windowEnd = run.measuredAt === null ? addDays(run.windowEnd, days) : run.windowEnd;
    await tx.playbooks.updateRun(ws, run.id, { steps, windowEnd }, at);
    await moveOpenTasks(tx, ws, run.id, (due) => addDays(due, days), at);
    const def = await definitionOf(tx, ws, run);
    await tx.timeline.insertMany(ws, [
      playbookEntry(run, at, `Playbook rescheduled by ${days} days: ${nameOf(def, run)}`, {
        event: "rescheduled",
        name: def?.name ?? null,
        days,
      }),
    ]);
    return { ...run, steps, windowEnd, updatedAt: at };
  });
}

/**
 * Snoozes an open run until a day (null wakes it): no new run of the playbook starts on the account
 * meanwhile (the open run is returned), and open tasks due before that day move to it.
 */
export async function snoozePlaybookRun(
  storage: Storage,
  ws: string,
  runId: string,
  until: string | null,
  at: string = new Date().toISOString(),
  /** Who asks (book scoping); omitted = the operator's own process. */
  principal?: Principal,
): Promise<PlaybookRunRecord> {
  if (until !== null && !DAY.test(until))
    throw new TenureError("validation", `until: must be a date as YYYY-MM-DD, got "${until}"`);
  return storage.transaction(async (tx) => {
    const run = await activeRun(tx, ws, runId);
    await guardAccountEdit(tx, ws, principal, run.accountId);
    if (run.status !== "active")
      throw new TenureError(
        "validation",
        `runId: the run is ${run.status}; only an active run can be snoozed`,
      );
    const steps =
      until === null
        ? run.steps
        : run.steps.map((s) => (s.status === "open" && s.dueDate < until ? { ...s, dueDate: until } : s));
    await tx.playbooks.updateRun(ws, run.id, { snoozedUntil: until, steps }, at);
    if (until !== null) await moveOpenTasks(tx, ws, run.id, (due) => (due < until ? until : due), at);
    const def = await definitionOf(tx, ws, run);
    await tx.timeline.insertMany(ws, [
      playbookEntry(
        run,
        at,
        until === null
          ? `Playbook woken: ${nameOf(def, run)}`
          : `Playbook snoozed until ${until}: ${nameOf(def, run)}`,
        { event: until === null ? "woken" : "snoozed", name: def?.name ?? null, until },
      ),
    ]);
    return { ...run, snoozedUntil: until, steps, updatedAt: at };
  });
}

async function moveOpenTasks(
  tx: StorageTransaction,
  ws: string,
  runId: string,
  move: (due: string) => string,
  at: string,
): Promise<void> {
  let after: { dueDate: string; id: string } | undefined;
  const moves: Array<{ id: string; due: string }> = [];
  for (;;) {
    const page = await tx.tasks.list(ws, {
      playbookRunId: runId,
      status: "open",
      limit: 200,
      ...(after ? { after } : {}),
    });
    for (const t of page.tasks) moves.push({ id: t.id, due: move(t.dueDate) });
    if (page.next === null) break;
    after = page.next;
  }
  for (const m of moves) await tx.tasks.update(ws, m.id, { dueDate: m.due, updatedAt: at });
}

/**
 * Records the end value of every run of the workspace whose window ended by `day` (the metric read on
 * its window's last day) and closes hold-out runs. Returns how many were measured.
 */
export async function measureDueRuns(
  deps: PlaybookRunDeps,
  ws: string,
  day: string = today(),
  at: string = new Date().toISOString(),
): Promise<number> {
  const { storage } = deps;
  let measured = 0;
  for (;;) {
    const due = await storage.playbooks.dueForMeasurement(ws, day, 200);
    if (due.length === 0) return measured;
    for (const run of due) {
      const endValue = await readMetric(storage, ws, run.accountId, run.metric, run.windowEnd, deps);
      const def = await definitionOf(storage, ws, run);
      await storage.transaction(async (tx) => {
        await tx.playbooks.updateRun(
          ws,
          run.id,
          run.holdout
            ? { endValue, measuredAt: at, status: "completed", completedAt: at }
            : { endValue, measuredAt: at },
          at,
        );
        await tx.timeline.insertMany(ws, [
          playbookEntry(run, `${run.windowEnd}T23:59:59.000Z`, `Playbook result: ${nameOf(def, run)}`, {
            event: "measured",
            name: def?.name ?? null,
            metric: run.metric,
            startValue: run.startValue,
            endValue,
            succeeded: def === null ? null : runSucceeded(def.goal, run.startValue, endValue),
          }),
        ]);
      });
      measured++;
    }
  }
}

/** measureDueRuns over every workspace with a run due (the daily check). */
export async function measureAllDueRuns(deps: PlaybookRunDeps, day: string = today()): Promise<number> {
  let n = 0;
  for (const ws of await deps.storage.playbooks.workspacesDueForMeasurement(day))
    n += await measureDueRuns(deps, ws, day);
  return n;
}
