import type { DeliveryAttemptTable, DeliveryTable } from "../schema";
import { atomically, monotonicId, nowIso, type RepositoryContext } from "./repository-context";

/** How a delivery reaches its target. */
export type DeliveryChannel = "email" | "webhook" | "chat";
/** A delivery's state: its latest attempt's outcome. `deferred` = held back by quiet hours. */
export type DeliveryStatus = "sent" | "failed" | "deferred";

/** A delivery with its latest state; `id` is the stable delivery id every attempt shares. */
export interface DeliveryRecord {
  id: string;
  channel: DeliveryChannel;
  /** Email address, webhook endpoint id or chat channel id. */
  target: string;
  accountId: string | null;
  status: DeliveryStatus;
  /** Attempts that tried to send (deferrals are not counted). */
  attempts: number;
  responseCode: number | null;
  lastError: string | null;
  createdAt: string;
  updatedAt: string;
}

/** One attempt of a delivery, kept forever. */
export interface DeliveryAttempt {
  id: string;
  deliveryId: string;
  attempt: number;
  status: DeliveryStatus;
  responseCode: number | null;
  error: string | null;
  durationMs: number;
  attemptedAt: string;
}

/** What a delivery handler records after each attempt. */
export interface DeliveryAttemptInput {
  deliveryId: string;
  channel: DeliveryChannel;
  target: string;
  accountId: string | null;
  /** The queue's attempt number (1 = first). */
  attempt: number;
  status: DeliveryStatus;
  responseCode: number | null;
  error: string | null;
  durationMs: number;
  attemptedAt?: string;
}

/** Filters of the delivery log, newest first. `before` pages on (updatedAt, id) of the last row seen. */
export interface DeliveryFilter {
  status?: DeliveryStatus;
  channel?: DeliveryChannel;
  accountId?: string;
  limit: number;
  before?: { updatedAt: string; id: string };
}

/** The delivery log: every attempt, and each delivery's latest state, so no failure goes unseen. */
export interface DeliveryLogRepository {
  /** Stores the attempt and updates its delivery, atomically; returns the delivery as now stored. */
  recordAttempt(workspaceId: string, input: DeliveryAttemptInput): Promise<DeliveryRecord>;
  /** Deliveries matching `filter`, most recently updated first. */
  list(workspaceId: string, filter: DeliveryFilter): Promise<DeliveryRecord[]>;
  get(workspaceId: string, id: string): Promise<DeliveryRecord | null>;
  /** A delivery's attempts, oldest first. */
  attempts(workspaceId: string, deliveryId: string): Promise<DeliveryAttempt[]>;
  /** Delivery counts by status. */
  countByStatus(workspaceId: string): Promise<Record<DeliveryStatus, number>>;
}

const deliveryFromRow = (r: DeliveryTable): DeliveryRecord => ({
  id: r.id,
  channel: r.channel as DeliveryChannel,
  target: r.target,
  accountId: r.account_id,
  status: r.status as DeliveryStatus,
  attempts: Number(r.attempts),
  responseCode: r.response_code === null ? null : Number(r.response_code),
  lastError: r.last_error,
  createdAt: r.created_at,
  updatedAt: r.updated_at,
});

const attemptFromRow = (r: DeliveryAttemptTable): DeliveryAttempt => ({
  id: r.id,
  deliveryId: r.delivery_id,
  attempt: Number(r.attempt),
  status: r.status as DeliveryStatus,
  responseCode: r.response_code === null ? null : Number(r.response_code),
  error: r.error,
  durationMs: Number(r.duration_ms),
  attemptedAt: r.attempted_at,
});

export function createDeliveryLogRepository(ctx: RepositoryContext): DeliveryLogRepository {
  return {
    recordAttempt(workspaceId, input) {
      const at = input.attemptedAt ?? nowIso();
      const tried = input.status === "deferred" ? 0 : 1;
      return atomically(ctx, async (db) => {
        await db
          .insertInto("delivery_attempts")
          .values({
            workspace_id: workspaceId,
            id: monotonicId(),
            delivery_id: input.deliveryId,
            attempt: input.attempt,
            status: input.status,
            response_code: input.responseCode,
            error: input.error,
            duration_ms: Math.round(input.durationMs),
            attempted_at: at,
          })
          .execute();
        const row = await db
          .insertInto("deliveries")
          .values({
            workspace_id: workspaceId,
            id: input.deliveryId,
            channel: input.channel,
            target: input.target,
            account_id: input.accountId,
            status: input.status,
            attempts: tried,
            response_code: input.responseCode,
            last_error: input.error,
            created_at: at,
            updated_at: at,
          })
          .onConflict((oc) =>
            oc.columns(["workspace_id", "id"]).doUpdateSet((eb) => ({
              status: input.status,
              attempts: eb("deliveries.attempts", "+", tried),
              response_code: input.responseCode,
              // A deferral keeps the last real error in view; a success clears it.
              last_error: input.status === "deferred" ? eb.ref("deliveries.last_error") : eb.val(input.error),
              updated_at: at,
            })),
          )
          .returningAll()
          .executeTakeFirstOrThrow();
        return deliveryFromRow(row);
      });
    },

    async list(workspaceId, filter) {
      let q = ctx.db.selectFrom("deliveries").selectAll().where("workspace_id", "=", workspaceId);
      if (filter.status !== undefined) q = q.where("status", "=", filter.status);
      if (filter.channel !== undefined) q = q.where("channel", "=", filter.channel);
      if (filter.accountId !== undefined) q = q.where("account_id", "=", filter.accountId);
      const before = filter.before;
      if (before !== undefined) {
        q = q.where((eb) =>
          eb.or([
            eb("updated_at", "<", before.updatedAt),
            eb.and([eb("updated_at", "=", before.updatedAt), eb("id", "<", before.id)]),
          ]),
        );
      }
      const rows = await q.orderBy("updated_at", "desc").orderBy("id", "desc").limit(filter.limit).execute();
      return rows.map(deliveryFromRow);
    },

    async get(workspaceId, id) {
      const row = await ctx.db
        .selectFrom("deliveries")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .executeTakeFirst();
      return row === undefined ? null : deliveryFromRow(row);
    },

    async attempts(workspaceId, deliveryId) {
      const rows = await ctx.db
        .selectFrom("delivery_attempts")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("delivery_id", "=", deliveryId)
        .orderBy("attempted_at")
        .orderBy("id")
        .execute();
      return rows.map(attemptFromRow);
    },

    async countByStatus(workspaceId) {
      const rows = await ctx.db
        .selectFrom("deliveries")
        .select((eb) => ["status", eb.fn.countAll().as("n")])
        .where("workspace_id", "=", workspaceId)
        .groupBy("status")
        .execute();
      const out: Record<DeliveryStatus, number> = { sent: 0, failed: 0, deferred: 0 };
      for (const r of rows) out[r.status as DeliveryStatus] = Number(r.n);
      return out;
    },
  };
}
