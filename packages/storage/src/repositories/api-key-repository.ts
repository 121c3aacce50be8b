import { createHash, randomBytes, randomUUID } from "node:crypto";
import { atomically, nowIso, type RepositoryContext } from "./repository-context";

/**
 * What a key may do: `tracking` sends events to the /v1 tracking API only, `read` reads /api,
 * `admin` does everything.
 */
export type ApiKeyScope = "tracking" | "read" | "admin";
export const API_KEY_SCOPES: readonly ApiKeyScope[] = ["tracking", "read", "admin"];

/** The key kinds before scopes (still accepted): write = tracking. */
export type ApiKeyKind = "admin" | "write" | "read";
export const API_KEY_KINDS: readonly ApiKeyKind[] = ["admin", "write", "read"];

/** The scope of a scope or legacy kind name, or null when it is neither. */
export function apiKeyScopeOf(name: string): ApiKeyScope | null {
  if (name === "write") return "tracking";
  return (API_KEY_SCOPES as readonly string[]).includes(name) ? (name as ApiKeyScope) : null;
}

const kindOf = (scope: ApiKeyScope): ApiKeyKind => (scope === "tracking" ? "write" : scope);

/** What we show about a key: never the key or its hash. */
export interface ApiKeyInfo {
  id: string;
  name: string;
  prefix: string;
  scope: ApiKeyScope;
  /** The legacy kind of the scope (write for tracking), for older readers. */
  kind: ApiKeyKind;
  /** The team whose book the key is limited to; null = the whole workspace. */
  teamId: string | null;
  createdAt: string;
  lastUsedAt: string | null;
  /** When the key stops working (the old key of a rotation), or null. */
  expiresAt: string | null;
  revokedAt: string | null;
  /** The key that replaced it by a rotation. */
  replacedBy: string | null;
}

export interface VerifiedApiKey {
  workspaceId: string;
  id: string;
  name: string;
  scope: ApiKeyScope;
  kind: ApiKeyKind;
  teamId: string | null;
}

export interface NewApiKey {
  name: string;
  /** The scope; `kind` (legacy name) is accepted when it is absent. */
  scope?: ApiKeyScope;
  kind?: ApiKeyKind;
  teamId?: string | null;
}

export interface ApiKeyRepository {
  /** Creates a key `tk_<43 chars>`; the key itself is returned once and only its sha256 is stored. */
  create(workspaceId: string, input: NewApiKey): Promise<{ id: string; key: string; info: ApiKeyInfo }>;
  /**
   * Returns the key's workspace, scope and team (and records its use), or null if unknown, revoked
   * or expired. `now` is for tests.
   */
  verify(key: string, now?: Date): Promise<VerifiedApiKey | null>;
  list(workspaceId: string): Promise<ApiKeyInfo[]>;
  get(workspaceId: string, id: string): Promise<ApiKeyInfo | null>;
  /** Revokes a key; returns false when the workspace has no such active key. */
  revoke(workspaceId: string, id: string): Promise<boolean>;
  /**
   * Replaces an active key by a new one with the same name, scope and team; the old one keeps
   * working for `overlapMs` (0 = refused at once). Null when the workspace has no such active key.
   */
  rotate(
    workspaceId: string,
    id: string,
    overlapMs: number,
    now?: Date,
  ): Promise<{ id: string; key: string; info: ApiKeyInfo; previous: ApiKeyInfo } | null>;
}

/** How fresh `last_used_at` is kept: it says "in use lately", not every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");

type Row = {
  id: string;
  name: string;
  prefix: string;
  kind: string;
  team_id: string | null;
  created_at: string;
  last_used_at: string | null;
  expires_at: string | null;
  revoked_at: string | null;
  replaced_by: string | null;
};

const info = (r: Row): ApiKeyInfo => {
  const scope = apiKeyScopeOf(r.kind) ?? "read";
  return {
    id: r.id,
    name: r.name,
    prefix: r.prefix,
    scope,
    kind: kindOf(scope),
    teamId: r.team_id,
    createdAt: r.created_at,
    lastUsedAt: r.last_used_at,
    expiresAt: r.expires_at,
    revokedAt: r.revoked_at,
    replacedBy: r.replaced_by,
  };
};

export function createApiKeyRepository(ctx: RepositoryContext): ApiKeyRepository {
  const insert = async (workspaceId: string, input: NewApiKey) => {
    const scope = input.scope ?? apiKeyScopeOf(input.kind ?? "admin") ?? "admin";
    const id = randomUUID();
    const key = `tk_${randomBytes(32).toString("base64url")}`;
    const row: Row = {
      id,
      name: input.name,
      prefix: key.slice(0, 10),
      kind: scope,
      team_id: input.teamId ?? null,
      created_at: nowIso(),
      last_used_at: null,
      expires_at: null,
      revoked_at: null,
      replaced_by: null,
    };
    await ctx.db
      .insertInto("api_keys")
      .values({ ...row, workspace_id: workspaceId, key_hash: hashKey(key) })
      .execute();
    return { id, key, info: info(row) };
  };
  const get = async (workspaceId: string, id: string) => {
    const r = await ctx.db
      .selectFrom("api_keys")
      .selectAll()
      .where("workspace_id", "=", workspaceId)
      .where("id", "=", id)
      .executeTakeFirst();
    return r === undefined ? null : info(r);
  };
  const live = (k: ApiKeyInfo, now: string) =>
    k.revokedAt === null && (k.expiresAt === null || k.expiresAt > now);

  return {
    create: insert,
    get,

    async verify(key, at = new Date()) {
      if (!key.startsWith("tk_")) return null;
      const row = await ctx.db
        .selectFrom("api_keys")
        .select(["workspace_id", "id", "name", "kind", "team_id", "last_used_at", "expires_at"])
        .where("key_hash", "=", hashKey(key))
        .where("revoked_at", "is", null)
        .executeTakeFirst();
      const now = at.toISOString();
      if (row === undefined || (row.expires_at !== null && row.expires_at <= now)) return null;
      // At most one write a minute per key: a write on every request would make each page read
      // wait for the database's write lock (held by the tracking writer while it ingests).
      if (
        row.last_used_at === null ||
        Date.parse(now) - Date.parse(row.last_used_at) >= LAST_USED_RESOLUTION_MS
      )
        await ctx.db
          .updateTable("api_keys")
          .set({ last_used_at: now })
          .where("workspace_id", "=", row.workspace_id)
          .where("id", "=", row.id)
          .execute();
      const scope = apiKeyScopeOf(row.kind) ?? "read";
      return {
        workspaceId: row.workspace_id,
        id: row.id,
        name: row.name,
        scope,
        kind: kindOf(scope),
        teamId: row.team_id,
      };
    },

    async list(workspaceId) {
      const rows = await ctx.db
        .selectFrom("api_keys")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return rows.map(info);
    },

    async revoke(workspaceId, id) {
      const result = await ctx.db
        .updateTable("api_keys")
        .set({ revoked_at: nowIso() })
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .where("revoked_at", "is", null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },

    rotate(workspaceId, id, overlapMs, at = new Date()) {
      return atomically(ctx, async (db) => {
        const inTx = createApiKeyRepository({ ...ctx, db });
        const old = await inTx.get(workspaceId, id);
        if (old === null || !live(old, at.toISOString())) return null;
        const created = await inTx.create(workspaceId, {
          name: old.name,
          scope: old.scope,
          teamId: old.teamId,
        });
        const expiresAt = new Date(at.getTime() + Math.max(0, overlapMs)).toISOString();
        // An earlier expiry (a key already rotated once) is kept: overlaps never extend a key's life.
        const keep = old.expiresAt !== null && old.expiresAt < expiresAt ? old.expiresAt : expiresAt;
        await db
          .updateTable("api_keys")
          .set({ expires_at: keep, replaced_by: created.id })
          .where("workspace_id", "=", workspaceId)
          .where("id", "=", id)
          .execute();
        return { ...created, previous: { ...old, expiresAt: keep, replacedBy: created.id } };
      });
    },
  };
}
