import type { Account } from "@tenure/core";
import { isTenureError } from "@tenure/core";
import type { MemberRecord, Storage, StorageTransaction, UpsertResult } from "@tenure/storage";
import type { ReviewContext } from "../import/kind-definition";
import type { ImportIssue } from "../import/types";
import { matchOwner } from "./team-service";

/**
 * Account imports and the team: once a workspace has members, an account's `owner` cell must name one
 * (by email, id or name, any case) and the account then belongs to that member; an owner no member
 * matches is an error naming the row, never a silently created member (a typo would make a phantom
 * CSM). Workspaces without members keep the owner as free text, as before.
 */
export async function reviewAccountOwners(
  storage: Storage,
  ctx: ReviewContext,
  rows: readonly Account[],
  rowNumbers: readonly number[],
  columnOf: (index: number, canonical: string) => string,
): Promise<{ errors: ImportIssue[]; warnings: ImportIssue[] }> {
  const members = await storage.team.listMembers(ctx.workspaceId);
  const errors: ImportIssue[] = [];
  if (members.length === 0) return { errors, warnings: [] };
  rows.forEach((a, i) => {
    if (a.owner === null) return;
    const issue = (reason: string) =>
      errors.push({
        file: ctx.file,
        row: rowNumbers[i] ?? 0,
        column: columnOf(i, "owner"),
        value: a.owner,
        reason,
      });
    try {
      const m = matchOwner(members, a.owner);
      if (m === null)
        issue(
          "no team member has this email, id or name; add them first (tenure import team) or fix the owner",
        );
      else if (!m.active) issue(`${m.name} (${m.id}) is inactive; give the account to an active member`);
    } catch (err) {
      if (isTenureError(err)) issue(err.message.replace(/^owner: /, ""));
      else throw err;
    }
  });
  return { errors, warnings: [] };
}

/**
 * Writes imported accounts with their owners resolved to members (the owner shown is the member's
 * name; owner_id and the team follow), in the import's transaction.
 */
export async function writeAccountsWithOwners(
  tx: StorageTransaction,
  ws: string,
  rows: Account[],
  onProgress: (done: number, total: number) => void,
): Promise<UpsertResult> {
  const members = await tx.team.listMembers(ws);
  if (members.length === 0) return tx.accounts.upsertMany(ws, rows, { onProgress });
  const ownerOf = new Map<string, MemberRecord | null>();
  const resolved = rows.map((a) => {
    // Reviewed before writing: every non-empty owner names exactly one member.
    const m = a.owner === null ? null : matchOwner(members, a.owner);
    ownerOf.set(a.id, m);
    return m === null ? a : { ...a, owner: m.name };
  });
  const result = await tx.accounts.upsertMany(ws, resolved, { onProgress });
  const groups = new Map<string, { member: MemberRecord | null; ids: string[] }>();
  for (const [accountId, m] of ownerOf) {
    const key = m?.id ?? "";
    const g = groups.get(key) ?? { member: m, ids: [] };
    g.ids.push(accountId);
    groups.set(key, g);
  }
  for (const { member, ids } of groups.values()) {
    if (member !== null)
      await tx.team.assignAccounts(ws, ids, {
        ownerId: member.id,
        ownerName: member.name,
        teamId: member.teamId,
      });
    else await clearOwners(tx, ws, ids);
  }
  return result;
}

/** Accounts imported with an empty owner lose their member but stay in their team's pool. */
async function clearOwners(tx: StorageTransaction, ws: string, ids: readonly string[]): Promise<void> {
  const owned = (await tx.team.ownership(ws, ids)).filter((o) => o.ownerId !== null);
  for (const o of owned)
    await tx.team.assignAccounts(ws, [o.accountId], { ownerId: null, ownerName: null, teamId: o.teamId });
}
