import { randomUUID } from "node:crypto";
import type { TimelineEntryTable } from "../schema";
import type { AccountRange } from "./account-range";
import { atomically, chunksFor, monotonicId, nowIso, type RepositoryContext } from "./repository-context";
import { insertStageHistory, type StageSource } from "./stage-history-repository";

/** Everything that can appear on an account's timeline. */
export const TIMELINE_ENTRY_TYPES = [
  "note",
  "call",
  "meeting",
  "email",
  "ticket",
  "nps",
  "csat",
  "observation",
  "stage_change",
  "score_change",
  "signal",
  "task",
  "playbook",
] as const;
export type TimelineEntryType = (typeof TIMELINE_ENTRY_TYPES)[number];

/** One timeline entry; `data` holds the type's structured fields (e.g. an observation's ratings). */
export interface TimelineEntryRecord {
  id: string;
  accountId: string;
  type: TimelineEntryType;
  occurredAt: string;
  author: string | null;
  /** The member who made the entry (a note, an observation, a task change), when a member did. */
  actorId?: string | null;
  title: string;
  body: string | null;
  data: Record<string, unknown>;
}

/** A lifecycle-stage move: updates the account, appends stage history and a timeline entry. */
export interface StageChange {
  accountId: string;
  from: string | null;
  to: string;
  source: StageSource;
  note: string | null;
  /** ISO timestamp of the change. */
  at: string;
  author: string | null;
}

export interface TimelineQuery {
  types?: readonly string[];
  limit?: number;
  /** Only entries that occurred strictly before this timestamp. */
  before?: string;
}

export interface TimelineRepository {
  insertMany(workspaceId: string, rows: readonly TimelineEntryRecord[]): Promise<void>;
  /** One account's entries, newest first. */
  list(workspaceId: string, accountId: string, query?: TimelineQuery): Promise<TimelineEntryRecord[]>;
  /** Entries of every account with one of `types`, occurred on or after `since` (all when null). */
  listByTypes(
    workspaceId: string,
    types: readonly string[],
    since: string | null,
    range?: AccountRange,
  ): Promise<TimelineEntryRecord[]>;
  /** Latest occurredAt per account among entries of `types`. */
  lastByAccount(
    workspaceId: string,
    types: readonly string[],
    range?: AccountRange,
  ): Promise<Map<string, string>>;
  /** True when the workspace has any entry of `type`. */
  hasType(workspaceId: string, type: string): Promise<boolean>;
  /** Applies stage moves atomically (account, stage history with source and note, timeline). */
  changeStages(workspaceId: string, changes: readonly StageChange[]): Promise<void>;
}

const COLUMNS = 10;

export function createTimelineRepository(ctx: RepositoryContext): TimelineRepository {
  const { adapter } = ctx;
  const toRow = (workspaceId: string, e: TimelineEntryRecord): TimelineEntryTable => ({
    workspace_id: workspaceId,
    id: e.id,
    account_id: e.accountId,
    type: e.type,
    occurred_at: e.occurredAt,
    author: e.author,
    actor_id: e.actorId ?? null,
    title: e.title,
    body: e.body,
    data: adapter.encodeJson(e.data),
  });
  const fromRow = (r: TimelineEntryTable): TimelineEntryRecord => ({
    id: r.id,
    accountId: r.account_id,
    type: r.type as TimelineEntryType,
    occurredAt: r.occurred_at,
    author: r.author,
    actorId: r.actor_id ?? null,
    title: r.title,
    body: r.body,
    data: adapter.decodeJson(r.data) as Record<string, unknown>,
  });
  const insert = async (
    db: RepositoryContext["db"],
    workspaceId: string,
    rows: readonly TimelineEntryRecord[],
  ) => {
    for (const chunk of chunksFor(adapter, rows, COLUMNS)) {
      await db
        .insertInto("timeline_entries")
        .values(chunk.map((e) => toRow(workspaceId, e)))
        .execute();
    }
  };

  return {
    async insertMany(workspaceId, rows) {
      if (rows.length === 0) return;
      await atomically(ctx, (db) => insert(db, workspaceId, rows));
    },

    async list(workspaceId, accountId, query = {}) {
      const rows = await ctx.db
        .selectFrom("timeline_entries")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("account_id", "=", accountId)
        .$if(query.types !== undefined && query.types.length > 0, (q) =>
          q.where("type", "in", query.types ?? []),
        )
        .$if(query.before !== undefined, (q) => q.where("occurred_at", "<", query.before ?? ""))
        .orderBy("occurred_at", "desc")
        .orderBy("id", "desc")
        .$if(query.limit !== undefined, (q) => q.limit(query.limit ?? 0))
        .execute();
      return rows.map(fromRow);
    },

    async listByTypes(workspaceId, types, since, range) {
      if (types.length === 0) return [];
      const rows = await ctx.db
        .selectFrom("timeline_entries")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("type", "in", types)
        .$if(range !== undefined, (q) =>
          q.where("account_id", ">=", range?.from ?? "").where("account_id", "<=", range?.to ?? ""),
        )
        .$if(since !== null, (q) => q.where("occurred_at", ">=", since ?? ""))
        .orderBy("occurred_at")
        .execute();
      return rows.map(fromRow);
    },

    async lastByAccount(workspaceId, types, range) {
      const out = new Map<string, string>();
      if (types.length === 0) return out;
      const rows = await ctx.db
        .selectFrom("timeline_entries")
        .select(["account_id", (eb) => eb.fn.max("occurred_at").as("last")])
        .where("workspace_id", "=", workspaceId)
        .where("type", "in", types)
        .$if(range !== undefined, (q) =>
          q.where("account_id", ">=", range?.from ?? "").where("account_id", "<=", range?.to ?? ""),
        )
        .groupBy("account_id")
        .execute();
      for (const r of rows) out.set(r.account_id, r.last);
      return out;
    },

    async hasType(workspaceId, type) {
      const row = await ctx.db
        .selectFrom("timeline_entries")
        .select("id")
        .where("workspace_id", "=", workspaceId)
        .where("type", "=", type)
        .limit(1)
        .executeTakeFirst();
      return row !== undefined;
    },

    async changeStages(workspaceId, changes) {
      if (changes.length === 0) return;
      await atomically(ctx, async (db) => {
        const now = nowIso();
        for (const c of changes) {
          await db
            .updateTable("accounts")
            .set({ lifecycle_stage: c.to, updated_at: now })
            .where("workspace_id", "=", workspaceId)
            .where("id", "=", c.accountId)
            .execute();
        }
        await insertStageHistory(
          { ...ctx, db },
          changes.map((c) => ({
            workspace_id: workspaceId,
            // Time-ordered, so stage changes made in the same millisecond list in order.
            id: monotonicId(),
            account_id: c.accountId,
            stage: c.to,
            entered_at: c.at,
            source: c.source,
            note: c.note,
          })),
        );
        await insert(
          db,
          workspaceId,
          changes.map((c) => ({
            id: randomUUID(),
            accountId: c.accountId,
            type: "stage_change" as const,
            occurredAt: c.at,
            author: c.author,
            title: `Stage ${c.from ?? "none"} → ${c.to}`,
            body: c.note,
            data: { from: c.from, to: c.to, source: c.source },
          })),
        );
      });
    },
  };
}
