import { type Permission, type Principal, roleAllows, TenureError } from "@tenure/core";

/**
 * Where an account sits in the team's books: its owner (a member), the owner's team and the team
 * whose pool holds it. Loaded by `accountBook` (book-scope.ts); plain data so the check stays pure.
 */
export interface AccountBook {
  accountId: string;
  ownerId: string | null;
  /** The owner's team (members.team_id), null without an owner or team. */
  ownerMemberTeamId: string | null;
  /** accounts.owner_team_id: the pool's team, or the owner's team. */
  poolTeamId: string | null;
}

/**
 * What a check is about. `account`: the account written or read; `assigneeId`: the assignee of the
 * task acted on (a CSM may act on tasks given to them, whoever owns the account); `othersReadable`:
 * the workspace's "CSMs read every account" setting (default true).
 */
export interface AccessScope {
  account?: AccountBook;
  assigneeId?: string | null;
  othersReadable?: boolean;
}

/** Whether the account is in the principal's book (admin: every account; viewer: none). */
export function inBook(principal: Principal, book: AccountBook): boolean {
  switch (principal.role) {
    case "admin":
      return principal.teamIds === null || inTeams(principal.teamIds, book);
    case "manager":
      return principal.teamIds === null || inTeams(principal.teamIds, book);
    case "csm":
      return principal.memberId !== null && book.ownerId === principal.memberId;
    case "viewer":
      return false;
  }
}

const inTeams = (teamIds: readonly string[], book: AccountBook) =>
  (book.ownerMemberTeamId !== null && teamIds.includes(book.ownerMemberTeamId)) ||
  (book.poolTeamId !== null && teamIds.includes(book.poolTeamId));

/**
 * Why `principal` may not do `permission` on `scope`, or null when it may. Admin: everything;
 * manager: its teams' books (members' accounts and team pools); CSM: edits its own book and the
 * tasks assigned to it, reads others' accounts only when the workspace allows; viewer: reads.
 */
export function denial(principal: Principal, permission: Permission, scope: AccessScope = {}): string | null {
  if (!roleAllows(principal.role, permission)) {
    return `Your role (${principal.role}) may not do this (needs the "${permission}" permission)`;
  }
  const book = scope.account;
  if (book === undefined) return null;
  const assignedToThem =
    principal.role === "csm" && principal.memberId !== null && scope.assigneeId === principal.memberId;
  if (permission === "read") {
    if (principal.role !== "csm" || scope.othersReadable !== false || inBook(principal, book)) return null;
    if (assignedToThem) return null;
    return `Account "${book.accountId}" is not in your book, and this workspace lets CSMs read only their own accounts`;
  }
  if (inBook(principal, book) || assignedToThem) return null;
  return `Account "${book.accountId}" is not in your book (${principal.role}): you may not change it`;
}

/** Whether `principal` may do `permission` on `scope` (see `denial`). */
export function can(principal: Principal, permission: Permission, scope?: AccessScope): boolean {
  return denial(principal, permission, scope) === null;
}

/**
 * Throws TenureError("forbidden") unless `principal` may do `permission` on `scope`: the one check
 * the route middleware and the services share.
 * @example assertCan(principal, "book.edit", { account: await accountBook(storage, ws, id) })
 */
export function assertCan(principal: Principal, permission: Permission, scope?: AccessScope): void {
  const why = denial(principal, permission, scope);
  if (why !== null) throw new TenureError("forbidden", why);
}
