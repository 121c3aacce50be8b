import type { AutomationDefinition, AutomationEvents } from "@tenure/core";
import type { StorageTransaction, UsageEvent } from "@tenure/storage";
import { newJob } from "../jobs/job-queue";

/** The job kind of a pass over the tracked events of one ingest commit (event_tracked triggers). */
export const AUTOMATION_TRACKED_JOB = "automation.tracked";

/** A tracked event as the pass's job carries it: only the properties some trigger tests. */
export type TrackedEvent = AutomationEvents["tracked"][number];

/**
 * Called inside an ingest commit with its new calls (a repeated messageId is not among them, so a
 * client's retry fires nothing twice): when an enabled automation has an `event_tracked` trigger on
 * one of their event names, enqueues one automation pass for the whole batch, in the same
 * transaction (the pass exists if and only if the events do). Events of users not mapped to an
 * account are left out (an automation acts on accounts). Returns the job id, or null when nothing
 * listens.
 */
export async function enqueueTrackedEventPass(
  tx: StorageTransaction,
  ws: string,
  fresh: readonly UsageEvent[],
  now: Date,
): Promise<string | null> {
  if (fresh.length === 0) return null;
  // Event name → the properties its triggers test.
  const wanted = new Map<string, Set<string>>();
  for (const r of await tx.automations.list(ws)) {
    if (!r.enabled) continue;
    const trigger = (r.definition as AutomationDefinition).trigger;
    if (trigger.type !== "event_tracked") continue;
    const props = wanted.get(trigger.event) ?? new Set<string>();
    for (const c of trigger.where) props.add(c.property);
    wanted.set(trigger.event, props);
  }
  if (wanted.size === 0) return null;
  const hits = fresh.filter((e) => e.event !== null && wanted.has(e.event));
  if (hits.length === 0) return null;
  const users = await tx.usageUsers.getMany(ws, [...new Set(hits.map((e) => e.userKey))]);
  const events: TrackedEvent[] = [];
  for (const e of hits) {
    const accountId = users.get(e.userKey)?.accountId;
    if (accountId == null) continue;
    const properties: Record<string, unknown> = {};
    for (const p of wanted.get(e.event as string) ?? [])
      if (Object.hasOwn(e.properties, p)) properties[p] = e.properties[p];
    events.push({ id: e.messageId, accountId, event: e.event as string, properties });
  }
  if (events.length === 0) return null;
  const { id } = await tx.jobs.enqueue(
    newJob(
      ws,
      {
        kind: AUTOMATION_TRACKED_JOB,
        payload: { events },
        // The batch's first new call names the pass (its messageId is stored once per workspace).
        idempotencyKey: `tracked:${events[0]?.id}`,
      },
      now,
    ),
    now,
  );
  return id;
}
