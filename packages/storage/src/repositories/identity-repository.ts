import { randomUUID } from "node:crypto";
import type { DbTime } from "../schema";
import { nowIso, type RepositoryContext } from "./repository-context";

/** A user's role in a workspace (core/access Role; stored as text). */
export type MembershipRole = "admin" | "manager" | "csm" | "viewer";

/** A signed-in person (better-auth's user row), as Tenure shows it. */
export interface UserRecord {
  id: string;
  email: string;
  name: string;
  /** Deactivated by an admin: every sign-in and session is refused. */
  banned: boolean;
  lastSignInAt: string | null;
  createdAt: string;
}

/** A user's place in one workspace. */
export interface MembershipRecord {
  workspaceId: string;
  userId: string;
  role: MembershipRole;
  /** The team member (members.id) this user is; a CSM's book is that member's accounts. */
  memberId: string | null;
  createdAt: string;
}

/** A membership with its workspace's name (GET /api/me). */
export interface UserWorkspace extends MembershipRecord {
  workspaceName: string;
}

/** A session found by its token, with its user and every workspace of theirs (the auth hot path). */
export interface SessionWithWorkspaces {
  session: { id: string; token: string; expiresAt: number; activeWorkspaceId: string | null };
  user: { id: string; email: string; name: string; banned: boolean };
  /** As MembershipRepository.listForUser: oldest membership first. */
  workspaces: UserWorkspace[];
  /** The asked workspace setting (`settingKey`) of each of those workspaces that has it, decoded. */
  settings: Record<string, unknown>;
}

/** A workspace's user with their role there (Settings → Users). */
export interface WorkspaceUser extends UserRecord {
  role: MembershipRole;
  memberId: string | null;
}

export interface UserRepository {
  /** How many users exist in the whole instance (0 = first run: the set-up page). */
  count(): Promise<number>;
  get(id: string): Promise<UserRecord | null>;
  /** By email, whatever its case. */
  findByEmail(email: string): Promise<UserRecord | null>;
  /**
   * Adds a user without any credential (the demo's users, who sign in only through the demo route).
   * Users with a password are created by the server's identity module (better-auth hashes it).
   */
  insertWithoutPassword(input: { email: string; name: string }): Promise<UserRecord>;
  /** Deactivates (true) or reactivates a user; false when there is no such user. */
  setBanned(id: string, banned: boolean): Promise<boolean>;
  /** Stamps the time of a successful sign-in (shown in the user list). */
  recordSignIn(id: string, at?: Date): Promise<void>;
  /**
   * The session with this token, its user and their workspaces in one read, or null. Only reads:
   * expiry, refresh and deletion stay with better-auth (server/src/identity).
   */
  sessionByToken(token: string, settingKey?: string): Promise<SessionWithWorkspaces | null>;
}

export interface MembershipRepository {
  /** Adds the user to the workspace, or changes their role and member link when already in it. */
  put(
    workspaceId: string,
    userId: string,
    input: { role: MembershipRole; memberId?: string | null },
  ): Promise<MembershipRecord>;
  get(workspaceId: string, userId: string): Promise<MembershipRecord | null>;
  /** Changes the role; false when the user is not in the workspace. */
  setRole(workspaceId: string, userId: string, role: MembershipRole): Promise<boolean>;
  /** Every workspace of a user, oldest membership first (the first is the default one). */
  listForUser(userId: string): Promise<UserWorkspace[]>;
  /** The workspace's users, by email. */
  listUsers(workspaceId: string): Promise<WorkspaceUser[]>;
  /** The user linked to a team member in the workspace, if any. */
  findByMember(workspaceId: string, memberId: string): Promise<MembershipRecord | null>;
  remove(workspaceId: string, userId: string): Promise<boolean>;
}

const iso = (value: DbTime): string => (value instanceof Date ? value.toISOString() : value);
/** A stored time as epoch milliseconds (PostgreSQL gives Dates; SQLite better-auth's ISO text). */
const epochMs = (value: DbTime | number): number =>
  value instanceof Date ? value.getTime() : typeof value === "number" ? value : Date.parse(value);

export function createUserRepository(ctx: RepositoryContext): UserRepository {
  const toUser = (r: {
    id: string;
    email: string;
    name: string;
    banned: unknown;
    last_sign_in_at: DbTime | null;
    created_at: DbTime;
  }): UserRecord => ({
    id: r.id,
    email: r.email,
    name: r.name,
    banned: ctx.adapter.decodeBoolean(r.banned as number | boolean),
    lastSignInAt: r.last_sign_in_at === null ? null : iso(r.last_sign_in_at),
    createdAt: iso(r.created_at),
  });
  const select = () =>
    ctx.db
      .selectFrom("auth_users")
      .select(["id", "email", "name", "banned", "last_sign_in_at", "created_at"]);
  return {
    async count() {
      const row = await ctx.db
        .selectFrom("auth_users")
        .select((eb) => eb.fn.countAll().as("n"))
        .executeTakeFirstOrThrow();
      return ctx.adapter.parseNumber(row.n);
    },
    async get(id) {
      const row = await select().where("id", "=", id).executeTakeFirst();
      return row === undefined ? null : toUser(row);
    },
    async findByEmail(email) {
      const row = await select().where("email", "=", email.trim().toLowerCase()).executeTakeFirst();
      return row === undefined ? null : toUser(row);
    },
    async insertWithoutPassword({ email, name }) {
      const now = nowIso();
      const id = randomUUID();
      await ctx.db
        .insertInto("auth_users")
        .values({
          id,
          email: email.trim().toLowerCase(),
          name,
          email_verified: ctx.adapter.encodeBoolean(true),
          image: null,
          banned: ctx.adapter.encodeBoolean(false),
          last_sign_in_at: null,
          created_at: now,
          updated_at: now,
        })
        .execute();
      const user = await this.get(id);
      if (user === null) throw new Error(`user ${id} vanished after insert`);
      return user;
    },
    async setBanned(id, banned) {
      const result = await ctx.db
        .updateTable("auth_users")
        .set({ banned: ctx.adapter.encodeBoolean(banned), updated_at: nowIso() })
        .where("id", "=", id)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async recordSignIn(id, at = new Date()) {
      await ctx.db
        .updateTable("auth_users")
        .set({ last_sign_in_at: at.toISOString() })
        .where("id", "=", id)
        .execute();
    },
    async sessionByToken(token, settingKey) {
      // One row per membership (one row of nulls for none): on PostgreSQL one round trip, not three.
      const rows = await ctx.db
        .selectFrom("auth_sessions as s")
        .innerJoin("auth_users as u", "u.id", "s.user_id")
        .leftJoin("workspace_memberships as m", "m.user_id", "u.id")
        .leftJoin("workspaces as w", "w.id", "m.workspace_id")
        .leftJoin("workspace_settings as ws", (j) =>
          j.onRef("ws.workspace_id", "=", "m.workspace_id").on("ws.key", "=", settingKey ?? ""),
        )
        .select([
          "s.id as session_id",
          "s.token",
          "s.expires_at",
          "s.active_workspace_id",
          "u.id as user_id",
          "u.email",
          "u.name",
          "u.banned",
          "m.workspace_id",
          "m.role",
          "m.member_id",
          "m.created_at as membership_created_at",
          "w.name as workspace_name",
          "ws.json as setting_json",
        ])
        .where("s.token", "=", token)
        .orderBy("m.created_at")
        .orderBy("m.workspace_id")
        .execute();
      const first = rows[0];
      if (first === undefined) return null;
      const workspaces: UserWorkspace[] = [];
      const settings: Record<string, unknown> = {};
      for (const r of rows) {
        // A membership of a workspace that is gone is no workspace (listForUser joins them inner).
        if (r.workspace_id === null || r.workspace_name === null || r.role === null) continue;
        if (r.setting_json !== null) settings[r.workspace_id] = ctx.adapter.decodeJson(r.setting_json);
        workspaces.push({
          workspaceId: r.workspace_id,
          userId: r.user_id,
          role: r.role as MembershipRole,
          memberId: r.member_id,
          createdAt: r.membership_created_at ?? "",
          workspaceName: r.workspace_name,
        });
      }
      return {
        session: {
          id: first.session_id,
          token: first.token,
          expiresAt: epochMs(first.expires_at),
          activeWorkspaceId: first.active_workspace_id,
        },
        user: {
          id: first.user_id,
          email: first.email,
          name: first.name,
          banned: ctx.adapter.decodeBoolean(first.banned as number | boolean),
        },
        workspaces,
        settings,
      };
    },
  };
}

export function createMembershipRepository(ctx: RepositoryContext): MembershipRepository {
  const toMembership = (r: {
    workspace_id: string;
    user_id: string;
    role: string;
    member_id: string | null;
    created_at: string;
  }): MembershipRecord => ({
    workspaceId: r.workspace_id,
    userId: r.user_id,
    role: r.role as MembershipRole,
    memberId: r.member_id,
    createdAt: r.created_at,
  });
  const get = async (workspaceId: string, userId: string) => {
    const row = await ctx.db
      .selectFrom("workspace_memberships")
      .selectAll()
      .where("workspace_id", "=", workspaceId)
      .where("user_id", "=", userId)
      .executeTakeFirst();
    return row === undefined ? null : toMembership(row);
  };
  return {
    async put(workspaceId, userId, { role, memberId }) {
      const now = nowIso();
      await ctx.db
        .insertInto("workspace_memberships")
        .values({
          workspace_id: workspaceId,
          user_id: userId,
          role,
          member_id: memberId ?? null,
          created_at: now,
          updated_at: now,
        })
        .onConflict((oc) =>
          oc.columns(["workspace_id", "user_id"]).doUpdateSet({
            role,
            ...(memberId === undefined ? {} : { member_id: memberId }),
            updated_at: now,
          }),
        )
        .execute();
      const membership = await get(workspaceId, userId);
      if (membership === null) throw new Error(`membership ${workspaceId}/${userId} vanished after insert`);
      return membership;
    },
    get,
    async setRole(workspaceId, userId, role) {
      const result = await ctx.db
        .updateTable("workspace_memberships")
        .set({ role, updated_at: nowIso() })
        .where("workspace_id", "=", workspaceId)
        .where("user_id", "=", userId)
        .executeTakeFirst();
      return Number(result.numUpdatedRows) > 0;
    },
    async listForUser(userId) {
      const rows = await ctx.db
        .selectFrom("workspace_memberships as m")
        .innerJoin("workspaces as w", "w.id", "m.workspace_id")
        .selectAll("m")
        .select("w.name as workspace_name")
        .where("m.user_id", "=", userId)
        .orderBy("m.created_at")
        .orderBy("m.workspace_id")
        .execute();
      return rows.map((r) => ({ ...toMembership(r), workspaceName: r.workspace_name }));
    },
    async listUsers(workspaceId) {
      const rows = await ctx.db
        .selectFrom("workspace_memberships as m")
        .innerJoin("auth_users as u", "u.id", "m.user_id")
        .select([
          "u.id",
          "u.email",
          "u.name",
          "u.banned",
          "u.last_sign_in_at",
          "u.created_at",
          "m.role",
          "m.member_id",
        ])
        .where("m.workspace_id", "=", workspaceId)
        .orderBy("u.email")
        .execute();
      return rows.map((r) => ({
        id: r.id,
        email: r.email,
        name: r.name,
        banned: ctx.adapter.decodeBoolean(r.banned),
        lastSignInAt: r.last_sign_in_at === null ? null : iso(r.last_sign_in_at),
        createdAt: iso(r.created_at),
        role: r.role as MembershipRole,
        memberId: r.member_id,
      }));
    },
    async findByMember(workspaceId, memberId) {
      const row = await ctx.db
        .selectFrom("workspace_memberships")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("member_id", "=", memberId)
        .executeTakeFirst();
      return row === undefined ? null : toMembership(row);
    },
    async remove(workspaceId, userId) {
      const result = await ctx.db
        .deleteFrom("workspace_memberships")
        .where("workspace_id", "=", workspaceId)
        .where("user_id", "=", userId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
  };
}
