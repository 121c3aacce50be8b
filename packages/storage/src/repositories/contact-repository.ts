import type { Contact, ContactRole } from "@tenure/core";
import type { ContactTable } from "../schema";
import type { AccountRange } from "./account-range";
import {
  byId,
  excluded,
  loadByIds,
  type RepositoryContext,
  readRows,
  type UpsertOptions,
  type UpsertResult,
  upsertByDiff,
} from "./repository-context";

const UPDATABLE = ["account_id", "name", "email", "role", "title", "last_touch_at", "left_at"] as const;
const COLUMNS = 9;

export interface ContactRepository {
  upsertMany(workspaceId: string, rows: readonly Contact[], options?: UpsertOptions): Promise<UpsertResult>;
  /** Contacts by id; only those of accounts in `range` when given. */
  list(workspaceId: string, range?: AccountRange): Promise<Contact[]>;
  listByAccount(workspaceId: string, accountId: string): Promise<Contact[]>;
  get(workspaceId: string, id: string): Promise<Contact | null>;
  /** Records the day a contact left the customer company (null: still there); false when unknown. */
  setLeftAt(workspaceId: string, id: string, leftAt: string | null): Promise<boolean>;
}

export function createContactRepository(ctx: RepositoryContext): ContactRepository {
  const toRow = (workspaceId: string, c: Contact): ContactTable => ({
    workspace_id: workspaceId,
    id: c.id,
    account_id: c.accountId,
    name: c.name,
    email: c.email,
    role: c.role,
    title: c.title,
    last_touch_at: c.lastTouchAt,
    left_at: c.leftAt,
  });
  const fromRow = (r: ContactTable): Contact => ({
    id: r.id,
    accountId: r.account_id,
    name: r.name,
    email: r.email,
    role: r.role as ContactRole | null,
    title: r.title,
    lastTouchAt: r.last_touch_at,
    leftAt: r.left_at,
  });

  return {
    async upsertMany(workspaceId, rows, options = {}) {
      const incoming = rows.map((c) => fromRow(toRow(workspaceId, c)));
      return upsertByDiff(
        ctx,
        {
          incoming,
          keyOf: (c) => c.id,
          loadExisting: (db) =>
            loadByIds(
              { ...ctx, db },
              incoming.map((c) => c.id),
              (ids) =>
                db
                  .selectFrom("contacts")
                  .selectAll()
                  .where("workspace_id", "=", workspaceId)
                  .$if(ids !== null, (q) => q.where("id", "in", ids ?? []))
                  .execute(),
            ).then((found) => found.map(fromRow)),
          columnsPerRow: COLUMNS,
          writeChunk: (db, chunk) =>
            db
              .insertInto("contacts")
              .values(chunk.map((c) => toRow(workspaceId, c)))
              .onConflict((oc) => oc.columns(["workspace_id", "id"]).doUpdateSet(excluded(UPDATABLE)))
              .execute(),
        },
        options,
      );
    },

    async list(workspaceId, range) {
      // Read as arrays: the health recompute lists every contact, and row objects cost more than the read.
      const rows = await readRows(
        ctx,
        ctx.db
          .selectFrom("contacts")
          .select(["id", "account_id", "name", "email", "role", "title", "last_touch_at", "left_at"])
          .where("workspace_id", "=", workspaceId)
          .$if(range !== undefined, (q) =>
            q
              .where("account_id", ">=", range?.from ?? "")
              .where("account_id", "<=", range?.to ?? "")
              // along the account index: only each account's few contacts are sorted by id
              .orderBy("account_id"),
          )
          .orderBy("id")
          .compile(),
      );
      const out: Contact[] = new Array(rows.length);
      for (let i = 0; i < rows.length; i++) {
        const r = rows[i] as unknown[];
        out[i] = {
          id: r[0] as string,
          accountId: r[1] as string,
          name: r[2] as string,
          email: r[3] as string | null,
          role: r[4] as ContactRole | null,
          title: r[5] as string | null,
          lastTouchAt: r[6] as string | null,
          leftAt: r[7] as string | null,
        };
      }
      return out;
    },

    async get(workspaceId, id) {
      const row = await ctx.db
        .selectFrom("contacts")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .executeTakeFirst();
      return row === undefined ? null : fromRow(row);
    },

    async setLeftAt(workspaceId, id, leftAt) {
      const result = await ctx.db
        .updateTable("contacts")
        .set({ left_at: leftAt })
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
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
