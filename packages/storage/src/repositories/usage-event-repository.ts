import type { UsageEventTable } from "../schema";
import { atomically, chunksFor, type RepositoryContext } from "./repository-context";

/** Segment call types we accept; only track, page and screen are usage. */
export type TrackingCallType = "track" | "page" | "screen" | "identify" | "group" | "alias";

/** One stored tracking call, keyed by (workspace, messageId). */
export interface UsageEvent {
  messageId: string;
  type: TrackingCallType;
  /** The usage event name (track: `event`, page: "page", screen: "screen"); null for other calls. */
  event: string | null;
  /** `userId`, or `anon:<anonymousId>` when there is no userId. */
  userKey: string;
  userId: string | null;
  anonymousId: string | null;
  /** ISO timestamp of the call. */
  timestamp: string;
  /** UTC day of `timestamp` (YYYY-MM-DD): the rollup bucket. */
  day: string;
  properties: Record<string, unknown>;
  receivedAt: string;
}

const COLUMNS = 11;

export interface UsageEventRepository {
  /**
   * Inserts the events whose messageId the workspace has not seen; returns exactly those (a messageId
   * repeated inside `rows` is returned once, first occurrence), so callers roll up only new events.
   */
  insertNew(workspaceId: string, rows: readonly UsageEvent[]): Promise<UsageEvent[]>;
  list(workspaceId: string): Promise<UsageEvent[]>;
  count(workspaceId: string): Promise<number>;
}

export function createUsageEventRepository(ctx: RepositoryContext): UsageEventRepository {
  const { adapter } = ctx;
  const toRow = (workspaceId: string, e: UsageEvent): UsageEventTable => ({
    workspace_id: workspaceId,
    message_id: e.messageId,
    type: e.type,
    event: e.event,
    user_key: e.userKey,
    user_id: e.userId,
    anonymous_id: e.anonymousId,
    timestamp: e.timestamp,
    day: e.day,
    properties: adapter.encodeJson(e.properties),
    received_at: e.receivedAt,
  });
  const fromRow = (r: UsageEventTable): UsageEvent => ({
    messageId: r.message_id,
    type: r.type as TrackingCallType,
    event: r.event,
    userKey: r.user_key,
    userId: r.user_id,
    anonymousId: r.anonymous_id,
    timestamp: r.timestamp,
    day: r.day,
    properties: adapter.decodeJson(r.properties) as Record<string, unknown>,
    receivedAt: r.received_at,
  });

  return {
    async insertNew(workspaceId, rows) {
      const first = new Map<string, UsageEvent>();
      for (const e of rows) if (!first.has(e.messageId)) first.set(e.messageId, e);
      if (first.size === 0) return [];
      return atomically(ctx, async (db) => {
        const fresh: UsageEvent[] = [];
        for (const chunk of chunksFor(adapter, [...first.values()], COLUMNS)) {
          // ON CONFLICT DO NOTHING + RETURNING yields only the rows really inserted (both dialects).
          const inserted = await db
            .insertInto("usage_events")
            .values(chunk.map((e) => toRow(workspaceId, e)))
            .onConflict((oc) => oc.columns(["workspace_id", "message_id"]).doNothing())
            .returning("message_id")
            .execute();
          for (const r of inserted) {
            const e = first.get(r.message_id);
            if (e !== undefined) fresh.push(e);
          }
        }
        return fresh;
      });
    },

    async list(workspaceId) {
      const rows = await ctx.db
        .selectFrom("usage_events")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .orderBy("timestamp")
        .orderBy("message_id")
        .execute();
      return rows.map(fromRow);
    },

    async count(workspaceId) {
      const row = await ctx.db
        .selectFrom("usage_events")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("workspace_id", "=", workspaceId)
        .executeTakeFirstOrThrow();
      return adapter.parseNumber(row.n);
    },
  };
}
