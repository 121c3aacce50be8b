import type { QbrTable } from "../schema";
import { nowIso, type RepositoryContext } from "./repository-context";

/** One account's QBR record for one quarter: its revenue target and when the review was held. */
export interface QbrRecord {
  accountId: string;
  /** "YYYY-Qn". */
  quarter: string;
  /** The MRR the account should reach by the quarter's end (reporting currency); null: none set. */
  targetMrr: number | null;
  /** YYYY-MM-DD the QBR was held; null: not yet. */
  heldOn: string | null;
  note: string | null;
  updatedBy: string | null;
  updatedAt: string;
}

export interface QbrRepository {
  /** Every record of one quarter. */
  listQuarter(workspaceId: string, quarter: string): Promise<QbrRecord[]>;
  /** Each account's latest held QBR date (accounts that never held one are absent). */
  lastHeld(workspaceId: string): Promise<Map<string, string>>;
  /** One account's records, newest quarter first. */
  listByAccount(workspaceId: string, accountId: string): Promise<QbrRecord[]>;
  /** Inserts or replaces one account-quarter record. */
  upsert(workspaceId: string, record: Omit<QbrRecord, "updatedAt">): Promise<QbrRecord>;
  upsertMany(workspaceId: string, records: readonly Omit<QbrRecord, "updatedAt">[]): Promise<void>;
}

export function createQbrRepository(ctx: RepositoryContext): QbrRepository {
  const from = (r: QbrTable): QbrRecord => ({
    accountId: r.account_id,
    quarter: r.quarter,
    targetMrr: r.target_mrr === null ? null : Number(r.target_mrr),
    heldOn: r.held_on,
    note: r.note,
    updatedBy: r.updated_by,
    updatedAt: r.updated_at,
  });
  const row = (workspaceId: string, r: Omit<QbrRecord, "updatedAt">, at: string): QbrTable => ({
    workspace_id: workspaceId,
    account_id: r.accountId,
    quarter: r.quarter,
    target_mrr: r.targetMrr,
    held_on: r.heldOn,
    note: r.note,
    updated_by: r.updatedBy,
    updated_at: at,
  });
  const write = async (workspaceId: string, records: readonly Omit<QbrRecord, "updatedAt">[], at: string) => {
    for (let i = 0; i < records.length; i += 500) {
      await ctx.db
        .insertInto("qbrs")
        .values(records.slice(i, i + 500).map((r) => row(workspaceId, r, at)))
        .onConflict((oc) =>
          oc.columns(["workspace_id", "account_id", "quarter"]).doUpdateSet((eb) => ({
            target_mrr: eb.ref("excluded.target_mrr"),
            held_on: eb.ref("excluded.held_on"),
            note: eb.ref("excluded.note"),
            updated_by: eb.ref("excluded.updated_by"),
            updated_at: eb.ref("excluded.updated_at"),
          })),
        )
        .execute();
    }
  };
  return {
    async listQuarter(workspaceId, quarter) {
      const rows = await ctx.db
        .selectFrom("qbrs")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("quarter", "=", quarter)
        .orderBy("account_id")
        .execute();
      return rows.map(from);
    },
    async lastHeld(workspaceId) {
      const rows = await ctx.db
        .selectFrom("qbrs")
        .select(["account_id", (eb) => eb.fn.max("held_on").as("held_on")])
        .where("workspace_id", "=", workspaceId)
        .where("held_on", "is not", null)
        .groupBy("account_id")
        .execute();
      return new Map(rows.flatMap((r) => (r.held_on === null ? [] : [[r.account_id, String(r.held_on)]])));
    },
    async listByAccount(workspaceId, accountId) {
      const rows = await ctx.db
        .selectFrom("qbrs")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("account_id", "=", accountId)
        .orderBy("quarter", "desc")
        .execute();
      return rows.map(from);
    },
    async upsert(workspaceId, record) {
      const at = nowIso();
      await write(workspaceId, [record], at);
      return { ...record, updatedAt: at };
    },
    async upsertMany(workspaceId, records) {
      await write(workspaceId, records, nowIso());
    },
  };
}
