import { randomUUID } from "node:crypto";
import { LIFECYCLE_STAGES, type LifecycleStage, type Principal, TenureError } from "@tenure/core";
import type { SavedView, StageHistoryEntry, Storage, TimelineEntryRecord } from "@tenure/storage";
import { z } from "zod";
import { guardAccountEdit } from "../access/book-scope";
import { refreshAccountRows } from "./account-list-store";
import { requireAccount } from "./account-overview";

/** Entry types people add by hand; the others are written by the system. */
export const MANUAL_TIMELINE_TYPES = ["note", "call", "meeting", "email", "observation"] as const;

/** Structured subjective fields of an observation (all optional, unknown keys kept). */
export const observationDataSchema = z
  .object({
    cooperationWillingness: z.number().int().min(1).max(5).optional(),
    executiveSponsorEngaged: z.boolean().optional(),
    sentiment: z.enum(["positive", "neutral", "negative"]).optional(),
  })
  .catchall(z.union([z.string().max(2000), z.number(), z.boolean(), z.null()]));

export interface NewTimelineEntry {
  type: (typeof MANUAL_TIMELINE_TYPES)[number];
  title: string;
  body?: string | null;
  occurredAt?: string;
  author?: string | null;
  data?: Record<string, unknown>;
}

/** An account's timeline, newest first. */
export async function accountTimeline(
  storage: Storage,
  ws: string,
  id: string,
  q: { types?: string[]; limit?: number; before?: string },
): Promise<TimelineEntryRecord[]> {
  await requireAccount(storage, ws, id);
  return storage.timeline.list(ws, id, { types: q.types, limit: q.limit ?? 100, before: q.before });
}

/** Adds a note, call, meeting, email or observation (observation data validated, 400 naming the field). */
export async function addTimelineEntry(
  storage: Storage,
  ws: string,
  id: string,
  input: NewTimelineEntry,
  now: string,
  /** The member writing it (X-Tenure-Member), when one is named. */
  actorId: string | null = null,
  /** Who asks (book scoping); omitted = the operator's own process. */
  principal?: Principal,
): Promise<TimelineEntryRecord> {
  await requireAccount(storage, ws, id);
  await guardAccountEdit(storage, ws, principal, id);
  let data = input.data ?? {};
  if (input.type === "observation") {
    const parsed = observationDataSchema.safeParse(data);
    if (!parsed.success) {
      const i = parsed.error.issues[0];
      throw new TenureError("validation", `data.${i?.path.join(".")}: ${i?.message}`, {
        issues: parsed.error.issues.map((x) => ({ field: `data.${x.path.join(".")}`, message: x.message })),
      });
    }
    data = parsed.data;
  }
  const entry: TimelineEntryRecord = {
    id: randomUUID(),
    accountId: id,
    type: input.type,
    occurredAt: input.occurredAt ?? now,
    author: input.author ?? null,
    actorId,
    title: input.title,
    body: input.body ?? null,
    data,
  };
  await storage.timeline.insertMany(ws, [entry]);
  return entry;
}

/** Sets the lifecycle stage by hand (source "manual"; rules leave it alone for 90 days). */
export async function setAccountStage(
  storage: Storage,
  ws: string,
  id: string,
  input: {
    stage: LifecycleStage;
    note?: string | null;
    by: string | null;
    at: string;
    principal?: Principal;
  },
): Promise<{ stage: LifecycleStage; history: Omit<StageHistoryEntry, "accountId">[] }> {
  if (!LIFECYCLE_STAGES.includes(input.stage))
    throw new TenureError("validation", `stage must be one of ${LIFECYCLE_STAGES.join(", ")}`);
  const account = await requireAccount(storage, ws, id);
  await guardAccountEdit(storage, ws, input.principal, id);
  await storage.timeline.changeStages(ws, [
    {
      accountId: id,
      from: account.lifecycleStage,
      to: input.stage,
      source: "manual",
      note: input.note ?? null,
      at: input.at,
      author: input.by,
    },
  ]);
  await refreshAccountRows(storage, ws, [id]);
  const history = await storage.stageHistory.list(ws, id);
  return { stage: input.stage, history: history.map(({ accountId: _, ...rest }) => rest) };
}

/** Saved list views, by name. */
export function listViews(storage: Storage, ws: string): Promise<SavedView[]> {
  return storage.savedViews.list(ws);
}

/** Saves a list view. */
export function createView(
  storage: Storage,
  ws: string,
  input: { name: string; filters: Record<string, string>; sort?: string | null; order?: string | null },
): Promise<SavedView> {
  return storage.savedViews.create(ws, {
    id: randomUUID(),
    name: input.name,
    filters: input.filters,
    sort: input.sort ?? null,
    order: input.order ?? null,
  });
}

/** Deletes a saved view; 404 when there is none. */
export async function deleteView(storage: Storage, ws: string, id: string): Promise<void> {
  if (!(await storage.savedViews.delete(ws, id)))
    throw new TenureError("not_found", `No saved view with id "${id}"`);
}
