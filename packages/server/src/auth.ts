import { type Principal, type Role, TenureError } from "@tenure/core";
import type { Storage } from "@tenure/storage";
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";

export const SESSION_COOKIE = "tenure_session";

export type KeyKind = "admin" | "write" | "read";

export interface AuthVariables {
  workspaceId: string;
  keyKind: KeyKind;
  /** Who the request runs as (issue 16): every check and the audit log read this. */
  principal: Principal;
}

/** The role an API key acts with: admin keys as admins, read keys as viewers. */
const KEY_ROLES: Record<Exclude<KeyKind, "write">, Role> = { admin: "admin", read: "viewer" };

/** Paths under /api reachable without a key: health, the OpenAPI document and sign-in. */
const PUBLIC = new Set([
  "/api/health",
  "/api/openapi.json",
  "/api/auth/login",
  "/api/auth/demo",
  "/api/auth/logout",
]);

/**
 * The one auth middleware: an API key as `Authorization: Bearer <key>` or in the session cookie
 * set by sign-in. Read keys may only GET; write keys are for the tracking API, not this one.
 * Only /api/* is checked here: the tracking API (/v1/*) authenticates write keys itself.
 */
/**
 * Composition, not HTTP: a function the embedding code (tests, until sessions land) passes to
 * createApp to turn a request into a principal by its own means. No request can install or reach it;
 * when it answers null the API key rules below apply.
 */
export type ResolvePrincipal = (c: Context) => Promise<Principal | null> | Principal | null;

export function authMiddleware(storage: Storage, resolvePrincipal?: ResolvePrincipal) {
  return createMiddleware<{ Variables: AuthVariables }>(async (c, next) => {
    if (!c.req.path.startsWith("/api/") || PUBLIC.has(c.req.path)) return next();
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
    const key = header?.match(/^Bearer\s+(\S+)$/i)?.[1] ?? getCookie(c, SESSION_COOKIE);
    if (!key)
      throw new TenureError("unauthorized", "Sign in: send an API key as 'Authorization: Bearer <key>'");
    const found = await storage.apiKeys.verify(key);
    if (!found) throw new TenureError("unauthorized", "Unknown or revoked API key");
    const kind = found.kind as KeyKind;
    if (kind === "write") {
      throw new TenureError(
        "forbidden",
        "Write keys only send tracking events; use an admin or read key here",
      );
    }
    if (kind === "read" && c.req.method !== "GET") {
      throw new TenureError("forbidden", "This API key is read-only");
    }
    c.set("workspaceId", found.workspaceId);
    c.set("keyKind", kind);
    c.set("principal", {
      workspaceId: found.workspaceId,
      role: KEY_ROLES[kind],
      actor: { type: "key", id: found.id, label: `key ${found.id.slice(0, 8)}` },
      memberId: null,
      teamIds: null,
    });
    return next();
  });
}
