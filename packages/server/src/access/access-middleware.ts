import { TenureError } from "@tenure/core";
import { assertCan, assertCanOnAccount, recordAccount } from "@tenure/services";
import type { Storage } from "@tenure/storage";
import { createMiddleware } from "hono/factory";
import { TrieRouter } from "hono/router/trie-router";
import type { AuthVariables } from "../auth";
import { type AccountRef, ROUTE_RULES, type RouteRule } from "./route-rules";

/** "/api/accounts/:id" → "/api/accounts/{id}" (the rule table's, and OpenAPI's, syntax). */
export const openApiPath = (path: string) => path.replace(/:([A-Za-z0-9_]+)/g, "{$1}");

type Params = Record<string, string>;

/** The routes the app serves (method + pattern), in the order they were registered. */
export type RouteList = () => readonly { method: string; path: string }[];

/**
 * Finds the route a request reaches, as Hono does (its trie router; the first registered route that
 * matches wins, so `/deliveries/settings` is not `/deliveries/{id}`), and that route's rule: undefined
 * when the table has none. Null when no route serves the path (a plain 404 follows).
 */
export function routeMatcher(routes: RouteList, rules: Record<string, RouteRule> = ROUTE_RULES) {
  let router: TrieRouter<string> | null = null;
  return (
    method: string,
    path: string,
  ): { key: string; rule: RouteRule | undefined; params: Params } | null => {
    if (router === null) {
      router = new TrieRouter<string>();
      // Middleware and catch-alls (the web app's `GET *`, /v1's 404 and 405) are no routes of their own.
      for (const r of routes()) {
        if (r.method !== "ALL" && !r.path.includes("*"))
          router.add(r.method, r.path, `${r.method} ${openApiPath(r.path)}`);
      }
    }
    const [hit] = router.match(method === "HEAD" ? "GET" : method, path)[0];
    return hit === undefined ? null : { key: hit[0], rule: rules[hit[0]], params: hit[1] as Params };
  };
}

/**
 * The one access check of every request, right after auth: the route's rule from ROUTE_RULES, the
 * role's permission (core/access) and, for account-scoped routes, the principal's book (the same
 * `assertCan` the services call). Fail closed: a served route with no rule answers 403.
 */
export function accessMiddleware(storage: Storage, routes: RouteList) {
  const match = routeMatcher(routes);
  return createMiddleware<{ Variables: AuthVariables }>(async (c, next) => {
    const path = c.req.path;
    if (!(path.startsWith("/api/") || path.startsWith("/v1/"))) return next();
    const found = match(c.req.method, path);
    // No route: the app's JSON 404 (or /v1's own 404 and 405: it authenticates its write keys itself).
    if (found === null) return next();
    const { rule, params } = found;
    if (rule === undefined) throw new TenureError("forbidden", `no access rule for ${c.req.method} ${path}`);
    if (rule === "public" || rule === "tracking") return next();
    const principal = c.get("principal");
    if (principal === undefined) throw new TenureError("unauthorized", "Sign in to use this route");
    assertCan(principal, rule.permission);
    const ref = rule.account;
    // No account, or one whose route's service checks the book on its own read of the account.
    if (ref === undefined || ("checkedByService" in ref && ref.checkedByService === true)) return next();
    const check = async () => {
      const target = await accountOf(c.req, storage, principal.workspaceId, ref, params);
      if (target !== null) {
        await assertCanOnAccount(storage, principal, rule.permission, target.accountId, {
          assigneeId: target.assigneeId,
        });
      }
    };
    if (c.req.method !== "GET" || rule.permission !== "read") {
      await check();
      return next();
    }
    // A read of one account (the account page, on every request) is checked while the route reads:
    // on PostgreSQL the check's reads (the workspace's setting, the account's book) would otherwise add
    // their round trips to every page. GET routes change nothing, nothing is sent before both finish,
    // and a refusal replaces whatever the route answered (Hono's error handler sets the response).
    const refused = check().then(
      () => null,
      (e: unknown) => e,
    );
    await next();
    const error = await refused;
    if (error !== null) throw error;
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
  // An id no route accepts (a NUL, which PostgreSQL refuses in text) is the route's 400, not a lookup.
  const usable = (id: string | undefined): id is string => id !== undefined && !id.includes("\u0000");
  if ("record" in ref) {
    const id = params[ref.param];
    return usable(id) && usable(decoded(id)) ? recordAccount(storage, ws, ref.record, decoded(id)) : null;
  }
  if ("param" in ref) {
    const id = params[ref.param];
    if (!usable(id) || !usable(decoded(id))) return null;
    // An account the workspace does not have has no book: the check passes it to the route's 404.
    return { accountId: decoded(id) };
  }
  // Hono caches the parsed body, so the route's validator reads it again; bad JSON is its 400.
  const body = await req.json().catch(() => null);
  const id =
    body !== null && typeof body === "object" ? (body as Record<string, unknown>)[ref.body] : undefined;
  return typeof id === "string" && usable(id) ? { accountId: id } : null;
}

/** A path parameter as the route reads it (Hono decodes them); a malformed escape stays as sent. */
function decoded(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
