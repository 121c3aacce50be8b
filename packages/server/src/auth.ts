import { type Principal, type Role, TenureError } from "@tenure/core";
import { ACCESS_SETTINGS_KEY, accessSettingsFrom } from "@tenure/services";
import type { Storage, UserWorkspace } from "@tenure/storage";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";
import type { Identity } from "./identity/index";

export { SESSION_COOKIE } from "./identity/index";

export type KeyKind = "admin" | "write" | "read";

/** Header choosing the workspace a signed-in user acts in (else the session's choice, else their first). */
export const WORKSPACE_HEADER = "x-tenure-workspace";

export interface AuthVariables {
  workspaceId: string;
  /**
   * The API key's kind. For a signed-in user: "admin" for an admin, else "read" (what they may change
   * is decided by their role, see `principal`).
   */
  keyKind: KeyKind;
  /** Who the request runs as (issue 16): every check and the audit log read this. */
  principal: Principal;
  /** The signed-in user's session (absent for API keys). */
  session?: { token: string; userId: string; email: string; name: string };
  /**
   * Set by a public changing route (set-up, accepting a link): who acted, in which workspace, on which
   * entity, for its audit row (see AUDIT_PUBLIC in audit.ts).
   */
  auditAs?: { workspaceId: string; actor: Principal["actor"]; entityId?: string };
}

/** The role an API key acts with: admin keys as admins, read keys as viewers. */
const KEY_ROLES: Record<Exclude<KeyKind, "write">, Role> = { admin: "admin", read: "viewer" };

/** Paths under /api reachable without a key or session: health, the OpenAPI document, set-up and links. */
const PUBLIC = new Set([
  "/api/health",
  "/api/openapi.json",
  "/api/setup",
  "/api/invitations/lookup",
  "/api/invitations/accept",
  "/api/password-resets/accept",
  "/api/password-resets/request",
  "/api/sign-in/options",
]);

/** The one non-GET route a viewer may call: switching to another of their workspaces. */
const SWITCH = /^\/api\/workspaces\/[^/]+\/switch$/;

/** better-auth's routes authenticate themselves (sign-in, sign-out, sessions, demo). */
const isAuthRoute = (p: string) => p.startsWith("/api/auth/");

/**
 * The principal of a signed-in user in one of their workspaces: a CSM's book is their team member's
 * accounts; a manager acts on their member's team (none when not linked to a member).
 */
async function userPrincipal(
  storage: Storage,
  membership: UserWorkspace,
  user: { id: string; email: string },
  /** The workspace's access setting as read with the session (null: not read; the checks read it). */
  othersReadable: boolean | null,
): Promise<Principal> {
  // Only a manager's principal depends on the member (their team); no read for the other roles.
  const member =
    membership.memberId === null || membership.role !== "manager"
      ? null
      : await storage.team.getMember(membership.workspaceId, membership.memberId);
  const teamIds =
    membership.role === "manager"
      ? member?.teamId === null || member === null
        ? []
        : [member.teamId]
      : null;
  return {
    workspaceId: membership.workspaceId,
    role: membership.role,
    actor: { type: "user", id: user.id, label: user.email },
    memberId: membership.memberId,
    teamIds,
    ...(othersReadable === null ? {} : { othersReadable }),
  };
}

/**
 * Composition, not HTTP: a function the embedding code (tests) passes to createApp to turn a request
 * into a principal by its own means. No request can install or reach it; when it answers null the
 * session and API key rules below apply.
 */
export type ResolvePrincipal = (c: Context) => Promise<Principal | null> | Principal | null;

/**
 * The one auth middleware: an API key as `Authorization: Bearer <key>`, or the session cookie set by
 * sign-in (better-auth) together with the user's membership of the active workspace. Read keys (and
 * viewers) may only GET; write keys are for the tracking API. Only /api/* is checked here: the
 * tracking API (/v1/*) authenticates write keys itself.
 * No per-process cache of sessions or memberships, by choice: a revoked session, a deactivation or a
 * changed role takes effect at the next request in every process (PostgreSQL deployments run several).
 * A session costs one read (session, user and memberships joined; a manager's team member a second;
 * better-auth's own getSession when the session is due for refresh); docs/benchmarks.md "Sign-in and
 * authorisation" has the measured cost.
 */
export function authMiddleware(storage: Storage, identity: Identity, resolvePrincipal?: ResolvePrincipal) {
  return createMiddleware<{ Variables: AuthVariables }>(async (c, next) => {
    if (!c.req.path.startsWith("/api/") || PUBLIC.has(c.req.path) || isAuthRoute(c.req.path)) return next();
    const injected = resolvePrincipal ? await resolvePrincipal(c) : null;
    if (injected) {
      c.set("workspaceId", injected.workspaceId);
      // What /api/me reports as the key kind; the access middleware and the services hold the
      // principal to its role.
      c.set("keyKind", injected.role === "viewer" ? "read" : "admin");
      c.set("principal", injected);
      return next();
    }
    const header = c.req.header("authorization");
    const key = header?.match(/^Bearer\s+(\S+)$/i)?.[1];
    if (key === undefined) {
      // The access setting with the session: a CSM's account page then reads only the account's book.
      const found = await identity.signedIn(c.req.raw, ACCESS_SETTINGS_KEY);
      if (found === null)
        throw new TenureError("unauthorized", "Sign in, or send an API key as 'Authorization: Bearer <key>'");
      const { signedIn, workspaces, settings } = found;
      const asked = c.req.header(WORKSPACE_HEADER);
      let membership: UserWorkspace | undefined;
      if (asked !== undefined && asked !== "") {
        membership = workspaces.find((w) => w.workspaceId === asked);
        if (membership === undefined)
          throw new TenureError(
            "forbidden",
            `${WORKSPACE_HEADER}: you are not a member of workspace ${asked}`,
          );
      } else {
        membership =
          workspaces.find((w) => w.workspaceId === signedIn.session.activeWorkspaceId) ?? workspaces[0];
      }
      if (membership === undefined)
        throw new TenureError(
          "forbidden",
          "Your account belongs to no workspace yet: ask an admin to add you",
        );
      if (membership.role === "viewer" && c.req.method !== "GET" && !SWITCH.test(c.req.path))
        throw new TenureError("forbidden", "Viewers can only read");
      c.set("workspaceId", membership.workspaceId);
      c.set("keyKind", membership.role === "admin" ? "admin" : "read");
      const readable =
        settings === null ? null : accessSettingsFrom(settings[membership.workspaceId]).csmReadsAllAccounts;
      c.set("principal", await userPrincipal(storage, membership, signedIn.user, readable));
      c.set("session", {
        token: signedIn.session.token,
        userId: signedIn.user.id,
        email: signedIn.user.email,
        name: signedIn.user.name,
      });
      return next();
    }
    const found = await storage.apiKeys.verify(key);
    if (!found) throw new TenureError("unauthorized", "Unknown or revoked API key");
    const kind = found.kind as KeyKind;
    if (found.scope === "tracking") {
      throw new TenureError(
        "forbidden",
        "Tracking keys only send tracking events to /v1; use an admin or read key here",
      );
    }
    if (found.scope === "read" && c.req.method !== "GET") {
      throw new TenureError("forbidden", "This API key is read-only");
    }
    c.set("workspaceId", found.workspaceId);
    c.set("keyKind", kind);
    c.set("principal", {
      workspaceId: found.workspaceId,
      role: KEY_ROLES[found.scope],
      actor: { type: "key", id: found.id, label: found.name || `key ${found.id.slice(0, 8)}` },
      memberId: null,
      // A key limited to one team's book acts on that team's accounts only.
      teamIds: found.teamId === null ? null : [found.teamId],
    });
    return next();
  });
}
