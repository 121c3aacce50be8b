import { createHash, randomBytes, randomUUID } from "node:crypto";
import { nowIso, type RepositoryContext } from "./repository-context";

export type ApiKeyKind = "admin" | "write" | "read";
export const API_KEY_KINDS: readonly ApiKeyKind[] = ["admin", "write", "read"];

/** What we show about a key: never the key or its hash. */
export interface ApiKeyInfo {
  id: string;
  name: string;
  prefix: string;
  kind: ApiKeyKind;
  createdAt: string;
  lastUsedAt: string | null;
  revokedAt: string | null;
}

export interface VerifiedApiKey {
  workspaceId: string;
  kind: ApiKeyKind;
  id: string;
}

export interface ApiKeyRepository {
  /** Creates a key `tk_<43 chars>`; the key itself is returned once and only its sha256 is stored. */
  create(
    workspaceId: string,
    input: { name: string; kind: ApiKeyKind },
  ): Promise<{ id: string; key: string }>;
  /** Returns the key's workspace and kind (and records its use), or null if unknown or revoked. */
  verify(key: string): Promise<VerifiedApiKey | null>;
  list(workspaceId: string): Promise<ApiKeyInfo[]>;
  /** Revokes a key; returns false when the workspace has no such active key. */
  revoke(workspaceId: string, id: string): Promise<boolean>;
}

/** How fresh `last_used_at` is kept: it says "in use lately", not every request. */
const LAST_USED_RESOLUTION_MS = 60_000;

const hashKey = (key: string) => createHash("sha256").update(key).digest("hex");

export function createApiKeyRepository(ctx: RepositoryContext): ApiKeyRepository {
  return {
    async create(workspaceId, { name, kind }) {
      const id = randomUUID();
      const key = `tk_${randomBytes(32).toString("base64url")}`;
      await ctx.db
        .insertInto("api_keys")
        .values({
          workspace_id: workspaceId,
          id,
          name,
          key_hash: hashKey(key),
          prefix: key.slice(0, 10),
          kind,
          created_at: nowIso(),
          last_used_at: null,
          revoked_at: null,
        })
        .execute();
      return { id, key };
    },

    async verify(key) {
      if (!key.startsWith("tk_")) return null;
      const row = await ctx.db
        .selectFrom("api_keys")
        .select(["workspace_id", "id", "kind", "last_used_at"])
        .where("key_hash", "=", hashKey(key))
        .where("revoked_at", "is", null)
        .executeTakeFirst();
      if (row === undefined) return null;
      // At most one write a minute per key: a write on every request would make each page read
      // wait for the database's write lock (held by the tracking writer while it ingests).
      const now = nowIso();
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
      return { workspaceId: row.workspace_id, kind: row.kind as ApiKeyKind, id: row.id };
    },

    async list(workspaceId) {
      const rows = await ctx.db
        .selectFrom("api_keys")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .orderBy("created_at")
        .orderBy("id")
        .execute();
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        prefix: r.prefix,
        kind: r.kind as ApiKeyKind,
        createdAt: r.created_at,
        lastUsedAt: r.last_used_at,
        revokedAt: r.revoked_at,
      }));
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
  };
}
