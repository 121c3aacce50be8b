import type { AutomationAction, AutomationDefinition, LifecycleStage } from "@tenure/core";
import type { AutomationRunRecord, AutomationStepRecord, Storage } from "@tenure/storage";
import { setAccountStage } from "../accounts/account-activity";
import type { JobQueue } from "../jobs/job-queue";
import { startRun } from "../playbooks/run-service";
import { createTask } from "../tasks/task-service";

/** The job kind that runs an automation run's steps up to its next wait. */
export const AUTOMATION_STEP_JOB = "automation.step";

/** Job kinds of the deliveries an automation asks for (the deliveries' handlers send them). */
export const AUTOMATION_DELIVERY_KINDS = {
  email: "delivery.email",
  webhook: "delivery.webhook",
  chat: "delivery.chat",
} as const;

/** What running steps needs: storage, the queue (waits, deliveries), the reporting currency, a clock. */
export interface AutomationRunDeps {
  storage: Storage;
  queue: JobQueue;
  reportingCurrency: string;
  now?: () => Date;
}

const DAY_MS = 86_400_000;
const addDays = (day: string, days: number) =>
  new Date(Date.parse(`${day}T00:00:00.000Z`) + days * DAY_MS).toISOString().slice(0, 10);

/** The idempotency key of one step of one run: a repeated job (crash, retry) repeats no effect. */
export const stepKey = (runId: string, step: number) => `automation:${runId}:${step}`;

/** Enqueues the job that runs `run` from its next step (at `runAt`, default now). */
export function enqueueRunStep(
  queue: JobQueue,
  ws: string,
  run: Pick<AutomationRunRecord, "id" | "nextStep">,
  runAt?: Date,
): Promise<string> {
  return queue.enqueue(ws, {
    kind: AUTOMATION_STEP_JOB,
    payload: { runId: run.id },
    runAt,
    idempotencyKey: `${stepKey(run.id, run.nextStep)}:job`,
  });
}

/** Runs one action; returns what it made (a task, run or job id), or throws with the reason. */
async function runAction(
  deps: AutomationRunDeps,
  ws: string,
  run: AutomationRunRecord,
  automationId: string,
  action: AutomationAction,
  step: number,
  now: Date,
): Promise<string | null> {
  const { storage } = deps;
  const key = stepKey(run.id, step);
  const day = now.toISOString().slice(0, 10);
  switch (action.type) {
    case "start_playbook": {
      const r = await startRun({ storage, reportingCurrency: deps.reportingCurrency }, ws, {
        playbookKey: action.playbookKey,
        accountId: run.accountId,
        trigger: { automationId },
        holdout: false,
        idempotencyKey: key,
        source: "automation",
        day,
        at: now.toISOString(),
      });
      return r.run.id;
    }
    case "create_task": {
      const r = await createTask(
        storage,
        ws,
        {
          accountId: run.accountId,
          title: action.title,
          priority: action.priority,
          dueDate: addDays(day, action.dueInDays),
          automationId,
          dedupeKey: key,
          assign: action.assign,
        },
        { actorId: null, at: now },
      );
      return r.task.id;
    }
    case "add_tag":
    case "remove_tag": {
      const account = await storage.accounts.get(ws, run.accountId);
      if (account === null) throw new Error(`no account "${run.accountId}"`);
      const has = account.tags.includes(action.tag);
      if (action.type === "add_tag" && !has)
        await storage.accounts.upsertMany(ws, [{ ...account, tags: [...account.tags, action.tag] }]);
      if (action.type === "remove_tag" && has)
        await storage.accounts.upsertMany(ws, [
          { ...account, tags: account.tags.filter((t) => t !== action.tag) },
        ]);
      return null;
    }
    case "set_stage": {
      const account = await storage.accounts.get(ws, run.accountId);
      if (account === null) throw new Error(`no account "${run.accountId}"`);
      if (account.lifecycleStage !== action.stage)
        await setAccountStage(storage, ws, run.accountId, {
          stage: action.stage as LifecycleStage,
          note: `automation ${automationId}`,
          by: null,
          at: now.toISOString(),
        });
      return null;
    }
    case "send_email": {
      const recipients = await emailRecipients(storage, ws, run.accountId, action.to);
      if (recipients.length === 0) throw new Error(`the account has no ${action.to} with an email address`);
      const ids: string[] = [];
      for (const r of recipients)
        ids.push(
          await deps.queue.enqueue(ws, {
            kind: AUTOMATION_DELIVERY_KINDS.email,
            payload: { templateId: action.template, accountId: run.accountId, ...r },
            idempotencyKey: `${key}:${r.contactId ?? r.to}`,
          }),
        );
      return ids.join(",");
    }
    case "call_webhook":
      return deps.queue.enqueue(ws, {
        kind: AUTOMATION_DELIVERY_KINDS.webhook,
        payload: {
          endpointId: action.endpointId,
          type: "automation.fired",
          accountId: run.accountId,
          data: { automationId, runId: run.id, accountId: run.accountId, trigger: run.instance },
        },
        idempotencyKey: key,
      });
    case "notify_chat": {
      const template = await storage.deliveryTemplates.get(ws, action.template);
      if (template === null) throw new Error(`no template "${action.template}"`);
      return deps.queue.enqueue(ws, {
        kind: AUTOMATION_DELIVERY_KINDS.chat,
        payload: {
          channelId: action.channelId,
          title: template.subject,
          text: template.body,
          accountId: run.accountId,
          locale: template.locale,
        },
        idempotencyKey: key,
      });
    }
    case "wait":
      return null;
  }
}

/** Recipients of an email action: the owner's address, or the account's contacts in that role. */
async function emailRecipients(
  storage: Storage,
  ws: string,
  accountId: string,
  to: "owner" | "champion" | "decision_maker" | "admin" | "billing",
): Promise<Array<{ to?: string; contactId?: string }>> {
  if (to === "owner") {
    const [own] = await storage.team.ownership(ws, [accountId]);
    const member = own?.ownerId ? await storage.team.getMember(ws, own.ownerId) : null;
    return member?.email ? [{ to: member.email }] : [];
  }
  const contacts = await storage.contacts.listByAccount(ws, accountId);
  return contacts
    .filter((c) => c.role === to && c.email !== null && c.leftAt === null)
    .map((c) => ({ contactId: c.id }));
}

/**
 * Runs a run's steps from its next one until a wait (then the rest is enqueued for later) or the end.
 * Each step is recorded as it finishes; a failed step is recorded with its error and ends the run as
 * failed. Repeated after a crash, a step's effects are not repeated (its idempotency key).
 */
export async function advanceAutomationRun(
  deps: AutomationRunDeps,
  ws: string,
  runId: string,
): Promise<AutomationRunRecord | null> {
  const { storage } = deps;
  const now = deps.now?.() ?? new Date();
  const run = await storage.automations.getRun(ws, runId);
  if (run === null || run.status !== "open") return run;
  if (run.resumeAt !== null && run.resumeAt > now.toISOString()) return run;
  const version = (await storage.automations.versions(ws, run.automationId)).find(
    (v) => v.version === run.version,
  );
  if (version === undefined) throw new Error(`automation ${run.automationId} has no version ${run.version}`);
  const def = version.definition as AutomationDefinition;
  const steps: AutomationStepRecord[] = [...run.steps];
  let next = run.nextStep;
  let status: AutomationRunRecord["status"] = "open";
  let resumeAt: string | null = null;
  while (next < def.actions.length) {
    const action = def.actions[next] as AutomationAction;
    const at = now.toISOString();
    if (action.type === "wait") {
      steps.push({ step: next, type: "wait", status: "done", at });
      next++;
      resumeAt = new Date(now.getTime() + action.days * DAY_MS).toISOString();
      break;
    }
    try {
      const ref = await runAction(deps, ws, run, run.automationId, action, next, now);
      steps.push({ step: next, type: action.type, status: "done", at, ref });
      next++;
    } catch (e) {
      steps.push({ step: next, type: action.type, status: "failed", at, error: (e as Error).message });
      status = "failed";
      break;
    }
  }
  if (status === "open" && next >= def.actions.length) status = "done";
  const updated = { ...run, status, nextStep: next, resumeAt, steps, updatedAt: now.toISOString() };
  await storage.automations.updateRun(ws, run.id, updated);
  if (status === "open" && resumeAt !== null)
    await enqueueRunStep(deps.queue, ws, updated, new Date(resumeAt));
  return updated;
}
