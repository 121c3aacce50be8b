import {
  type Automation,
  type AutomationAccountState,
  type AutomationDefinition,
  evaluateAutomations,
  parseAutomation,
} from "@tenure/core";
import type { AutomationRunRecord, PlaybookRunRecord, Storage } from "@tenure/storage";
import { loadAutomationCatalog } from "../automations/automation-catalog";
import { loadAutomationFacts } from "../automations/automation-facts";
import { AUTOMATION_MARK_KEY } from "../automations/automation-service";
import { scheduleAutomationPasses } from "../automations/job-module";
import { stepKey } from "../automations/run-actions";
import { addDays } from "../health/days";
import { JobQueue } from "../jobs/job-queue";
import { measureDueRuns, startRun } from "../playbooks/run-service";
import { deriveSeed, Rng } from "./prng";
import {
  DEMO_HOLDOUT_PCT,
  DEMO_PLAYBOOK_AUTOMATIONS,
  PLANTED_HISTORY_ENDS,
  plantAdoption,
  workSteps,
} from "./seed-playbooks";

/**
 * The demo's automations (issue 15 point 11), switched on months ago, with the run log they would have
 * written since. No automation sends anything: their actions only start playbooks (whose steps are
 * tasks for the account owner), so no email, webhook or chat delivery is ever queued by the demo.
 *
 * - The two signal automations (low adoption, champion left) carry a 30 % hold-out. Their history up to
 *   45 days ago is the playbook runs seed-playbooks.ts already planted (the same runs, not a second
 *   set): each of those runs, treated or control, is one row of the log pointing at it. Since then they
 *   are replayed like the others, over the signals the health history really raised, so a signal of the
 *   last weeks has its run (or its control row) as the worker would have made it.
 * - Renewal preparation (renewal − 90 days), first-30-days onboarding of new small accounts and the
 *   referral ask to promoters at six months have their history replayed with the evaluator, pass by pass
 *   from the day they were switched on, over today's account facts; each fired match starts its
 *   playbook run on that day, as the worker would have.
 * The evaluation mark is set to the end of that history and the five-minute pass is scheduled, so a
 * running demo carries on from there without logging anything twice (a trigger occurrence is logged
 * once per account).
 */

export interface SeedAutomationsResult {
  automations: number;
  /** Log rows by outcome, over every automation. */
  log: Record<string, number>;
  /** Playbook runs the replayed automations started (fired) or recorded as control. */
  runsStarted: number;
}

const STREAM = 0xa070;

/** ARR (reporting currency) from which renewal preparation starts; smaller accounts renew on their own. */
const RENEWAL_PREP_MIN_ARR = 20_000;
/** ARR below which a new account is tech-touch (seed 000's small accounts) for the onboarding automation. */
const TECH_TOUCH_MAX_ARR = 10_000;

interface DemoAutomation {
  id: string;
  /** Days before asOf it was switched on. */
  since: number;
  definition: AutomationDefinition;
}

const options = (holdoutPct: number, reentryDays: number | null) => ({
  includeChurned: false,
  reentryDays,
  holdoutPct,
});

/** The demo company's automations, in the order the page lists them by name. */
export const DEMO_AUTOMATIONS: readonly DemoAutomation[] = [
  {
    id: DEMO_PLAYBOOK_AUTOMATIONS["low-adoption-rescue"],
    since: 230,
    definition: {
      name: "Low adoption → low-adoption rescue",
      enabled: true,
      trigger: { type: "signal_raised", signalTypes: ["usage_drop", "no_login"] },
      conditions: null,
      actions: [{ type: "start_playbook", playbookKey: "low-adoption-rescue" }],
      options: options(DEMO_HOLDOUT_PCT, 90),
    },
  },
  {
    id: DEMO_PLAYBOOK_AUTOMATIONS["champion-left"],
    since: 230,
    definition: {
      name: "Champion left → champion-left play",
      enabled: true,
      trigger: { type: "signal_raised", signalTypes: ["champion_left"] },
      conditions: null,
      actions: [{ type: "start_playbook", playbookKey: "champion-left" }],
      options: options(DEMO_HOLDOUT_PCT, 180),
    },
  },
  {
    id: "demo-auto-renewal-prep",
    since: 100,
    definition: {
      name: "Renewal in 90 days → renewal preparation",
      enabled: true,
      trigger: { type: "date_relative", field: "renewalDate", offsetDays: -90 },
      conditions: { metric: "arr", op: "gte", value: RENEWAL_PREP_MIN_ARR },
      actions: [{ type: "start_playbook", playbookKey: "renewal-prep-90" }],
      options: options(0, 300),
    },
  },
  {
    id: "demo-auto-onboarding",
    since: 100,
    definition: {
      name: "New tech-touch account → first-30-days onboarding",
      enabled: true,
      trigger: { type: "date_relative", field: "signupDate", offsetDays: 0 },
      conditions: { metric: "arr", op: "lt", value: TECH_TOUCH_MAX_ARR },
      actions: [{ type: "start_playbook", playbookKey: "onboarding-first-30-days" }],
      options: options(0, null),
    },
  },
  {
    id: "demo-auto-referral",
    since: 100,
    definition: {
      name: "Promoter at six months → referral ask",
      enabled: true,
      // Once per account, on its six-month day, when its contacts' NPS makes it a promoter.
      trigger: { type: "date_relative", field: "signupDate", offsetDays: 182 },
      conditions: { metric: "npsScore", op: "gte", value: 9 },
      actions: [{ type: "start_playbook", playbookKey: "referral-ask" }],
      options: options(0, null),
    },
  },
];

const DAY_MS = 86_400_000;
const pairKey = (a: string, b: string) => `${a}\u0000${b}`;

/** Seeds the automations and their logs into a demo workspace whose playbook runs are already written. */
export async function seedDemoAutomations(
  storage: Storage,
  ws: string,
  opts: { asOf: string; seed: number; reportingCurrency: string },
): Promise<SeedAutomationsResult> {
  const { asOf } = opts;
  const rng = new Rng(deriveSeed(opts.seed, STREAM));
  // The history ends early on asOf: the running demo's first pass picks up from there.
  const end = `${asOf}T06:00:00.000Z`;
  const catalog = await loadAutomationCatalog(storage, ws);
  const automations: Automation[] = [];
  for (const a of DEMO_AUTOMATIONS) {
    const definition = parseAutomation(a.definition, catalog);
    const saved = await storage.automations.save(ws, {
      id: a.id,
      name: definition.name,
      enabled: definition.enabled,
      definition,
      at: `${addDays(asOf, -a.since)}T08:00:00.000Z`,
    });
    automations.push({ ...definition, id: saved.id, version: saved.version });
  }
  const log: Record<string, number> = {};
  const count = (outcome: string) => {
    log[outcome] = (log[outcome] ?? 0) + 1;
  };

  // The planted runs of the signal automations are their log.
  const planted = new Set<string>(Object.values(DEMO_PLAYBOOK_AUTOMATIONS));
  const runs = (await storage.playbooks.listRuns(ws)).filter(
    (r) => r.triggerAutomationId !== null && planted.has(r.triggerAutomationId),
  );
  await storage.automations.insertRuns(
    ws,
    runs.map((r) => {
      count(r.holdout ? "held_out" : "fired");
      return plantedLogRow(r);
    }),
  );

  // The others: the evaluator's passes since each was switched on, a day at a time.
  const deps = { storage, reportingCurrency: opts.reportingCurrency };
  const facts = await loadAutomationFacts(storage, ws, { asOf, reportingCurrency: opts.reportingCurrency });
  const lastEntered = new Map<string, string>();
  // The planted runs are the signal automations' entries so far: their re-entry limits and open runs count.
  const openRuns = new Set<string>();
  for (const r of runs) {
    const k = pairKey(r.triggerAutomationId as string, r.accountId);
    const last = lastEntered.get(k);
    if (last === undefined || r.startedAt > last) lastEntered.set(k, r.startedAt);
    if (!r.holdout && r.status === "active") openRuns.add(k);
  }
  const state = (automationId: string, accountId: string): AutomationAccountState | undefined => {
    const k = pairKey(automationId, accountId);
    const last = lastEntered.get(k);
    if (last === undefined) return undefined;
    return openRuns.has(k) ? { lastEnteredAt: last, openRun: true } : { lastEnteredAt: last };
  };
  const signals = await storage.signals.list(ws, {});
  let runsStarted = 0;
  for (const a of DEMO_AUTOMATIONS) {
    const live = planted.has(a.id);
    const automation = automations.find((x) => x.id === a.id) as Automation;
    let since = `${addDays(asOf, live ? 1 - PLANTED_HISTORY_ENDS : -a.since)}T08:00:00.000Z`;
    while (since < end) {
      const until = new Date(Math.min(Date.parse(since) + DAY_MS, Date.parse(end))).toISOString();
      // A signal records the day it opened: it is an event of the pass whose window starts that day.
      const opened = live
        ? signals
            .filter((s) => s.openedAt.slice(0, 10) === since.slice(0, 10))
            .map((s) => ({ id: s.id, accountId: s.accountId, type: s.type }))
        : [];
      const matches = evaluateAutomations({
        automations: [automation],
        accounts: facts,
        previous: new Map(),
        events: { signals: opened, tracked: [] },
        since,
        asOf: until,
        state,
      });
      const rows: AutomationRunRecord[] = [];
      for (const m of matches) {
        const at = live ? `${since.slice(0, 10)}T09:05:00.000Z` : occurrenceTime(m.instance, until);
        const row: AutomationRunRecord = {
          // One row per trigger instance: an account may raise two signals on one day.
          id: `demo-log-${a.id.slice("demo-auto-".length)}-${m.accountId}-${live ? m.instance.replace(/[^\w-]/g, "_") : at.slice(0, 10)}`,
          automationId: a.id,
          version: automation.version,
          accountId: m.accountId,
          instance: m.instance,
          outcome: m.outcome,
          status: "none",
          nextStep: 0,
          resumeAt: null,
          steps: [],
          retriggers: 0,
          createdAt: at,
          updatedAt: at,
        };
        if (m.outcome === "fired" || m.outcome === "held_out") {
          lastEntered.set(pairKey(a.id, m.accountId), at);
          const action = automation.actions[0];
          if (action?.type !== "start_playbook") continue;
          const day = at.slice(0, 10);
          const { run, created } = await startRun(deps, ws, {
            playbookKey: action.playbookKey,
            accountId: m.accountId,
            trigger: { automationId: a.id },
            holdout: m.outcome === "held_out",
            idempotencyKey: stepKey(row.id, 0),
            source: "automation",
            day,
            at,
          });
          if (created) runsStarted++;
          if (created && m.outcome === "fired") {
            // The rescue brings users back as the planted history's rescues did (the demo's story).
            if (action.playbookKey === "low-adoption-rescue" && run.windowEnd <= asOf)
              await plantAdoption(storage, ws, run.accountId, run.windowEnd, rng.int(2, 6), rng);
            await workSteps(storage, ws, run.id, asOf, rng, 0.8);
          }
          if (m.outcome === "fired") openRuns.add(pairKey(a.id, m.accountId));
          const fired = m.outcome === "fired";
          row.status = fired ? "done" : "none";
          row.nextStep = fired ? automation.actions.length : 0;
          row.steps = [
            { step: 0, type: "start_playbook", status: fired ? "done" : "skipped", at, ref: run.id },
          ];
        }
        rows.push(row);
        count(m.outcome);
      }
      await storage.automations.insertRuns(ws, rows);
      since = until;
    }
  }
  // Windows that ended with this history are measured, as the daily measurement would have.
  await measureDueRuns(deps, ws, asOf, `${asOf}T03:00:00.000Z`);
  await storage.automations.putSnapshots(
    ws,
    facts.map((f) => ({ accountId: f.id, stage: f.stage, segment: f.segment, band: f.band })),
  );
  await storage.workspaceSettings.set(ws, AUTOMATION_MARK_KEY, end);
  await scheduleAutomationPasses(new JobQueue(storage), ws);
  return { automations: automations.length, log, runsStarted };
}

/** The log row of a planted run: fired (its run's steps are the playbook's tasks) or held out. */
function plantedLogRow(r: PlaybookRunRecord): AutomationRunRecord {
  const at = r.startedAt;
  return {
    id: `demo-log-${r.id}`,
    automationId: r.triggerAutomationId as string,
    version: 1,
    accountId: r.accountId,
    // The planted history has no stored signal behind it: the occurrence is the run itself.
    instance: `history:${r.id}`,
    outcome: r.holdout ? "held_out" : "fired",
    status: r.holdout ? "none" : "done",
    nextStep: r.holdout ? 0 : 1,
    resumeAt: null,
    steps: [{ step: 0, type: "start_playbook", status: r.holdout ? "skipped" : "done", at, ref: r.id }],
    retriggers: 0,
    createdAt: at,
    updatedAt: at,
  };
}

/**
 * When a live pass would have logged an occurrence: a few minutes after a date's midnight or a
 * schedule's slot (the pass runs every five minutes), else at the end of the window.
 */
function occurrenceTime(instance: string, fallback: string): string {
  const date = /^date:[^:]+(?::[^:]+)?:(\d{4}-\d{2}-\d{2})$/.exec(instance);
  if (date) return `${date[1]}T00:05:00.000Z`;
  const slot = /^schedule:(.+)$/.exec(instance);
  if (slot && !Number.isNaN(Date.parse(slot[1] as string)))
    return new Date(Date.parse(slot[1] as string) + 5 * 60_000).toISOString();
  return fallback;
}
