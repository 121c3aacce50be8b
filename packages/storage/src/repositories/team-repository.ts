import type { Kysely } from "kysely";
import type { Database, MemberTable, TeamTable } from "../schema";
import { atomically, chunksFor, nowIso, type RepositoryContext } from "./repository-context";

/** A team of members; `kind` says how it works its accounts (high_touch, mid_market, tech_touch, ...). */
export interface TeamRecord {
  id: string;
  name: string;
  kind: string;
  /** The member who got the team's last round-robin assignment. */
  roundRobinMemberId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A team member (a CSM). Email is unique per workspace, whatever its case. */
export interface MemberRecord {
  id: string;
  name: string;
  email: string;
  teamId: string | null;
  role: string | null;
  /** How many accounts the member can own. */
  capacity: number | null;
  active: boolean;
  deactivatedAt: string | null;
  successorId: string | null;
  createdAt: string;
  updatedAt: string;
}

/** Who an account belongs to: a member (with their name, shown wherever the owner is) or a team's pool. */
export interface AccountOwnership {
  ownerId: string | null;
  ownerName: string | null;
  teamId: string | null;
}

/** One account's stored ownership. */
export interface AccountOwnerRow extends AccountOwnership {
  accountId: string;
}

export type TeamInput = Omit<TeamRecord, "createdAt" | "updatedAt" | "roundRobinMemberId">;
export type MemberInput = Omit<MemberRecord, "createdAt" | "updatedAt">;

export interface TeamRepository {
  /** Teams ordered by name. */
  listTeams(workspaceId: string): Promise<TeamRecord[]>;
  getTeam(workspaceId: string, id: string): Promise<TeamRecord | null>;
  /** Inserts or updates teams by id (name and kind). */
  upsertTeams(
    workspaceId: string,
    teams: readonly TeamInput[],
  ): Promise<{ inserted: number; updated: number }>;
  /** Deletes a team; false when there was none. */
  deleteTeam(workspaceId: string, id: string): Promise<boolean>;
  /** Records the member who got a team's last round-robin assignment. */
  setRoundRobin(workspaceId: string, teamId: string, memberId: string): Promise<void>;
  /** Members ordered by name then id, inactive ones too. */
  listMembers(workspaceId: string): Promise<MemberRecord[]>;
  getMember(workspaceId: string, id: string): Promise<MemberRecord | null>;
  /** Inserts or updates members by id (every field). */
  upsertMembers(
    workspaceId: string,
    members: readonly MemberInput[],
  ): Promise<{ inserted: number; updated: number; unchanged: number }>;
  /** Sets the owner of `accountIds` (a member, or no one in a team's pool); returns how many changed. */
  assignAccounts(workspaceId: string, accountIds: readonly string[], to: AccountOwnership): Promise<number>;
  /** Moves every account owned by `memberId` to `to`; returns their ids. */
  reassignBook(workspaceId: string, memberId: string, to: AccountOwnership): Promise<string[]>;
  /** Rewrites the owner name shown on a member's accounts (after a rename) and their team. */
  refreshOwnerFields(
    workspaceId: string,
    member: Pick<MemberRecord, "id" | "name" | "teamId">,
  ): Promise<number>;
  /** Ids of the accounts a member owns. */
  accountsOf(workspaceId: string, memberId: string): Promise<string[]>;
  /** Ownership of every account (or of `accountIds`). */
  ownership(workspaceId: string, accountIds?: readonly string[]): Promise<AccountOwnerRow[]>;
  /**
   * One account's place in the books in one read (the access check of every account request): its
   * owner, the owner's team and the pool's team; null when the workspace has no such account.
   */
  accountBook(
    workspaceId: string,
    accountId: string,
  ): Promise<{ ownerId: string | null; ownerMemberTeamId: string | null; poolTeamId: string | null } | null>;
}

const MEMBER_COLUMNS = 13;

export function createTeamRepository(ctx: RepositoryContext): TeamRepository {
  const teamFromRow = (r: TeamTable): TeamRecord => ({
    id: r.id,
    name: r.name,
    kind: r.kind,
    roundRobinMemberId: r.round_robin_member_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
  const memberFromRow = (r: MemberTable): MemberRecord => ({
    id: r.id,
    name: r.name,
    email: r.email,
    teamId: r.team_id,
    role: r.role,
    capacity: r.capacity === null ? null : Number(r.capacity),
    active: Number(r.active) === 1,
    deactivatedAt: r.deactivated_at,
    successorId: r.successor_id,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
  const memberToRow = (workspaceId: string, m: MemberInput, now: string): MemberTable => ({
    workspace_id: workspaceId,
    id: m.id,
    name: m.name,
    email: m.email,
    email_key: m.email.toLowerCase(),
    team_id: m.teamId,
    role: m.role,
    capacity: m.capacity,
    active: m.active ? 1 : 0,
    deactivated_at: m.deactivatedAt,
    successor_id: m.successorId,
    created_at: now,
    updated_at: now,
  });
  const sameMember = (a: MemberRecord, b: MemberInput): boolean =>
    a.name === b.name &&
    a.email === b.email &&
    a.teamId === b.teamId &&
    a.role === b.role &&
    a.capacity === b.capacity &&
    a.active === b.active &&
    a.deactivatedAt === b.deactivatedAt &&
    a.successorId === b.successorId;

  const setOwner = (db: Kysely<Database>, workspaceId: string, to: AccountOwnership, now: string) =>
    db
      .updateTable("accounts")
      .set({ owner_id: to.ownerId, owner: to.ownerName, owner_team_id: to.teamId, updated_at: now })
      .where("workspace_id", "=", workspaceId);

  return {
    async listTeams(workspaceId) {
      const rows = await ctx.db
        .selectFrom("teams")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .orderBy("name")
        .orderBy("id")
        .execute();
      return rows.map(teamFromRow);
    },

    async getTeam(workspaceId, id) {
      const row = await ctx.db
        .selectFrom("teams")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .executeTakeFirst();
      return row === undefined ? null : teamFromRow(row);
    },

    async upsertTeams(workspaceId, teams) {
      return atomically(ctx, async (db) => {
        const now = nowIso();
        let inserted = 0;
        let updated = 0;
        for (const t of teams) {
          const res = await db
            .updateTable("teams")
            .set({ name: t.name, kind: t.kind, updated_at: now })
            .where("workspace_id", "=", workspaceId)
            .where("id", "=", t.id)
            .executeTakeFirst();
          if (Number(res.numUpdatedRows) > 0) {
            updated++;
            continue;
          }
          await db
            .insertInto("teams")
            .values({
              workspace_id: workspaceId,
              id: t.id,
              name: t.name,
              kind: t.kind,
              round_robin_member_id: null,
              created_at: now,
              updated_at: now,
            })
            .execute();
          inserted++;
        }
        return { inserted, updated };
      });
    },

    async deleteTeam(workspaceId, id) {
      const res = await ctx.db
        .deleteFrom("teams")
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },

    async setRoundRobin(workspaceId, teamId, memberId) {
      await ctx.db
        .updateTable("teams")
        .set({ round_robin_member_id: memberId })
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", teamId)
        .execute();
    },

    async listMembers(workspaceId) {
      const rows = await ctx.db
        .selectFrom("members")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .orderBy("name")
        .orderBy("id")
        .execute();
      return rows.map(memberFromRow);
    },

    async getMember(workspaceId, id) {
      const row = await ctx.db
        .selectFrom("members")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .executeTakeFirst();
      return row === undefined ? null : memberFromRow(row);
    },

    async upsertMembers(workspaceId, members) {
      return atomically(ctx, async (db) => {
        const now = nowIso();
        const stored = await db
          .selectFrom("members")
          .selectAll()
          .where("workspace_id", "=", workspaceId)
          .execute();
        const existing = new Map(stored.map((r) => [r.id, memberFromRow(r)]));
        const toInsert: MemberInput[] = [];
        let updated = 0;
        let unchanged = 0;
        for (const m of members) {
          const previous = existing.get(m.id);
          if (previous === undefined) toInsert.push(m);
          else if (sameMember(previous, m)) unchanged++;
          else {
            const {
              created_at: _created,
              workspace_id: _ws,
              id: _id,
              ...set
            } = memberToRow(workspaceId, m, now);
            await db
              .updateTable("members")
              .set(set)
              .where("workspace_id", "=", workspaceId)
              .where("id", "=", m.id)
              .execute();
            updated++;
          }
        }
        for (const chunk of chunksFor(ctx.adapter, toInsert, MEMBER_COLUMNS)) {
          await db
            .insertInto("members")
            .values(chunk.map((m) => memberToRow(workspaceId, m, now)))
            .execute();
        }
        return { inserted: toInsert.length, updated, unchanged };
      });
    },

    async assignAccounts(workspaceId, accountIds, to) {
      if (accountIds.length === 0) return 0;
      return atomically(ctx, async (db) => {
        const now = nowIso();
        let changed = 0;
        for (const chunk of chunksFor(ctx.adapter, accountIds, 1)) {
          const res = await setOwner(db, workspaceId, to, now).where("id", "in", chunk).executeTakeFirst();
          changed += Number(res.numUpdatedRows);
        }
        return changed;
      });
    },

    async reassignBook(workspaceId, memberId, to) {
      return atomically(ctx, async (db) => {
        const rows = await db
          .selectFrom("accounts")
          .select("id")
          .where("workspace_id", "=", workspaceId)
          .where("owner_id", "=", memberId)
          .orderBy("id")
          .execute();
        if (rows.length === 0) return [];
        await setOwner(db, workspaceId, to, nowIso()).where("owner_id", "=", memberId).execute();
        return rows.map((r) => r.id);
      });
    },

    async refreshOwnerFields(workspaceId, member) {
      const res = await ctx.db
        .updateTable("accounts")
        .set({ owner: member.name, owner_team_id: member.teamId, updated_at: nowIso() })
        .where("workspace_id", "=", workspaceId)
        .where("owner_id", "=", member.id)
        .executeTakeFirst();
      return Number(res.numUpdatedRows);
    },

    async accountsOf(workspaceId, memberId) {
      const rows = await ctx.db
        .selectFrom("accounts")
        .select("id")
        .where("workspace_id", "=", workspaceId)
        .where("owner_id", "=", memberId)
        .orderBy("id")
        .execute();
      return rows.map((r) => r.id);
    },

    async ownership(workspaceId, accountIds) {
      const read = (ids: readonly string[] | null) =>
        ctx.db
          .selectFrom("accounts")
          .select(["id", "owner_id", "owner", "owner_team_id"])
          .where("workspace_id", "=", workspaceId)
          .$if(ids !== null, (q) => q.where("id", "in", ids ?? []))
          .orderBy("id")
          .execute();
      const rows =
        accountIds === undefined
          ? await read(null)
          : (await Promise.all(chunksFor(ctx.adapter, accountIds, 1).map((c) => read(c)))).flat();
      return rows.map((r) => ({
        accountId: r.id,
        ownerId: r.owner_id ?? null,
        ownerName: r.owner,
        teamId: r.owner_team_id ?? null,
      }));
    },

    async accountBook(workspaceId, accountId) {
      const row = await ctx.db
        .selectFrom("accounts as a")
        .leftJoin("members as m", (j) =>
          j.onRef("m.workspace_id", "=", "a.workspace_id").onRef("m.id", "=", "a.owner_id"),
        )
        .select(["a.owner_id", "a.owner_team_id", "m.team_id"])
        .where("a.workspace_id", "=", workspaceId)
        .where("a.id", "=", accountId)
        .executeTakeFirst();
      return row === undefined
        ? null
        : {
            ownerId: row.owner_id ?? null,
            ownerMemberTeamId: row.team_id ?? null,
            poolTeamId: row.owner_team_id ?? null,
          };
    },
  };
}
