import { TenureError } from "@tenure/core";
import type {
  AccountOwnership,
  MemberInput,
  MemberRecord,
  Repositories,
  Storage,
  StorageTransaction,
  TeamRecord,
} from "@tenure/storage";
import { z } from "zod";
import { refreshAccountRows } from "../accounts/account-list-store";

/** How a team works its accounts; other labels are allowed too (the team's own words). */
export const TEAM_KINDS = ["high_touch", "mid_market", "tech_touch"] as const;

/** A member as the API shows it: the record with its team's name and the accounts it owns. */
export interface MemberView extends MemberRecord {
  teamName: string | null;
  accounts: number;
}

/** Runs `fn` in `repos` when it is already a transaction, else in a new one on the storage. */
export function inTransaction<T>(
  repos: Storage | StorageTransaction,
  fn: (tx: StorageTransaction) => Promise<T>,
): Promise<T> {
  return "transaction" in repos ? (repos as Storage).transaction(fn) : fn(repos);
}

/** A team or member id as written in files and URLs: lower case letters, digits, `_`, `-`, `.`, `@`. */
export function slugId(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/[^a-z0-9_.@-]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

const EMAIL = z.email();

const teamInput = z.object({
  id: z.string().trim().min(1).max(100).optional(),
  name: z.string().trim().min(1, "must not be empty").max(200),
  kind: z.string().trim().min(1, "must not be empty").max(50),
});

const memberInput = z.object({
  id: z.string().trim().min(1).max(200).optional(),
  name: z.string().trim().min(1, "must not be empty").max(200),
  email: z.string().trim().max(320).pipe(z.email("must be an email address")),
  teamId: z.string().trim().min(1).nullable().optional(),
  role: z.string().trim().max(100).nullable().optional(),
  capacity: z.number().int("must be a whole number").min(0, "must be 0 or more").nullable().optional(),
});

export type TeamSaveInput = z.input<typeof teamInput>;
export type MemberSaveInput = z.input<typeof memberInput>;

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const res = schema.safeParse(input);
  if (res.success) return res.data;
  const issue = res.error.issues[0];
  const field = issue?.path.join(".") || "input";
  throw new TenureError("validation", `${field}: ${issue?.message ?? "is invalid"}`, { field });
}

/** Teams ordered by name. */
export function listTeams(storage: Storage, ws: string): Promise<TeamRecord[]> {
  return storage.team.listTeams(ws);
}

/** Creates or renames a team (id from its name when new). */
export async function saveTeam(storage: Storage, ws: string, input: TeamSaveInput): Promise<TeamRecord> {
  const t = parse(teamInput, input);
  const id = t.id ?? slugId(t.name);
  if (id === "")
    throw new TenureError("validation", "name: must contain a letter or digit", { field: "name" });
  await storage.team.upsertTeams(ws, [{ id, name: t.name, kind: t.kind }]);
  const saved = await storage.team.getTeam(ws, id);
  if (saved === null) throw new TenureError("internal", `Team "${id}" was not saved`);
  return saved;
}

/** Deletes a team that no member belongs to. */
export async function deleteTeam(storage: Storage, ws: string, id: string): Promise<void> {
  const members = (await storage.team.listMembers(ws)).filter((m) => m.teamId === id);
  if (members.length > 0)
    throw new TenureError(
      "conflict",
      `Team "${id}" still has ${members.length} member(s); move them to another team first`,
    );
  if (!(await storage.team.deleteTeam(ws, id))) throw new TenureError("not_found", `No team "${id}"`);
}

/** Members (inactive ones too) with their team's name and how many accounts each owns. */
export async function listMembers(storage: Storage, ws: string): Promise<MemberView[]> {
  const [members, teams, owners] = await Promise.all([
    storage.team.listMembers(ws),
    storage.team.listTeams(ws),
    storage.team.ownership(ws),
  ]);
  const teamNames = new Map(teams.map((t) => [t.id, t.name]));
  const counts = new Map<string, number>();
  for (const o of owners) if (o.ownerId !== null) counts.set(o.ownerId, (counts.get(o.ownerId) ?? 0) + 1);
  return members.map((m) => ({
    ...m,
    teamName: m.teamId === null ? null : (teamNames.get(m.teamId) ?? null),
    accounts: counts.get(m.id) ?? 0,
  }));
}

/** One member, or a not_found error naming the id. */
export async function getMember(repos: Repositories, ws: string, id: string): Promise<MemberRecord> {
  const m = await repos.team.getMember(ws, id);
  if (m === null) throw new TenureError("not_found", `No team member "${id}"`);
  return m;
}

/**
 * Creates (with `create`, refusing an existing id) or updates a member; the email must be unique in the workspace (any case) and the team must
 * exist. A rename or team move shows on the member's accounts at once.
 */
export async function saveMember(
  storage: Storage,
  ws: string,
  input: MemberSaveInput,
  opts: { create?: boolean } = {},
): Promise<MemberRecord> {
  const m = parse(memberInput, input);
  const id = m.id ?? slugId(m.email);
  const saved = await storage.transaction(async (tx) => {
    const [members, previous] = await Promise.all([tx.team.listMembers(ws), tx.team.getMember(ws, id)]);
    if (opts.create === true && previous !== null) {
      // An id made from the email names the member who has that email already.
      if (m.id === undefined)
        throw new TenureError(
          "validation",
          `email: ${m.email} already belongs to ${previous.name} (${previous.id})`,
          {
            field: "email",
          },
        );
      throw new TenureError("conflict", `Member "${id}" exists; edit it instead`);
    }
    const clash = members.find((o) => o.id !== id && o.email.toLowerCase() === m.email.toLowerCase());
    if (clash !== undefined)
      throw new TenureError(
        "validation",
        `email: ${m.email} already belongs to ${clash.name} (${clash.id})`,
        {
          field: "email",
        },
      );
    const teamId = m.teamId ?? null;
    if (teamId !== null && (await tx.team.getTeam(ws, teamId)) === null)
      throw new TenureError("validation", `teamId: no team "${teamId}"`, { field: "teamId" });
    const record: MemberInput = {
      id,
      name: m.name,
      email: m.email,
      teamId,
      role: m.role ?? null,
      capacity: m.capacity ?? null,
      active: previous?.active ?? true,
      deactivatedAt: previous?.deactivatedAt ?? null,
      successorId: previous?.successorId ?? null,
    };
    await tx.team.upsertMembers(ws, [record]);
    const moved = previous !== null && (previous.name !== record.name || previous.teamId !== record.teamId);
    if (moved) await tx.team.refreshOwnerFields(ws, record);
    return { member: await getMember(tx, ws, id), moved };
  });
  // The stored accounts list shows the owner's name.
  if (saved.moved) await refreshAccountRows(storage, ws, await storage.team.accountsOf(ws, id));
  return saved.member;
}

/** What a deactivation moved. */
export interface DeactivationResult {
  member: MemberRecord;
  /** The active member who took over, or null when the work went back to the team's pool. */
  successorId: string | null;
  tasksMoved: number;
  accountsMoved: string[];
}

/**
 * Deactivates a member and hands their open tasks and their accounts to `successorId` (an active member)
 * or, when it is null, back to their team's pool (no owner, the team kept). All in one transaction.
 */
export async function deactivateMember(
  repos: Storage | StorageTransaction,
  ws: string,
  input: { id: string; successorId: string | null; at: Date },
): Promise<DeactivationResult> {
  const res = await inTransaction(repos, async (tx) => {
    const member = await getMember(tx, ws, input.id);
    if (!member.active)
      throw new TenureError("conflict", `${member.name} (${member.id}) is already inactive`);
    let successor: MemberRecord | null = null;
    if (input.successorId !== null) {
      if (input.successorId === member.id)
        throw new TenureError("validation", "successorId: a member cannot succeed themselves", {
          field: "successorId",
        });
      successor = await tx.team.getMember(ws, input.successorId);
      if (successor === null || !successor.active)
        throw new TenureError("validation", `successorId: no active team member "${input.successorId}"`, {
          field: "successorId",
        });
    }
    const now = input.at.toISOString();
    const to: AccountOwnership =
      successor === null
        ? { ownerId: null, ownerName: null, teamId: member.teamId }
        : { ownerId: successor.id, ownerName: successor.name, teamId: successor.teamId };
    const tasks = await tx.tasks.reassignOpen(
      ws,
      member.id,
      { assigneeId: to.ownerId, teamId: to.teamId ?? member.teamId },
      now,
    );
    const accounts = await tx.team.reassignBook(ws, member.id, to);
    const { createdAt: _c, updatedAt: _u, ...rest } = member;
    await tx.team.upsertMembers(ws, [
      { ...rest, active: false, deactivatedAt: now, successorId: successor?.id ?? null },
    ]);
    return {
      member: await getMember(tx, ws, member.id),
      successorId: successor?.id ?? null,
      tasksMoved: tasks.length,
      accountsMoved: accounts,
    };
  });
  // Inside a caller's transaction the caller refreshes the accounts list once it commits.
  if ("transaction" in repos) await refreshAccountRows(repos as Storage, ws, res.accountsMoved);
  return res;
}

/** Makes an inactive member active again (their former work stays where it went). */
export async function reactivateMember(storage: Storage, ws: string, id: string): Promise<MemberRecord> {
  return storage.transaction(async (tx) => {
    const member = await getMember(tx, ws, id);
    if (member.active) return member;
    const { createdAt: _c, updatedAt: _u, ...rest } = member;
    await tx.team.upsertMembers(ws, [{ ...rest, active: true, deactivatedAt: null, successorId: null }]);
    return getMember(tx, ws, id);
  });
}

/**
 * The member acting, from a reference as sent in `X-Tenure-Member` or `--as` (an id or an email):
 * unknown or inactive members are refused, naming the reference.
 */
export async function resolveActor(repos: Repositories, ws: string, ref: string): Promise<MemberRecord> {
  const key = ref.trim();
  const byId = await repos.team.getMember(ws, key);
  const member =
    byId ??
    (EMAIL.safeParse(key).success
      ? ((await repos.team.listMembers(ws)).find((m) => m.email.toLowerCase() === key.toLowerCase()) ?? null)
      : null);
  if (member === null)
    throw new TenureError("validation", `member: no team member "${ref}"`, { field: "member" });
  if (!member.active)
    throw new TenureError("validation", `member: ${member.name} (${member.id}) is inactive`, {
      field: "member",
    });
  return member;
}

/**
 * Finds the member a free-text owner names: by id, email or name, ignoring case. Null when none does;
 * an error when a name fits two members (the owner must be written by email then).
 */
export function matchOwner(members: readonly MemberRecord[], text: string): MemberRecord | null {
  const key = text.trim().toLowerCase();
  const exact = members.find((m) => m.id.toLowerCase() === key || m.email.toLowerCase() === key);
  if (exact !== undefined) return exact;
  const named = members.filter((m) => m.name.trim().toLowerCase() === key);
  if (named.length > 1)
    throw new TenureError(
      "validation",
      `owner: "${text}" is the name of ${named.length} members (${named.map((m) => m.id).join(", ")}); write their email`,
      { field: "owner" },
    );
  return named[0] ?? null;
}

/** Who accounts go to: a member, or no one in a team's pool. */
export type OwnerTarget = { memberId: string } | { poolTeamId: string | null };

async function ownershipFor(tx: StorageTransaction, ws: string, to: OwnerTarget): Promise<AccountOwnership> {
  if ("memberId" in to) {
    const m = await tx.team.getMember(ws, to.memberId);
    if (m === null || !m.active)
      throw new TenureError("validation", `ownerId: no active team member "${to.memberId}"`, {
        field: "ownerId",
      });
    return { ownerId: m.id, ownerName: m.name, teamId: m.teamId };
  }
  if (to.poolTeamId !== null && (await tx.team.getTeam(ws, to.poolTeamId)) === null)
    throw new TenureError("validation", `teamId: no team "${to.poolTeamId}"`, { field: "teamId" });
  return { ownerId: null, ownerName: null, teamId: to.poolTeamId };
}

/** Sets the owner of the given accounts (every one must exist); returns how many changed. */
export async function setAccountOwners(
  storage: Storage,
  ws: string,
  accountIds: readonly string[],
  to: OwnerTarget,
): Promise<number> {
  const ids = [...new Set(accountIds)];
  if (ids.length === 0)
    throw new TenureError("validation", "accountIds: name at least one account", { field: "accountIds" });
  const changed = await storage.transaction(async (tx) => {
    const known = new Set((await tx.team.ownership(ws, ids)).map((o) => o.accountId));
    const missing = ids.filter((id) => !known.has(id));
    if (missing.length > 0)
      throw new TenureError("validation", `accountIds: no account "${missing.slice(0, 5).join('", "')}"`, {
        field: "accountIds",
      });
    return tx.team.assignAccounts(ws, ids, await ownershipFor(tx, ws, to));
  });
  await refreshAccountRows(storage, ws, ids);
  return changed;
}

/** Moves every account of member `fromId` to another member or a pool; returns the moved account ids. */
export async function reassignBook(
  storage: Storage,
  ws: string,
  fromId: string,
  to: OwnerTarget,
): Promise<string[]> {
  const moved = await storage.transaction(async (tx) => {
    await getMember(tx, ws, fromId);
    if ("memberId" in to && to.memberId === fromId)
      throw new TenureError("validation", "toMemberId: the book already belongs to this member", {
        field: "toMemberId",
      });
    return tx.team.reassignBook(ws, fromId, await ownershipFor(tx, ws, to));
  });
  await refreshAccountRows(storage, ws, moved);
  return moved;
}
