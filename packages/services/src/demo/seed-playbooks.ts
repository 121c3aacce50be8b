import { isHeldOut, STARTER_PLAYBOOKS } from "@tenure/core";
import { bareUsageUser, type Storage, type UsageRollup } from "@tenure/storage";
import { addDays } from "../health/days";
import { readMetric } from "../playbooks/metric-reader";
import { installStarterPlaybooks, updatePlaybook } from "../playbooks/playbook-library";
import { measureDueRuns, startRun } from "../playbooks/run-service";
import { closeTask } from "../tasks/task-service";
import { deriveSeed, Rng } from "./prng";

/**
 * The demo's playbook history (issue 15 point 11): the starter library, months of automation-started
 * runs with hold-out controls, and recent runs with tasks open and done. Two planted outcomes, real
 * in the usage the metric reader reads:
 * - low-adoption rescue works: each treated account gets 2-6 of its lapsed users (or new ones) back in
 *   the last three weeks of its window, so active users at the window's end rise against the hold-outs;
 * - champion left does nothing: treated and hold-out accounts keep the health they had.
 * Runs its own random stream, after everything else, so no other demo figure moves with it.
 */

/** Automation ids the demo's runs name as their trigger (the automations' demo uses the same). */
export const DEMO_PLAYBOOK_AUTOMATIONS = {
  "low-adoption-rescue": "demo-auto-low-adoption",
  "champion-left": "demo-auto-champion-left",
} as const;

/**
 * Hold-out share (%) of those two automations. Each past run's control/treated split is the
 * automation's own deterministic draw (core's isHeldOut), so the run log, the runs and what the
 * automation would decide for the same account today all agree.
 */
export const DEMO_HOLDOUT_PCT = 30;

export interface SeedPlaybooksResult {
  playbooks: number;
  runs: number;
  holdouts: number;
  tasksClosed: number;
  measured: number;
}

interface Plan {
  key: keyof typeof DEMO_PLAYBOOK_AUTOMATIONS;
  runs: number;
  /** Days before asOf of the earliest and latest start. */
  from: number;
  to: number;
  planted: boolean;
}

const STREAM = 0x9b0c;
const RECENT_KEYS = [
  "renewal-prep-90",
  "expansion-quota-pace",
  "breadth-collapse",
  "qbr-high-touch",
  "save-campaign",
  "onboarding-first-30-days",
] as const;

/** Seeds the playbook library and its runs into a demo workspace whose usage is already written. */
export async function seedDemoPlaybooks(
  storage: Storage,
  ws: string,
  opts: { asOf: string; seed: number; reportingCurrency: string },
): Promise<SeedPlaybooksResult> {
  const { asOf } = opts;
  const rng = new Rng(deriveSeed(opts.seed, STREAM));
  const deps = { storage, reportingCurrency: opts.reportingCurrency };
  await installStarterPlaybooks(storage, ws, `${addDays(asOf, -365)}T08:00:00.000Z`);
  const accounts = await storage.accounts.list(ws);
  const pool = accounts.map((a) => a.id);
  for (let i = pool.length - 1; i > 0; i--) {
    const j = rng.int(0, i);
    [pool[i], pool[j]] = [pool[j] as string, pool[i] as string];
  }
  // Each account is in at most one run, so no run's planted usage reaches another's window.
  let next = 0;
  const size = (n: number) => Math.max(6, Math.min(n, Math.floor(accounts.length / 8)));
  const plans: Plan[] = [
    { key: "low-adoption-rescue", runs: size(48), from: 220, to: PLANTED_HISTORY_ENDS, planted: true },
    { key: "champion-left", runs: size(36), from: 220, to: PLANTED_HISTORY_ENDS, planted: false },
  ];
  let runs = 0;
  let holdouts = 0;
  let tasksClosed = 0;
  for (const plan of plans) {
    const days = Array.from({ length: plan.runs }, () => addDays(asOf, -rng.int(plan.to, plan.from))).sort();
    const editDay = days[Math.floor(days.length / 2)];
    let edited = false;
    for (const day of days) {
      if (plan.key === "low-adoption-rescue" && !edited && editDay !== undefined && day >= editDay) {
        await editRescue(storage, ws, `${day}T07:00:00.000Z`);
        edited = true;
      }
      // The next account that pays and has active users on the start day.
      let accountId: string | undefined;
      while (next < pool.length && accountId === undefined) {
        const candidate = pool[next++] as string;
        const [users, mrr] = await Promise.all([
          readMetric(storage, ws, candidate, { kind: "active_users" }, day, deps),
          readMetric(storage, ws, candidate, { kind: "mrr" }, day, deps),
        ]);
        if ((users ?? 0) >= 2 && (mrr ?? 0) > 0) accountId = candidate;
      }
      if (accountId === undefined) break;
      const holdout = isHeldOut(DEMO_PLAYBOOK_AUTOMATIONS[plan.key], accountId, DEMO_HOLDOUT_PCT);
      const { run } = await startRun(deps, ws, {
        playbookKey: plan.key,
        accountId,
        trigger: { automationId: DEMO_PLAYBOOK_AUTOMATIONS[plan.key] },
        holdout,
        idempotencyKey: `demo:${plan.key}:${accountId}:${day}`,
        source: "automation",
        day,
        at: `${day}T09:00:00.000Z`,
      });
      runs++;
      if (holdout) holdouts++;
      else {
        if (plan.planted) await plantAdoption(storage, ws, run.accountId, run.windowEnd, rng.int(2, 6), rng);
        tasksClosed += await workSteps(storage, ws, run.id, asOf, rng, 1);
      }
    }
  }
  // Recent runs started by hand: steps partly done, some overdue, on the CSMs' work lists.
  const recent = Math.min(24, Math.floor(accounts.length / 25), Math.max(0, pool.length - next));
  for (let i = 0; i < recent; i++) {
    const key = RECENT_KEYS[i % RECENT_KEYS.length] as string;
    const accountId = pool[next++] as string;
    const day = addDays(asOf, -rng.int(1, 25));
    const { run, created } = await startRun(deps, ws, {
      playbookKey: key,
      accountId,
      source: "demo",
      day,
      at: `${day}T10:00:00.000Z`,
    });
    if (!created) continue;
    runs++;
    tasksClosed += await workSteps(storage, ws, run.id, asOf, rng, 0.6);
  }
  const measured = await measureDueRuns(deps, ws, asOf, `${asOf}T03:00:00.000Z`);
  return { playbooks: STARTER_PLAYBOOKS.length, runs, holdouts, tasksClosed, measured };
}

/** Version 2 of the rescue playbook, as a team would edit it half-way through the demo's history. */
async function editRescue(storage: Storage, ws: string, at: string): Promise<void> {
  const v1 = STARTER_PLAYBOOKS.find((p) => p.key === "low-adoption-rescue")?.definition;
  if (v1 === undefined) return;
  const walkthrough = {
    title: { en: "Send a short video walkthrough", "zh-CN": "发送简短的视频演示" },
    instructions: {
      en: "Record a five-minute walkthrough of the workflow the lapsed users need and send it to them.",
      "zh-CN": "录制一段五分钟的工作流程演示，发送给已停止使用的用户。",
    },
    owner: { kind: "account_owner" as const },
    dueOffsetDays: 10,
    action: null,
  };
  const steps = [...v1.steps.slice(0, 3), walkthrough, ...v1.steps.slice(3)];
  await updatePlaybook(storage, ws, "low-adoption-rescue", { definition: { ...v1, steps } }, at);
}

/** Days before asOf of the latest planted run of the signal automations: their live history starts after. */
export const PLANTED_HISTORY_ENDS = 45;

/**
 * Brings `count` users of the account back in the last three weeks before `windowEnd`: its users with
 * no usage in the 28 days ending then first, new users of the account after them.
 */
export async function plantAdoption(
  storage: Storage,
  ws: string,
  accountId: string,
  windowEnd: string,
  count: number,
  rng: Rng,
): Promise<void> {
  const from = addDays(windowEnd, -27);
  const [users, recent] = await Promise.all([
    storage.usageUsers.listByAccount(ws, accountId),
    storage.healthScores.accountUserEvents(ws, accountId, from, windowEnd),
  ]);
  const active = new Set(recent.map((r) => r.userKey));
  const events = [...new Set(recent.map((r) => r.event))];
  const lapsed = users.filter((u) => !active.has(u.userKey)).map((u) => u.userKey);
  const chosen = lapsed.slice(0, count);
  const fresh: string[] = [];
  for (let i = 0; chosen.length + fresh.length < count; i++) fresh.push(`${accountId}-rescued${i}`);
  if (fresh.length > 0)
    await storage.usageUsers.upsertMany(
      ws,
      fresh.map((k, i) => ({ ...bareUsageUser(k, k, null), accountId, name: `Rescued user ${i + 1}` })),
    );
  const rollups: UsageRollup[] = [];
  for (const userKey of [...chosen, ...fresh]) {
    for (let d = 0; d < 3; d++) {
      rollups.push({
        userKey,
        day: addDays(windowEnd, -rng.int(0, 20)),
        event: events.length > 0 ? rng.pick(events) : "Dashboard Viewed",
        count: rng.int(1, 6),
      });
    }
  }
  await storage.usageRollups.addCounts(ws, rollups);
}

/**
 * Works a run's tasks due before asOf: each is done (mostly) or skipped a day or two after it fell due,
 * with probability `share`; the task-closed hook completes the run with its last step.
 */
export async function workSteps(
  storage: Storage,
  ws: string,
  runId: string,
  asOf: string,
  rng: Rng,
  share: number,
): Promise<number> {
  const { tasks } = await storage.tasks.list(ws, { playbookRunId: runId, status: "open", limit: 100 });
  let closed = 0;
  for (const task of tasks) {
    const day = addDays(task.dueDate, rng.int(0, 2));
    if (day >= asOf || !rng.chance(share)) continue;
    const done = rng.chance(0.85);
    await closeTask(
      storage,
      ws,
      task.id,
      { status: done ? "done" : "skipped", outcome: done ? null : "Not needed for this account" },
      { actorId: task.assigneeId, at: new Date(`${day}T15:00:00.000Z`) },
    );
    closed++;
  }
  return closed;
}
