import type { Permission, Principal } from "@tenure/core";
import { TenureError } from "@tenure/core";
import type { Storage, StorageTransaction } from "@tenure/storage";
import { z } from "zod";
import { type AccountBook, assertCan } from "./access-policy";

type Repos = Pick<Storage | StorageTransaction, "team" | "workspaceSettings">;

/** The workspace setting of who reads what; absent = CSMs read every account. */
export const ACCESS_SETTINGS_KEY = "access";

const accessSettings = z.object({
  /** false: a CSM reads only the accounts it owns (lists and search show only its book). */
  csmReadsAllAccounts: z.boolean(),
});
export type AccessSettings = z.infer<typeof accessSettings>;
const DEFAULT_ACCESS: AccessSettings = { csmReadsAllAccounts: true };

/** The access settings a stored value holds (defaults when never set or unreadable). */
export function accessSettingsFrom(stored: unknown): AccessSettings {
  const parsed = accessSettings.safeParse(stored);
  return parsed.success ? parsed.data : DEFAULT_ACCESS;
}

/** The workspace's access settings (defaults when never set or unreadable). */
export async function accessSettingsOf(repos: Repos, ws: string): Promise<AccessSettings> {
  return accessSettingsFrom((await repos.workspaceSettings.get(ws, ACCESS_SETTINGS_KEY))?.value);
}

/** Whether CSMs read others' accounts: as read with the principal, else from the setting. */
async function othersReadableFor(repos: Repos, principal: Principal): Promise<boolean> {
  return (
    principal.othersReadable ?? (await accessSettingsOf(repos, principal.workspaceId)).csmReadsAllAccounts
  );
}

/** Saves the access settings (validated: 400 naming the field). */
export async function setAccessSettings(repos: Repos, ws: string, input: unknown): Promise<AccessSettings> {
  const parsed = accessSettings.safeParse(input);
  if (!parsed.success) {
    const i = parsed.error.issues[0];
    throw new TenureError("validation", `${i?.path.join(".") || "body"}: ${i?.message}`);
  }
  await repos.workspaceSettings.set(ws, ACCESS_SETTINGS_KEY, parsed.data);
  return parsed.data;
}

/** Where an account sits in the books, or null when the workspace has no such account. */
export async function accountBook(repos: Repos, ws: string, accountId: string): Promise<AccountBook | null> {
  const book = await repos.team.accountBook(ws, accountId);
  return book === null ? null : { accountId, ...book };
}

/**
 * Throws forbidden unless `principal` may do `permission` on the account (book scoping); an unknown
 * account is left to the caller's own not_found. `assigneeId`: the task acted on is assigned to them.
 */
export async function assertCanOnAccount(
  repos: Repos,
  principal: Principal,
  permission: Permission,
  accountId: string,
  opts: { assigneeId?: string | null } = {},
): Promise<void> {
  assertCan(principal, permission);
  // Reads only what the answer depends on (the account page checks this on every request): a read is
  // decided by the book only for a CSM in a workspace where CSMs read their own accounts only, and a
  // write by an admin or manager without team limits is allowed on every account.
  if (permission === "read" && principal.role !== "csm") return;
  if (
    permission !== "read" &&
    (principal.role === "admin" || principal.role === "manager") &&
    principal.teamIds === null
  )
    return;
  let othersReadable = true;
  if (permission === "read") {
    othersReadable = await othersReadableFor(repos, principal);
    if (othersReadable) return;
  }
  const book = await accountBook(repos, principal.workspaceId, accountId);
  if (book === null) return;
  assertCan(principal, permission, { account: book, assigneeId: opts.assigneeId, othersReadable });
}

/**
 * The read check of `assertCanOnAccount` for an account whose book the caller has just read with it
 * (the account page's one read of the account): no read of its own, but the access setting's when the
 * principal was built without it.
 */
export async function assertCanReadBook(
  repos: Repos,
  principal: Principal,
  book: AccountBook,
): Promise<void> {
  assertCan(principal, "read");
  if (principal.role !== "csm") return;
  assertCan(principal, "read", { account: book, othersReadable: await othersReadableFor(repos, principal) });
}

/** Shorthand of the edit check every account-scoped write makes (notes, tasks, stages, plans, signals). */
export function assertCanEditAccount(
  repos: Repos,
  principal: Principal,
  accountId: string,
  opts: { assigneeId?: string | null } = {},
): Promise<void> {
  return assertCanOnAccount(repos, principal, "book.edit", accountId, opts);
}

/**
 * The owner name an account list must be limited to, or null for no limit: a CSM's own name when the
 * workspace lets CSMs read only their accounts (lists filter by the owner's name). A CSM who is no
 * team member then has no book: forbidden, saying why.
 */
export async function readableOwnerName(
  repos: Repos,
  principal: Principal | undefined,
): Promise<string | null> {
  if (principal === undefined || principal.role !== "csm") return null;
  if (await othersReadableFor(repos, principal)) return null;
  const member =
    principal.memberId === null
      ? null
      : await repos.team.getMember(principal.workspaceId, principal.memberId);
  if (member === null) {
    throw new TenureError("forbidden", "You are not a team member, so you have no book of accounts to read");
  }
  return member.name;
}

/**
 * The member whose book a list of accounts' things (signals, tasks, renewals, predictions, plans,
 * exports) must be narrowed to, or null for no limit: the CSM's own member id when the workspace
 * lets CSMs read only their accounts. Lists filter by it in their query, before paging.
 */
export async function readableBook(
  repos: Repos,
  principal: Principal | undefined,
): Promise<{ ownerId: string } | null> {
  if (principal === undefined || principal.role !== "csm") return null;
  if (await othersReadableFor(repos, principal)) return null;
  if (principal.memberId === null) {
    throw new TenureError("forbidden", "You are not a team member, so you have no book of accounts to read");
  }
  return { ownerId: principal.memberId };
}

/**
 * The ids of the accounts a list may show, or null for every account (see `readableBook`): for the
 * lists a service computes in memory (renewal calendar, forecasts, QBRs), filtered before any limit.
 */
export async function readableAccountIds(
  repos: Repos,
  principal: Principal | undefined,
): Promise<ReadonlySet<string> | null> {
  const book = await readableBook(repos, principal);
  if (book === null || principal === undefined) return null;
  return new Set(await repos.team.accountsOf(principal.workspaceId, book.ownerId));
}

/** A record that belongs to one account: what book scoping of a write to it reads. */
export type AccountRecordKind = "task" | "signal" | "successPlan" | "playbookRun";

/**
 * The account (and, for a task, the assignee) of a record, or null when the workspace has no such
 * record (the route then answers its own 404).
 */
export async function recordAccount(
  storage: Storage,
  ws: string,
  kind: AccountRecordKind,
  id: string,
): Promise<{ accountId: string; assigneeId?: string | null } | null> {
  switch (kind) {
    case "task": {
      const t = await storage.tasks.get(ws, id);
      return t === null ? null : { accountId: t.accountId, assigneeId: t.assigneeId };
    }
    case "signal":
      return pick(await storage.signals.get(ws, id));
    case "successPlan":
      return pick(await storage.successPlans.get(ws, id));
    case "playbookRun":
      return pick(await storage.playbooks.getRun(ws, id));
  }
}

const pick = (r: { accountId: string } | null) => (r === null ? null : { accountId: r.accountId });

/**
 * The check a service makes before an account-scoped write: with a principal (every HTTP request,
 * the web app, the CLI over HTTP) it must be of workspace `ws` and hold the account in its book;
 * without one the caller is the operator's own process (CLI on the database, jobs), which is admin.
 */
export async function guardAccountEdit(
  repos: Repos,
  ws: string,
  principal: Principal | undefined,
  accountId: string,
  opts: { assigneeId?: string | null } = {},
): Promise<void> {
  if (principal === undefined) return;
  if (principal.workspaceId !== ws) {
    throw new TenureError("forbidden", "This principal belongs to another workspace");
  }
  await assertCanEditAccount(repos, principal, accountId, opts);
}

/**
 * `guardAccountEdit` for every account a batch writes to (renewal outcomes, survey answers): all or
 * none, so a batch with one account outside the book writes nothing.
 */
export async function guardAccountsEdit(
  repos: Repos,
  ws: string,
  principal: Principal | undefined,
  accountIds: Iterable<string>,
): Promise<void> {
  if (principal === undefined) return;
  for (const id of new Set(accountIds)) await guardAccountEdit(repos, ws, principal, id);
}
