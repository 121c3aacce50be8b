import type { BillingInterval, Subscription } from "@tenure/core";
import type { DbBoolean, SubscriptionTable } from "../schema";
import type { AccountRange } from "./account-range";
import {
  atomically,
  byId,
  chunksFor,
  diffByKey,
  excluded,
  loadByIds,
  monotonicId,
  nowIso,
  type RepositoryContext,
  type UpsertOptions,
  type UpsertResult,
} from "./repository-context";

const UPDATABLE = [
  "account_id",
  "plan",
  "start_date",
  "end_date",
  "amount",
  "currency",
  "interval",
  "quantity",
  "discount_pct",
  "trial",
  "updated_at",
] as const;
const COLUMNS = 13;

/** The stored value of a subscription before one change. */
export interface SubscriptionChange {
  subscriptionId: string;
  changedAt: string;
  previous: Subscription;
}

export interface SubscriptionRepository {
  /** Inserts or updates subscriptions; every changed row's old value goes to subscription_history. */
  upsertMany(
    workspaceId: string,
    rows: readonly Subscription[],
    options?: UpsertOptions,
  ): Promise<UpsertResult>;
  list(workspaceId: string): Promise<Subscription[]>;
  /** Every subscription in no particular order: the lean read path for revenue reports over large stores. */
  listUnordered(workspaceId: string, range?: AccountRange): Promise<Subscription[]>;
  /** One account's subscriptions by id: the account page's read (indexed, not the whole workspace). */
  listByAccount(workspaceId: string, accountId: string): Promise<Subscription[]>;
  /** The distinct accounts that the stored subscriptions among `ids` belong to. */
  accountIdsOf(workspaceId: string, ids: readonly string[]): Promise<string[]>;
  /** Old values of a subscription, oldest change first. */
  history(workspaceId: string, subscriptionId: string): Promise<SubscriptionChange[]>;
}

export function createSubscriptionRepository(ctx: RepositoryContext): SubscriptionRepository {
  const { adapter } = ctx;
  const toRow = (workspaceId: string, s: Subscription, now: string): SubscriptionTable => ({
    workspace_id: workspaceId,
    id: s.id,
    account_id: s.accountId,
    plan: s.plan,
    start_date: s.startDate,
    end_date: s.endDate,
    amount: s.amount,
    currency: s.currency,
    interval: s.interval,
    quantity: s.quantity,
    discount_pct: s.discountPct,
    trial: adapter.encodeBoolean(s.trial),
    updated_at: now,
  });
  const fromRow = (r: SubscriptionTable): Subscription => ({
    id: r.id,
    accountId: r.account_id,
    plan: r.plan,
    startDate: r.start_date,
    endDate: r.end_date,
    amount: adapter.parseNumber(r.amount),
    currency: r.currency,
    interval: r.interval as BillingInterval,
    quantity: adapter.parseNumber(r.quantity),
    discountPct: adapter.parseNumber(r.discount_pct),
    trial: adapter.decodeBoolean(r.trial),
  });

  return {
    async accountIdsOf(workspaceId, ids) {
      const rows = await loadByIds(ctx, ids, (chunk) =>
        ctx.db
          .selectFrom("subscriptions")
          .select(["id", "account_id"])
          .where("workspace_id", "=", workspaceId)
          .$if(chunk !== null, (q) => q.where("id", "in", chunk ?? []))
          .execute(),
      );
      const wanted = new Set(ids);
      return [...new Set(rows.filter((r) => wanted.has(r.id)).map((r) => r.account_id))];
    },

    async upsertMany(workspaceId, rows, options = {}) {
      const now = nowIso();
      const incoming = rows.map((s) => fromRow(toRow(workspaceId, s, now)));
      return atomically(ctx, async (db) => {
        const existingRows = await loadByIds(
          { ...ctx, db },
          incoming.map((s) => s.id),
          (ids) =>
            db
              .selectFrom("subscriptions")
              .selectAll()
              .where("workspace_id", "=", workspaceId)
              .$if(ids !== null, (q) => q.where("id", "in", ids ?? []))
              .execute(),
        );
        const existing = new Map(existingRows.map((r) => [r.id, fromRow(r)]));
        const diff = diffByKey(incoming, existing, (s) => s.id);
        const toWrite = [...diff.inserted, ...diff.updated.map((u) => u.next)];
        let done = 0;
        for (const chunk of chunksFor(adapter, toWrite, COLUMNS)) {
          await db
            .insertInto("subscriptions")
            .values(chunk.map((s) => toRow(workspaceId, s, now)))
            .onConflict((oc) => oc.columns(["workspace_id", "id"]).doUpdateSet(excluded(UPDATABLE)))
            .execute();
          done += chunk.length;
          options.onProgress?.(done, toWrite.length);
        }
        for (const chunk of chunksFor(adapter, diff.updated, 5)) {
          await db
            .insertInto("subscription_history")
            .values(
              chunk.map((u) => ({
                workspace_id: workspaceId,
                // Time-ordered: history lists changes made in the same millisecond in the order made.
                id: monotonicId(),
                subscription_id: u.previous.id,
                changed_at: now,
                previous: adapter.encodeJson(u.previous),
              })),
            )
            .execute();
        }
        return { inserted: diff.inserted.length, updated: diff.updated.length, unchanged: diff.unchanged };
      });
    },

    async list(workspaceId) {
      const rows = await ctx.db
        .selectFrom("subscriptions")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .orderBy("id")
        .execute();
      return rows.map(fromRow);
    },

    async listUnordered(workspaceId, range) {
      const query = ctx.db
        .selectFrom("subscriptions")
        .select([
          "id",
          "account_id",
          "plan",
          "start_date",
          "end_date",
          "amount",
          "currency",
          "interval",
          "quantity",
          "discount_pct",
          "trial",
        ])
        .where("workspace_id", "=", workspaceId)
        .$if(range !== undefined, (q) =>
          q.where("account_id", ">=", range?.from ?? "").where("account_id", "<=", range?.to ?? ""),
        )
        .compile();
      const rows = await ctx.readArrays(query.sql, query.parameters);
      const out: Subscription[] = new Array(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i]!;
        out[i] = {
          id: r[0] as string,
          accountId: r[1] as string,
          plan: r[2] as string,
          startDate: r[3] as string,
          endDate: r[4] as string | null,
          amount: adapter.parseNumber(r[5]),
          currency: r[6] as string,
          interval: r[7] as BillingInterval,
          quantity: adapter.parseNumber(r[8]),
          discountPct: adapter.parseNumber(r[9]),
          trial: adapter.decodeBoolean(r[10] as DbBoolean),
        };
      }
      return out;
    },

    async listByAccount(workspaceId, accountId) {
      const rows = await ctx.db
        .selectFrom("subscriptions")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("account_id", "=", accountId)
        .execute();
      // Sorted here: with ORDER BY id SQLite walks the whole workspace on the primary key instead of
      // seeking the account index (ids compare by code unit, as both databases' C/binary collations).
      return rows.map(fromRow).sort(byId);
    },

    async history(workspaceId, subscriptionId) {
      const rows = await ctx.db
        .selectFrom("subscription_history")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("subscription_id", "=", subscriptionId)
        .orderBy("changed_at")
        .orderBy("id")
        .execute();
      return rows.map((r) => ({
        subscriptionId: r.subscription_id,
        changedAt: r.changed_at,
        previous: adapter.decodeJson(r.previous) as Subscription,
      }));
    },
  };
}
