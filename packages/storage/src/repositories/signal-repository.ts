import type { SignalTable } from "../schema";
import type { AccountRange } from "./account-range";
import { atomically, chunksFor, type RepositoryContext, transactionWriter } from "./repository-context";

/** A stored signal (see @tenure/core signals for the meaning of each field). */
export interface SignalRecord {
  id: string;
  accountId: string;
  type: string;
  kind: string;
  severity: string;
  status: string;
  dedupKey: string;
  title: string;
  summary: string;
  evidence: Record<string, number | string | null>;
  openedAt: string;
  acknowledgedAt: string | null;
  resolvedAt: string | null;
  statusChangedBy: string | null;
  /** The member who made the last status change through the app (see `setActor`). */
  actorId?: string | null;
}

/** A status change of one signal. */
export type SignalStatusUpdate = Pick<
  SignalRecord,
  "id" | "status" | "acknowledgedAt" | "resolvedAt" | "statusChangedBy"
>;

export interface SignalFilter {
  statuses?: readonly string[];
  accountId?: string;
  kind?: string;
  /** Only signals of the accounts this member owns (a CSM's book). */
  ownerId?: string;
}

export interface SignalRepository {
  insertMany(workspaceId: string, rows: readonly SignalRecord[]): Promise<void>;
  updateStatuses(workspaceId: string, updates: readonly SignalStatusUpdate[]): Promise<void>;
  /** Signals matching the filter, newest first. */
  list(workspaceId: string, filter?: SignalFilter): Promise<SignalRecord[]>;
  /** Open and acknowledged signals, plus those resolved on or after `resolvedSince` (for reconciliation). */
  /**
   * Live signals and those resolved on or after `resolvedSince`, with only what reconciliation needs
   * (no title, summary or evidence: a recompute reads tens of thousands of them).
   */
  listForReconcile(
    workspaceId: string,
    resolvedSince: string,
    range?: AccountRange,
  ): Promise<ReconcileSignal[]>;
  get(workspaceId: string, id: string): Promise<SignalRecord | null>;
  /** Records the member who made a signal's latest status change (null: not a member). */
  setActor(workspaceId: string, id: string, actorId: string | null): Promise<void>;
}

/** What a recompute needs of a stored signal to deduplicate, reopen or resolve it. */
export type ReconcileSignal = Pick<
  SignalRecord,
  "id" | "accountId" | "dedupKey" | "status" | "openedAt" | "acknowledgedAt" | "resolvedAt"
>;

const COLUMNS = 15;

export function createSignalRepository(ctx: RepositoryContext): SignalRepository {
  const { adapter } = ctx;
  const toRow = (workspaceId: string, s: SignalRecord): SignalTable => ({
    workspace_id: workspaceId,
    id: s.id,
    account_id: s.accountId,
    type: s.type,
    kind: s.kind,
    severity: s.severity,
    status: s.status,
    dedup_key: s.dedupKey,
    title: s.title,
    summary: s.summary,
    evidence: adapter.encodeJson(s.evidence),
    opened_at: s.openedAt,
    acknowledged_at: s.acknowledgedAt,
    resolved_at: s.resolvedAt,
    status_changed_by: s.statusChangedBy,
  });
  const fromRow = (r: SignalTable): SignalRecord => ({
    id: r.id,
    accountId: r.account_id,
    type: r.type,
    kind: r.kind,
    severity: r.severity,
    status: r.status,
    dedupKey: r.dedup_key,
    title: r.title,
    summary: r.summary,
    evidence: adapter.decodeJson(r.evidence) as SignalRecord["evidence"],
    openedAt: r.opened_at,
    acknowledgedAt: r.acknowledged_at,
    resolvedAt: r.resolved_at,
    statusChangedBy: r.status_changed_by,
    actorId: r.actor_id ?? null,
  });

  return {
    async setActor(workspaceId, id, actorId) {
      await ctx.db
        .updateTable("signals")
        .set({ actor_id: actorId })
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .execute();
    },

    async insertMany(workspaceId, rows) {
      if (rows.length === 0) return;
      await atomically(ctx, async (db) => {
        for (const chunk of chunksFor(adapter, rows, COLUMNS)) {
          await db
            .insertInto("signals")
            .values(chunk.map((s) => toRow(workspaceId, s)))
            .execute();
        }
      });
    },

    async updateStatuses(workspaceId, updates) {
      if (updates.length === 0) return;
      const rows = updates.map((u) => ({
        id: u.id,
        status: u.status,
        acknowledged_at: u.acknowledgedAt,
        resolved_at: u.resolvedAt,
        status_changed_by: u.statusChangedBy,
      }));
      await atomically(ctx, (db) =>
        adapter.rowWrites(db, transactionWriter({ ...ctx, db })).updateSignalStatuses(workspaceId, rows),
      );
    },

    async list(workspaceId, filter = {}) {
      const rows = await ctx.db
        .selectFrom("signals")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .$if(filter.statuses !== undefined && filter.statuses.length > 0, (q) =>
          q.where("status", "in", filter.statuses ?? []),
        )
        .$if(filter.accountId !== undefined, (q) => q.where("account_id", "=", filter.accountId ?? ""))
        .$if(filter.kind !== undefined, (q) => q.where("kind", "=", filter.kind ?? ""))
        .$if(filter.ownerId !== undefined, (q) =>
          q.where("account_id", "in", (eb) =>
            eb
              .selectFrom("accounts")
              .select("accounts.id")
              .where("accounts.workspace_id", "=", workspaceId)
              .where("accounts.owner_id", "=", filter.ownerId ?? ""),
          ),
        )
        .orderBy("opened_at", "desc")
        .orderBy("id")
        .execute();
      return rows.map(fromRow);
    },

    async listForReconcile(workspaceId, resolvedSince, range) {
      const rows = await ctx.db
        .selectFrom("signals")
        .select(["id", "account_id", "dedup_key", "status", "opened_at", "acknowledged_at", "resolved_at"])
        .where("workspace_id", "=", workspaceId)
        .$if(range !== undefined, (q) =>
          q.where("account_id", ">=", range?.from ?? "").where("account_id", "<=", range?.to ?? ""),
        )
        .where((eb) => eb.or([eb("status", "!=", "resolved"), eb("resolved_at", ">=", resolvedSince)]))
        .execute();
      return rows.map((r) => ({
        id: r.id,
        accountId: r.account_id,
        dedupKey: r.dedup_key,
        status: r.status,
        openedAt: r.opened_at,
        acknowledgedAt: r.acknowledged_at,
        resolvedAt: r.resolved_at,
      }));
    },

    async get(workspaceId, id) {
      const row = await ctx.db
        .selectFrom("signals")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .executeTakeFirst();
      return row === undefined ? null : fromRow(row);
    },
  };
}
