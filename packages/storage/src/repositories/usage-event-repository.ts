import type { Kysely } from "kysely";
import type { Database, UsageEventTable } from "../schema";
import { atomically, chunksFor, type RepositoryContext, transactionWriter } from "./repository-context";

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

export interface UsageEventRepository {
  /**
   * Inserts the events whose messageId the workspace has not seen; returns exactly those (a messageId
   * repeated inside `rows` is returned once, first occurrence), so callers roll up only new events.
   */
  insertNew(workspaceId: string, rows: readonly UsageEvent[]): Promise<UsageEvent[]>;
  list(workspaceId: string): Promise<UsageEvent[]>;
  count(workspaceId: string): Promise<number>;
}

/** Tables of migration 0004 (the event log), typed here because only this repository uses them. */
type EventLogTables = {
  usage_event_ids: { workspace_id: string; message_id: string };
  usage_event_blocks: { block_id: number | undefined; workspace_id: string; events: number; payload: string };
};

/** An event inside a block: a positional tuple, so a block stores no field names per event. */
type EventTuple = [
  messageId: string,
  type: TrackingCallType,
  event: string | null,
  userKey: string,
  userId: string | null,
  anonymousId: string | null,
  timestamp: string,
  day: string,
  properties: Record<string, unknown>,
  receivedAt: string,
];

const INSERT_ID =
  "INSERT INTO usage_event_ids (workspace_id, message_id) VALUES (?, ?) ON CONFLICT DO NOTHING";
const INSERT_BLOCK = "INSERT INTO usage_event_blocks (workspace_id, events, payload) VALUES (?, ?, ?)";

const toTuple = (e: UsageEvent): EventTuple => [
  e.messageId,
  e.type,
  e.event,
  e.userKey,
  e.userId,
  e.anonymousId,
  e.timestamp,
  e.day,
  e.properties,
  e.receivedAt,
];

const fromTuple = (t: EventTuple): UsageEvent => ({
  messageId: t[0],
  type: t[1],
  event: t[2],
  userKey: t[3],
  userId: t[4],
  anonymousId: t[5],
  timestamp: t[6],
  day: t[7],
  properties: t[8],
  receivedAt: t[9],
});

/**
 * Calls are stored as an append-only log: their messageIds in `usage_event_ids` (the dedup key) and
 * the calls themselves as one JSON block per write in `usage_event_blocks`. Rows of the original
 * `usage_events` table (written before migration 0004) are still read.
 */
export function createUsageEventRepository(ctx: RepositoryContext): UsageEventRepository {
  const { adapter } = ctx;
  const log = (db: Kysely<Database>) => db.withTables<EventLogTables>();
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
      // Inserting ids in key order touches each index page once per write instead of at random.
      const ordered = [...first.keys()].sort();
      const writer = transactionWriter(ctx);
      if (writer !== null) {
        // Fast path (SQLite in a transaction): one prepared insert per id; `changes` says if it was new.
        const insert = writer.statement(INSERT_ID);
        const isNew = new Set<string>();
        for (const id of ordered) if (insert([workspaceId, id]) > 0) isNew.add(id);
        const fresh = [...first.values()].filter((e) => isNew.has(e.messageId));
        if (fresh.length > 0)
          writer.statement(INSERT_BLOCK)([workspaceId, fresh.length, JSON.stringify(fresh.map(toTuple))]);
        return fresh;
      }
      return atomically(ctx, async (db) => {
        const isNew = new Set<string>();
        for (const chunk of chunksFor(adapter, ordered, 2)) {
          // ON CONFLICT DO NOTHING + RETURNING yields only the ids really inserted (both dialects).
          const inserted = await log(db)
            .insertInto("usage_event_ids")
            .values(chunk.map((id) => ({ workspace_id: workspaceId, message_id: id })))
            .onConflict((oc) => oc.columns(["workspace_id", "message_id"]).doNothing())
            .returning("message_id")
            .execute();
          for (const r of inserted) isNew.add(r.message_id);
        }
        const fresh = [...first.values()].filter((e) => isNew.has(e.messageId));
        if (fresh.length > 0)
          await log(db)
            .insertInto("usage_event_blocks")
            .values({
              block_id: undefined,
              workspace_id: workspaceId,
              events: fresh.length,
              payload: JSON.stringify(fresh.map(toTuple)),
            })
            .execute();
        return fresh;
      });
    },

    async list(workspaceId) {
      const legacy = await ctx.db
        .selectFrom("usage_events")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .execute();
      const blocks = await log(ctx.db)
        .selectFrom("usage_event_blocks")
        .select("payload")
        .where("workspace_id", "=", workspaceId)
        .orderBy("block_id")
        .execute();
      const out = legacy.map(fromRow);
      for (const b of blocks) for (const t of JSON.parse(b.payload) as EventTuple[]) out.push(fromTuple(t));
      return out.sort((a, b) =>
        a.timestamp < b.timestamp
          ? -1
          : a.timestamp > b.timestamp
            ? 1
            : a.messageId < b.messageId
              ? -1
              : a.messageId > b.messageId
                ? 1
                : 0,
      );
    },

    async count(workspaceId) {
      const row = await log(ctx.db)
        .selectFrom("usage_event_ids")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("workspace_id", "=", workspaceId)
        .executeTakeFirstOrThrow();
      return adapter.parseNumber(row.n);
    },
  };
}
