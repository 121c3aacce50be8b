import { type Permission, roleAllows } from "@tenure/core";
import type { RouteRule } from "../../src/access/index";
import { openApiPath } from "../../src/access/index";
import type { createApp } from "../../src/app";
import type { Caller } from "./credentials";

/** The served routes (method + OpenAPI-style path), from the app itself. */
export const servedRoutes = (app: ReturnType<typeof createApp>) => [
  ...new Set(
    app.routes
      .filter((r) => r.method !== "ALL" && (r.path.startsWith("/api/") || r.path.startsWith("/v1/")))
      .map((r) => `${r.method} ${openApiPath(r.path)}`),
  ),
];

/** What `caller` may do under `rule` (before book scoping). */
export function allowed(rule: RouteRule, caller: Caller, method: string): boolean {
  if (rule === "public") return true;
  if (rule === "tracking") return caller === "write-key";
  const role = (
    { admin: "admin", "admin-key": "admin", manager: "manager", csm: "csm", viewer: "viewer" } as const
  )[caller as "admin"];
  if (caller === "read-key") return method === "GET" && roleAllows("viewer", rule.permission);
  if (role === undefined) return false;
  return roleAllows(role, rule.permission as Permission);
}

/**
 * The request a route-table key (`POST /api/accounts/{id}/timeline`) is walked with: account routes
 * on `account`, the workspace switch on `workspace`, every other id one that does not exist.
 */
export function urlOf(key: string, account: string, workspace: string): { method: string; url: string } {
  const [method = "", path = ""] = key.split(" ");
  const url = path
    .replace(
      "{id}",
      path.startsWith("/api/accounts/")
        ? account
        : path.startsWith("/api/workspaces/")
          ? workspace
          : "no-such-id",
    )
    .replace("{kind}", "accounts")
    .replace("{table}", "accounts")
    .replace("{endpoint}", "track")
    .replace("{quarter}", "2026-Q4")
    .replace(/\{[^}]+\}/g, "no-such-id");
  return { method, url };
}
