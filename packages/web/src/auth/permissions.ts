import { type Permission, roleAllows } from "@tenure/core/access";
import { useTranslation } from "react-i18next";
import { useMe } from "./me-context";

/** Whether the signed-in role carries a permission (the server's own role table, core/access). */
export function useCan(): (permission: Permission) => boolean {
  const me = useMe();
  return (permission) => roleAllows(me.role, permission);
}

/** Where an account sits: its owning member and the team whose book holds it (the overview's ownership). */
export interface Ownership {
  ownerId: string | null;
  teamId: string | null;
}

/**
 * Whether the signed-in user may change an account, and if not why, in words for a tooltip: the
 * same rule the server applies (a CSM its own accounts, a manager its teams' books, a viewer nothing).
 */
export function useAccountEdit(ownership: Ownership | undefined): { canEdit: boolean; why: string | null } {
  const { t } = useTranslation();
  const me = useMe();
  if (!roleAllows(me.role, "book.edit")) return { canEdit: false, why: t("access.readOnlyRole") };
  if (ownership === undefined || me.role === "admin") return { canEdit: true, why: null };
  if (me.role === "csm" && ownership.ownerId !== null && ownership.ownerId === me.memberId)
    return { canEdit: true, why: null };
  const teams = me.book.teamIds;
  if (
    me.role === "manager" &&
    (teams === null || (ownership.teamId !== null && teams.includes(ownership.teamId)))
  )
    return { canEdit: true, why: null };
  return { canEdit: false, why: t("access.notYourBook") };
}

/** The book a list opens on: "mine" (a CSM's own accounts), "team" (a manager's teams') or "all". */
export type BookScope = "mine" | "team" | "all";

/**
 * The signed-in user's default book and what it filters by: a CSM opens on its own accounts, a
 * manager with teams on those teams' books, everyone else on the whole workspace. `canWiden`: the
 * user may switch to the whole workspace (a CSM only where the workspace lets CSMs read others').
 */
export function useBook(): {
  scope: BookScope;
  ownerName: string | null;
  memberId: string | null;
  teamIds: readonly string[];
  canWiden: boolean;
} {
  const me = useMe();
  const ownerName = me.book.ownerName;
  const teamIds = me.book.teamIds ?? [];
  const scope: BookScope =
    me.role === "csm" && ownerName !== null
      ? "mine"
      : me.role === "manager" && teamIds.length > 0
        ? "team"
        : "all";
  return { scope, ownerName, memberId: me.memberId, teamIds, canWiden: me.book.othersReadable };
}
