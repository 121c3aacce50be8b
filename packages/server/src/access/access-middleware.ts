import { TenureError } from "@tenure/core";
import { assertCan, assertCanOnAccount, recordAccount } from "@tenure/services";
import type { Storage } from "@tenure/storage";
import { createMiddleware } from "hono/factory";
import { TrieRouter } from "hono/router/trie-router";
import type { AuthVariables } from "../auth";
import { type AccountRef, ROUTE_RULES, type RouteRule } from "./route-rules";

/** "GET /api/accounts/{id}" → ["GET", "/api/accounts/:id"] (Hono's pattern syntax). */
export function honoPattern(key: string): [string, string] {
  const [method = "", path = ""] = key.split(" ");
  return [method, path.replace(/\{([^}]+)\}/g, ":$1")];
}

/** "/api/accounts/:id" → "/api/accounts/{id}" (the rule table's, and OpenAPI's, syntax). */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");

type Params = Record<string, string>;

/** Finds a request's rule by its route pattern (Hono's trie router, so `{id}` matches one segment). */
export function ruleMatcher(rules: Record<string, RouteRule> = ROUTE_RULES) {
  const router = new TrieRouter<RouteRule>();
  for (const [key, rule] of Object.entries(rules)) {
    const [method, path] = honoPattern(key);
    router.add(method, path, rule);
  }
  return (method: string, path: string): { rule: RouteRule; params: Params } | null => {
    const [hit] = router.match(method === "HEAD" ? "GET" : method, path)[0];
    return hit === undefined ? null : { rule: hit[0], params: hit[1] as Params };
  };
}

/** The routes the app serves (method + pattern), so that an unknown path stays a plain 404. */
export type RouteList = () => readonly { method: string; path: string }[];

/**
 * The one access check of every request, right after auth: the route's rule from ROUTE_RULES, the
 * role's permission (core/access) and, for account-scoped routes, the principal's book (the same
 * `assertCan` the services call). Fail closed: a served route with no rule answers 403.
 */
export function accessMiddleware(storage: Storage, routes: RouteList) {
  const match = ruleMatcher();
  let served: TrieRouter<true> | null = null;
  const isServed = (method: string, path: string) => {
    if (served === null) {
      served = new TrieRouter<true>();
      // Middleware and catch-alls (the web app's `GET *`, /v1's 404s) are no routes of their own.
      for (const r of routes())
        if (r.method !== "ALL" && !r.path.includes("*")) served.add(r.method, r.path, true);
    }
    return served.match(method === "HEAD" ? "GET" : method, path)[0].length > 0;
  };
  return createMiddleware<{ Variables: AuthVariables }>(async (c, next) => {
    const path = c.req.path;
    if (!(path.startsWith("/api/") || path.startsWith("/v1/"))) return next();
    const found = match(c.req.method, path);
    // /v1 authenticates every call's write key itself (and answers other methods with its own 405).
    if (found === null && path.startsWith("/v1/")) return next();
    if (found === null) {
      if (!isServed(c.req.method, path)) return next();
      throw new TenureError("forbidden", `no access rule for ${c.req.method} ${path}`);
    }
    const { rule, params } = found;
    if (rule === "public" || rule === "tracking") return next();
    const principal = c.get("principal");
    if (principal === undefined) throw new TenureError("unauthorized", "Sign in to use this route");
    assertCan(principal, rule.permission);
    if (rule.account !== undefined) {
      const target = await accountOf(c.req, storage, principal.workspaceId, rule.account, params);
      if (target !== null) {
        await assertCanOnAccount(storage, principal, rule.permission, target.accountId, {
          assigneeId: target.assigneeId,
        });
      }
    }
    return next();
  });
}

/** The account a request acts on, or null when it names none the workspace has (the route's 404/400). */
async function accountOf(
  req: { json: () => Promise<unknown> },
  storage: Storage,
  ws: string,
  ref: AccountRef,
  params: Params,
): Promise<{ accountId: string; assigneeId?: string | null } | null> {
  if ("record" in ref) {
    const id = params[ref.param];
    return id === undefined ? null : recordAccount(storage, ws, ref.record, decoded(id));
  }
  if ("param" in ref) {
    const id = params[ref.param];
    if (id === undefined) return null;
    return (await storage.accounts.get(ws, decoded(id))) === null ? null : { accountId: decoded(id) };
  }
  // Hono caches the parsed body, so the route's validator reads it again; bad JSON is its 400.
  const body = await req.json().catch(() => null);
  const id =
    body !== null && typeof body === "object" ? (body as Record<string, unknown>)[ref.body] : undefined;
  return typeof id === "string" ? { accountId: id } : null;
}

/** A path parameter as the route reads it (Hono decodes them); a malformed escape stays as sent. */
function decoded(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
