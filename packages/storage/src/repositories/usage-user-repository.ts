import type { Kysely } from "kysely";
import type { Database, UsageUserTable } from "../schema";
import {
  atomically,
  chunksFor,
  diffByKey,
  loadByIds,
  nowIso,
  type RepositoryContext,
  transactionWriter,
  type UpsertOptions,
  type UpsertResult,
} from "./repository-context";

/** A tracked user: identity, the account it belongs to (from `group`) and traits (from `identify`). */
export interface UsageUser {
  /** `userId`, or `anon:<anonymousId>`. */
  userKey: string;
  userId: string | null;
  anonymousId: string | null;
  /** The account (external id) of the user's last `group` call; null until one arrives. */
  accountId: string | null;
  name: string | null;
  email: string | null;
  role: string | null;
  department: string | null;
  /** Every trait received, merged (later identify calls win per trait). */
  traits: Record<string, unknown>;
}

/** A user seen only through usage events: no account, no traits yet. */
export function bareUsageUser(userKey: string, userId: string | null, anonymousId: string | null): UsageUser {
  return {
    userKey,
    userId,
    anonymousId,
    accountId: null,
    name: null,
    email: null,
    role: null,
    department: null,
    traits: {},
  };
}

export interface UsageUserRepository {
  /** Inserts or replaces users by key (callers merge traits first, see `getMany`). */
  upsertMany(workspaceId: string, rows: readonly UsageUser[], options?: UpsertOptions): Promise<UpsertResult>;
  /** Inserts bare users for keys not stored yet; existing users are left alone. */
  ensureMany(workspaceId: string, rows: readonly UsageUser[]): Promise<void>;
  /** Stored users among `keys`, by key. */
  getMany(workspaceId: string, keys: readonly string[]): Promise<Map<string, UsageUser>>;
  list(workspaceId: string): Promise<UsageUser[]>;
  listByAccount(workspaceId: string, accountId: string): Promise<UsageUser[]>;
  /** The distinct accounts the users among `keys` belong to now (users without an account are skipped). */
  accountsOf(workspaceId: string, keys: readonly string[]): Promise<string[]>;
}

export function createUsageUserRepository(ctx: RepositoryContext): UsageUserRepository {
  const { adapter } = ctx;
  const toRow = (workspaceId: string, u: UsageUser, now: string): UsageUserTable => ({
    workspace_id: workspaceId,
    user_key: u.userKey,
    user_id: u.userId,
    anonymous_id: u.anonymousId,
    account_id: u.accountId,
    name: u.name,
    email: u.email,
    role: u.role,
    department: u.department,
    traits: adapter.encodeJson(u.traits),
    updated_at: now,
  });
  const fromRow = (r: UsageUserTable): UsageUser => ({
    userKey: r.user_key,
    userId: r.user_id,
    anonymousId: r.anonymous_id,
    accountId: r.account_id,
    name: r.name,
    email: r.email,
    role: r.role,
    department: r.department,
    traits: adapter.decodeJson(r.traits) as Record<string, unknown>,
  });
  const selectByKeys = (db: Kysely<Database>, workspaceId: string, keys: string[] | null) =>
    db
      .selectFrom("usage_users")
      .selectAll()
      .where("workspace_id", "=", workspaceId)
      .$if(keys !== null, (q) => q.where("user_key", "in", keys ?? []))
      .execute();

  return {
    async upsertMany(workspaceId, rows, options = {}) {
      const now = nowIso();
      const incoming = rows.map((u) => fromRow(toRow(workspaceId, u, now)));
      return atomically(ctx, async (db) => {
        const existingRows = await loadByIds(
          { ...ctx, db },
          incoming.map((u) => u.userKey),
          (keys) => selectByKeys(db, workspaceId, keys),
        );
        const existing = new Map(existingRows.map((r) => [r.user_key, fromRow(r)]));
        const diff = diffByKey(incoming, existing, (u) => u.userKey);
        const toWrite = [...diff.inserted, ...diff.updated.map((u) => u.next)];
        await adapter.rowWrites(db, transactionWriter({ ...ctx, db })).upsertUsageUsers(
          toWrite.map((u) => toRow(workspaceId, u, now)),
          options.onProgress,
        );
        return { inserted: diff.inserted.length, updated: diff.updated.length, unchanged: diff.unchanged };
      });
    },

    async ensureMany(workspaceId, rows) {
      const unique = new Map(rows.map((u) => [u.userKey, u]));
      if (unique.size === 0) return;
      const now = nowIso();
      const table = [...unique.values()].map((u) => toRow(workspaceId, u, now));
      await atomically(ctx, (db) =>
        adapter.rowWrites(db, transactionWriter({ ...ctx, db })).ensureUsageUsers(table),
      );
    },

    async getMany(workspaceId, keys) {
      const rows = await loadByIds(ctx, keys, (chunk) => selectByKeys(ctx.db, workspaceId, chunk));
      const wanted = new Set(keys);
      return new Map(rows.filter((r) => wanted.has(r.user_key)).map((r) => [r.user_key, fromRow(r)]));
    },

    async list(workspaceId) {
      const rows = await ctx.db
        .selectFrom("usage_users")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .orderBy("user_key")
        .execute();
      return rows.map(fromRow);
    },

    async accountsOf(workspaceId, keys) {
      const found = new Set<string>();
      for (const chunk of chunksFor(adapter, [...new Set(keys)], 1)) {
        if (chunk.length === 0) continue;
        const rows = await ctx.db
          .selectFrom("usage_users")
          .select("account_id")
          .distinct()
          .where("workspace_id", "=", workspaceId)
          .where("user_key", "in", chunk)
          .where("account_id", "is not", null)
          .execute();
        for (const r of rows) if (r.account_id !== null) found.add(r.account_id);
      }
      return [...found].sort();
    },

    async listByAccount(workspaceId, accountId) {
      const rows = await ctx.db
        .selectFrom("usage_users")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("account_id", "=", accountId)
        .orderBy("user_key")
        .execute();
      return rows.map(fromRow);
    },
  };
}
