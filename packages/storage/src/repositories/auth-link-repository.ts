import { createHash, randomBytes, randomUUID } from "node:crypto";
import type { MembershipRole } from "./identity-repository";
import type { RepositoryContext } from "./repository-context";

/** An invitation to a workspace, or a password reset for one user. */
export type AuthLinkKind = "invite" | "reset";

/** A one-time link as stored: never the token, only its sha256. */
export interface AuthLinkRecord {
  id: string;
  kind: AuthLinkKind;
  workspaceId: string;
  email: string;
  role: MembershipRole | null;
  memberId: string | null;
  userId: string | null;
  createdBy: string | null;
  createdAt: string;
  expiresAt: string;
  usedAt: string | null;
  revokedAt: string | null;
}

export interface AuthLinkInput {
  kind: AuthLinkKind;
  workspaceId: string;
  email: string;
  role?: MembershipRole | null;
  memberId?: string | null;
  userId?: string | null;
  createdBy?: string | null;
  /** How long the link works. */
  ttlMs: number;
}

export interface AuthLinkRepository {
  /** Creates a link; its token (`tl_<43 chars>`) is returned once and only its sha256 is stored. */
  create(input: AuthLinkInput, now?: Date): Promise<{ link: AuthLinkRecord; token: string }>;
  /** The link a token opens while it is unused, unrevoked and unexpired; else null. */
  find(token: string, kind: AuthLinkKind, now?: Date): Promise<AuthLinkRecord | null>;
  /**
   * Marks the link used; true for exactly one caller (a token works once, even when two requests
   * race), false when it was already used, revoked or expired.
   */
  consume(id: string, now?: Date): Promise<boolean>;
  /** The newest pending invitation of an email to the workspace (an SSO sign-in accepts it), or null. */
  findPendingInvite(workspaceId: string, email: string, now?: Date): Promise<AuthLinkRecord | null>;
  /** A workspace's invitations not yet used, revoked or expired, newest first. */
  listPendingInvites(workspaceId: string, now?: Date): Promise<AuthLinkRecord[]>;
  /** Revokes an unused link of the workspace; false when there is none. */
  revoke(workspaceId: string, id: string, now?: Date): Promise<boolean>;
}

const hashToken = (token: string) => createHash("sha256").update(token).digest("hex");

export function createAuthLinkRepository(ctx: RepositoryContext): AuthLinkRepository {
  const toLink = (r: {
    id: string;
    kind: string;
    workspace_id: string;
    email: string;
    role: string | null;
    member_id: string | null;
    user_id: string | null;
    created_by: string | null;
    created_at: string;
    expires_at: string;
    used_at: string | null;
    revoked_at: string | null;
  }): AuthLinkRecord => ({
    id: r.id,
    kind: r.kind as AuthLinkKind,
    workspaceId: r.workspace_id,
    email: r.email,
    role: r.role as MembershipRole | null,
    memberId: r.member_id,
    userId: r.user_id,
    createdBy: r.created_by,
    createdAt: r.created_at,
    expiresAt: r.expires_at,
    usedAt: r.used_at,
    revokedAt: r.revoked_at,
  });
  const byId = async (id: string) => {
    const row = await ctx.db.selectFrom("auth_links").selectAll().where("id", "=", id).executeTakeFirst();
    return row === undefined ? null : toLink(row);
  };
  return {
    async create(input, now = new Date()) {
      const id = randomUUID();
      const token = `tl_${randomBytes(32).toString("base64url")}`;
      await ctx.db
        .insertInto("auth_links")
        .values({
          id,
          kind: input.kind,
          token_hash: hashToken(token),
          workspace_id: input.workspaceId,
          email: input.email.trim().toLowerCase(),
          role: input.role ?? null,
          member_id: input.memberId ?? null,
          user_id: input.userId ?? null,
          created_by: input.createdBy ?? null,
          created_at: now.toISOString(),
          expires_at: new Date(now.getTime() + input.ttlMs).toISOString(),
          used_at: null,
          revoked_at: null,
        })
        .execute();
      const link = await byId(id);
      if (link === null) throw new Error(`link ${id} vanished after insert`);
      return { link, token };
    },
    async find(token, kind, now = new Date()) {
      const row = await ctx.db
        .selectFrom("auth_links")
        .selectAll()
        .where("token_hash", "=", hashToken(token))
        .where("kind", "=", kind)
        .where("used_at", "is", null)
        .where("revoked_at", "is", null)
        .where("expires_at", ">", now.toISOString())
        .executeTakeFirst();
      return row === undefined ? null : toLink(row);
    },
    async consume(id, now = new Date()) {
      const result = await ctx.db
        .updateTable("auth_links")
        .set({ used_at: now.toISOString() })
        .where("id", "=", id)
        .where("used_at", "is", null)
        .where("revoked_at", "is", null)
        .where("expires_at", ">", now.toISOString())
        .executeTakeFirst();
      return Number(result.numUpdatedRows) === 1;
    },
    async findPendingInvite(workspaceId, email, now = new Date()) {
      const row = await ctx.db
        .selectFrom("auth_links")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("kind", "=", "invite")
        .where("email", "=", email.trim().toLowerCase())
        .where("used_at", "is", null)
        .where("revoked_at", "is", null)
        .where("expires_at", ">", now.toISOString())
        .orderBy("created_at", "desc")
        .executeTakeFirst();
      return row === undefined ? null : toLink(row);
    },
    async listPendingInvites(workspaceId, now = new Date()) {
      const rows = await ctx.db
        .selectFrom("auth_links")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("kind", "=", "invite")
        .where("used_at", "is", null)
        .where("revoked_at", "is", null)
        .where("expires_at", ">", now.toISOString())
        .orderBy("created_at", "desc")
        .orderBy("id")
        .execute();
      return rows.map(toLink);
    },
    async revoke(workspaceId, id, now = new Date()) {
      const result = await ctx.db
        .updateTable("auth_links")
        .set({ revoked_at: now.toISOString() })
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .where("used_at", "is", null)
        .where("revoked_at", "is", null)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
  };
}
