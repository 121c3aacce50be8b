import type { Contact, ContactRole } from "@tenure/core";
import type { ContactTable } from "../schema";
import type { AccountRange } from "./account-range";
import {
  atomically,
  byId,
  chunksFor,
  diffByKey,
  excluded,
  loadByIds,
  type RepositoryContext,
  type UpsertOptions,
  type UpsertResult,
} from "./repository-context";

const UPDATABLE = ["account_id", "name", "email", "role", "title", "last_touch_at"] as const;
const COLUMNS = 8;

export interface ContactRepository {
  upsertMany(workspaceId: string, rows: readonly Contact[], options?: UpsertOptions): Promise<UpsertResult>;
  /** Contacts by id; only those of accounts in `range` when given. */
  list(workspaceId: string, range?: AccountRange): Promise<Contact[]>;
  listByAccount(workspaceId: string, accountId: string): Promise<Contact[]>;
}

export function createContactRepository(ctx: RepositoryContext): ContactRepository {
  const { adapter } = ctx;
  const toRow = (workspaceId: string, c: Contact): ContactTable => ({
    workspace_id: workspaceId,
    id: c.id,
    account_id: c.accountId,
    name: c.name,
    email: c.email,
    role: c.role,
    title: c.title,
    last_touch_at: c.lastTouchAt,
  });
  const fromRow = (r: ContactTable): Contact => ({
    id: r.id,
    accountId: r.account_id,
    name: r.name,
    email: r.email,
    role: r.role as ContactRole | null,
    title: r.title,
    lastTouchAt: r.last_touch_at,
  });

  return {
    async upsertMany(workspaceId, rows, options = {}) {
      const incoming = rows.map((c) => fromRow(toRow(workspaceId, c)));
      return atomically(ctx, async (db) => {
        const existingRows = await loadByIds(
          { ...ctx, db },
          incoming.map((c) => c.id),
          (ids) =>
            db
              .selectFrom("contacts")
              .selectAll()
              .where("workspace_id", "=", workspaceId)
              .$if(ids !== null, (q) => q.where("id", "in", ids ?? []))
              .execute(),
        );
        const diff = diffByKey(incoming, new Map(existingRows.map((r) => [r.id, fromRow(r)])), (c) => c.id);
        const toWrite = [...diff.inserted, ...diff.updated.map((u) => u.next)];
        let done = 0;
        for (const chunk of chunksFor(adapter, toWrite, COLUMNS)) {
          await db
            .insertInto("contacts")
            .values(chunk.map((c) => toRow(workspaceId, c)))
            .onConflict((oc) => oc.columns(["workspace_id", "id"]).doUpdateSet(excluded(UPDATABLE)))
            .execute();
          done += chunk.length;
          options.onProgress?.(done, toWrite.length);
        }
        return { inserted: diff.inserted.length, updated: diff.updated.length, unchanged: diff.unchanged };
      });
    },

    async list(workspaceId, range) {
      const rows = await ctx.db
        .selectFrom("contacts")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .$if(range !== undefined, (q) =>
          q.where("account_id", ">=", range?.from ?? "").where("account_id", "<=", range?.to ?? ""),
        )
        .orderBy("id")
        .execute();
      return rows.map(fromRow);
    },

    async listByAccount(workspaceId, accountId) {
      const rows = await ctx.db
        .selectFrom("contacts")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("account_id", "=", accountId)
        .execute();
      // Sorted here: with ORDER BY id SQLite walks the whole workspace on the primary key instead of
      // seeking the account index (ids compare by code unit, as both databases' C/binary collations).
      return rows.map(fromRow).sort(byId);
    },
  };
}
