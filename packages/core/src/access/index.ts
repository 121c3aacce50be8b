/**
 * Who may do what (issue 16): roles, permissions and the principal every request and command runs
 * as. Pure: no I/O. The server builds a Principal from a session or an API key; services check it.
 */

/** A user's role in one workspace. */
export type Role = "admin" | "manager" | "csm" | "viewer";
export const ROLES: readonly Role[] = ["admin", "manager", "csm", "viewer"];

/**
 * What a request may need. `read` reads accounts and reports; `book.edit` changes an account in the
 * principal's book (notes, tasks, stages, success plans, signal acknowledgements, owners within it);
 * `library.manage` playbooks, automations, scorecards and signal rules; `team.manage` members and teams;
 * `data.import` imports and exchange rates; `settings` workspace settings and integrations;
 * `users.manage`, `keys.manage`, `audit.read` admin only.
 */
export type Permission =
  | "read"
  | "book.edit"
  | "library.manage"
  | "team.manage"
  | "data.import"
  | "settings"
  | "users.manage"
  | "keys.manage"
  | "audit.read";

export const PERMISSIONS: readonly Permission[] = [
  "read",
  "book.edit",
  "library.manage",
  "team.manage",
  "data.import",
  "settings",
  "users.manage",
  "keys.manage",
  "audit.read",
];

const GRANTS: Record<Role, ReadonlySet<Permission>> = {
  admin: new Set(PERMISSIONS),
  manager: new Set<Permission>(["read", "book.edit", "library.manage", "team.manage"]),
  csm: new Set<Permission>(["read", "book.edit"]),
  viewer: new Set<Permission>(["read"]),
};

/** Whether a role carries a permission (before any book scoping). */
export function roleAllows(role: Role, permission: Permission): boolean {
  return GRANTS[role].has(permission);
}

/** Who is acting, for the audit log: a signed-in user, an API key, or the system (CLI, worker). */
export interface Actor {
  type: "user" | "key" | "system";
  id: string;
  /** What a person reads in the audit log: the user's email, the key's name, "cli". */
  label: string;
}

/**
 * The identity a request or command runs as, in one workspace.
 * `memberId`: the team member this user is (a CSM's own book is the accounts this member owns).
 * `teamIds`: null for the whole workspace; else the teams whose books a manager (or a team-scoped
 * key) may act on.
 */
export interface Principal {
  workspaceId: string;
  role: Role;
  actor: Actor;
  memberId: string | null;
  teamIds: readonly string[] | null;
  /**
   * Whether the workspace lets CSMs read accounts outside their book, when it was read with the
   * principal (a session's one read, this request); absent = the checks read the setting themselves.
   */
  othersReadable?: boolean;
}

/** The principal of the CLI and background work run by the operator: admin of one workspace. */
export function systemPrincipal(workspaceId: string, label = "system"): Principal {
  return {
    workspaceId,
    role: "admin",
    actor: { type: "system", id: label, label },
    memberId: null,
    teamIds: null,
  };
}
