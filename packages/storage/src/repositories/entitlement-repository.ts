import { ALL_USAGE_EVENTS, type Entitlement } from "@tenure/core";
import { sql } from "kysely";
import type { EntitlementTable } from "../schema";
import {
  atomically,
  chunksFor,
  diffByKey,
  excluded,
  loadByIds,
  type RepositoryContext,
  type UpsertOptions,
  type UpsertResult,
} from "./repository-context";
import { dayNumber, WeekDecoder, weekOf } from "./usage-rollup-cells";
import { accountWeekRows, eventNames, sumByDayAndEvent } from "./usage-rollup-repository";

const UPDATABLE = [
  "account_id",
  "subscription_id",
  "metric",
  "quantity",
  "period_start",
  "period_end",
] as const;
const COLUMNS = 8;

/** An entitlement with the units of its metric the account's users consumed in the term through a day. */
export interface EntitlementConsumption extends Entitlement {
  consumed: number;
}

export interface EntitlementRepository {
  upsertMany(
    workspaceId: string,
    rows: readonly Entitlement[],
    options?: UpsertOptions,
  ): Promise<UpsertResult>;
  list(workspaceId: string): Promise<Entitlement[]>;
  /** The account's entitlements, latest term first. */
  listByAccount(workspaceId: string, accountId: string): Promise<Entitlement[]>;
  /**
   * Every entitlement whose term contains `asOf` (period_start ≤ asOf < period_end), with the units
   * consumed from period_start through asOf, in one query (users count for their current account).
   */
  currentConsumption(workspaceId: string, asOf: string): Promise<EntitlementConsumption[]>;
  /** Units per day and event of the account's users, days in [from, to] (read by user, not by day). */
  accountDailyUsage(
    workspaceId: string,
    accountId: string,
    from: string,
    to: string,
  ): Promise<{ day: string; event: string; count: number }[]>;
}

export function createEntitlementRepository(ctx: RepositoryContext): EntitlementRepository {
  const { adapter } = ctx;
  const toRow = (workspaceId: string, e: Entitlement): EntitlementTable => ({
    workspace_id: workspaceId,
    id: e.id,
    account_id: e.accountId,
    subscription_id: e.subscriptionId,
    metric: e.metric,
    quantity: e.quantity,
    period_start: e.periodStart,
    period_end: e.periodEnd,
  });
  const fromRow = (r: EntitlementTable): Entitlement => ({
    id: r.id,
    accountId: r.account_id,
    subscriptionId: r.subscription_id,
    metric: r.metric,
    quantity: adapter.parseNumber(r.quantity),
    periodStart: r.period_start,
    periodEnd: r.period_end,
  });

  return {
    async upsertMany(workspaceId, rows, options = {}) {
      const incoming = rows.map((e) => fromRow(toRow(workspaceId, e)));
      return atomically(ctx, async (db) => {
        const existingRows = await loadByIds(
          { ...ctx, db },
          incoming.map((e) => e.id),
          (ids) =>
            db
              .selectFrom("entitlements")
              .selectAll()
              .where("workspace_id", "=", workspaceId)
              .$if(ids !== null, (q) => q.where("id", "in", ids ?? []))
              .execute(),
        );
        const diff = diffByKey(incoming, new Map(existingRows.map((r) => [r.id, fromRow(r)])), (e) => e.id);
        const toWrite = [...diff.inserted, ...diff.updated.map((u) => u.next)];
        let done = 0;
        for (const chunk of chunksFor(adapter, toWrite, COLUMNS)) {
          await db
            .insertInto("entitlements")
            .values(chunk.map((e) => toRow(workspaceId, e)))
            .onConflict((oc) => oc.columns(["workspace_id", "id"]).doUpdateSet(excluded(UPDATABLE)))
            .execute();
          done += chunk.length;
          options.onProgress?.(done, toWrite.length);
        }
        return { inserted: diff.inserted.length, updated: diff.updated.length, unchanged: diff.unchanged };
      });
    },

    async list(workspaceId) {
      const rows = await ctx.db
        .selectFrom("entitlements")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .orderBy("id")
        .execute();
      return rows.map(fromRow);
    },

    async listByAccount(workspaceId, accountId) {
      const rows = await ctx.db
        .selectFrom("entitlements")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("account_id", "=", accountId)
        .orderBy("period_end", "desc")
        .orderBy("id")
        .execute();
      return rows.map(fromRow);
    },

    async currentConsumption(workspaceId, asOf) {
      const current = await ctx.db
        .selectFrom("entitlements")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("period_start", "<=", asOf)
        .where("period_end", ">", asOf)
        .orderBy("id")
        .execute();
      const out = current.map((r) => ({ ...fromRow(r), consumed: 0 }));
      if (out.length === 0) return out;
      let minStart = asOf;
      for (const e of out) if (e.periodStart < minStart) minStart = e.periodStart;
      // One pass: the entitled accounts' users -> their weeks of the terms, by primary key.
      const weeks = sql.raw(`usage_rollup_weeks r ${adapter.primaryKeyHint("usage_rollup_weeks")}`);
      const [names, rows] = await Promise.all([
        eventNames(ctx.db, workspaceId),
        sql<{ account_id: string; week: string; cells: string }>`
          SELECT u.account_id, r.week, r.cells
          FROM usage_users u CROSS JOIN ${weeks}
          WHERE u.workspace_id = ${workspaceId}
            AND u.account_id IN (SELECT e.account_id FROM entitlements e WHERE e.workspace_id = ${workspaceId}
              AND e.period_start <= ${asOf} AND e.period_end > ${asOf})
            AND r.workspace_id = u.workspace_id AND r.user_key = u.user_key
            AND r.week >= ${weekOf(minStart)} AND r.week <= ${asOf}`.execute(ctx.db),
      ]);
      const decoder = new WeekDecoder(names);
      const asOfDay = dayNumber(asOf);
      // Each allowance with its term in day numbers, by account.
      const byAccount = new Map<
        string,
        Array<{ e: EntitlementConsumption; from: number; to: number; event: number }>
      >();
      for (const e of out) {
        const id = names.indexOf(e.metric);
        const term = {
          e,
          from: dayNumber(e.periodStart),
          // Days before period_end, up to asOf.
          to: Math.min(asOfDay, dayNumber(e.periodEnd) - 1),
          // -1: every event; -2: an event never seen (nothing consumed).
          event: e.metric === ALL_USAGE_EVENTS ? -1 : id >= 0 ? id : -2,
        };
        const list = byAccount.get(e.accountId);
        if (list === undefined) byAccount.set(e.accountId, [term]);
        else list.push(term);
      }
      for (const r of rows.rows)
        for (const t of byAccount.get(r.account_id) ?? []) {
          if (t.event === -2) continue;
          decoder.each(r.week, r.cells, t.from, t.to, (_d, ev, count) => {
            if (t.event === -1 || ev === t.event) t.e.consumed += count;
          });
        }
      return out;
    },

    async accountDailyUsage(workspaceId, accountId, from, to) {
      return sumByDayAndEvent(await accountWeekRows(ctx, workspaceId, accountId, from, to));
    },
  };
}
