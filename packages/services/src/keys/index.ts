import { type Principal, TenureError } from "@tenure/core";
import { type ApiKeyInfo, type ApiKeyScope, apiKeyScopeOf, type Storage } from "@tenure/storage";

/**
 * The one admin check of issue 16's keys and audit log, until the route rule table replaces it:
 * only an admin manages keys and reads the audit log.
 */
export function requireAdmin(principal: Principal, what: string): void {
  if (principal.role !== "admin") throw new TenureError("forbidden", `Only an admin may ${what}`);
}

/** "24h", "30m", "90s", "7d" or "0" as milliseconds; throws a validation error naming `field`. */
export function parseOverlap(text: string, field = "overlap"): number {
  const m = /^(\d{1,6})\s*([smhd]?)$/.exec(text.trim());
  if (m === null)
    throw new TenureError(
      "validation",
      `${field} must be a duration such as 24h, 30m, 7d or 0, got "${text}"`,
    );
  const unit = { "": 1000, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[
    m[2] as "" | "s" | "m" | "h" | "d"
  ];
  const ms = Number(m[1]) * unit;
  if (ms > 30 * 86_400_000) throw new TenureError("validation", `${field} may be at most 30d, got "${text}"`);
  return ms;
}

/** The scope of a user-typed scope (or legacy kind); throws a validation error naming `field`. */
export function parseScope(text: string, field = "scope"): ApiKeyScope {
  const scope = apiKeyScopeOf(text);
  if (scope === null)
    throw new TenureError("validation", `${field} must be one of tracking, read, admin, got "${text}"`);
  return scope;
}

/** Creates a key; a team-limited key needs the team to exist. The key is in the answer once. */
export async function createKey(
  storage: Storage,
  principal: Principal,
  input: { scope: ApiKeyScope; name?: string; teamId?: string | null },
): Promise<{ key: string; info: ApiKeyInfo }> {
  requireAdmin(principal, "create API keys");
  const ws = principal.workspaceId;
  const teamId = input.teamId ?? null;
  if (teamId !== null && (await storage.team.getTeam(ws, teamId)) === null)
    throw new TenureError(
      "validation",
      `team: no team "${teamId}" in this workspace (tenure team list shows them)`,
    );
  const created = await storage.apiKeys.create(ws, {
    name: input.name?.trim() || `${input.scope} key`,
    scope: input.scope,
    teamId,
  });
  return { key: created.key, info: created.info };
}

export async function listKeys(storage: Storage, principal: Principal): Promise<ApiKeyInfo[]> {
  requireAdmin(principal, "list API keys");
  return storage.apiKeys.list(principal.workspaceId);
}

/** Replaces a key; the old one keeps working `overlapMs`. Unknown, revoked or expired ids are not_found. */
export async function rotateKey(
  storage: Storage,
  principal: Principal,
  id: string,
  overlapMs: number,
): Promise<{ key: string; info: ApiKeyInfo; previous: ApiKeyInfo }> {
  requireAdmin(principal, "rotate API keys");
  const rotated = await storage.apiKeys.rotate(principal.workspaceId, id, overlapMs);
  if (rotated === null)
    throw new TenureError("not_found", `No active API key with id "${id}"; nothing was rotated`);
  return { key: rotated.key, info: rotated.info, previous: rotated.previous };
}

/** Revokes a key at once; an unknown or already revoked id is not_found (a typo never reads as done). */
export async function revokeKey(storage: Storage, principal: Principal, id: string): Promise<ApiKeyInfo> {
  requireAdmin(principal, "revoke API keys");
  const ws = principal.workspaceId;
  if (!(await storage.apiKeys.revoke(ws, id))) {
    const known = await storage.apiKeys.get(ws, id);
    throw new TenureError(
      "not_found",
      known !== null
        ? `API key ${id} was already revoked (at ${known.revokedAt}); nothing changed`
        : `No API key with id "${id}" in workspace "${ws}"; nothing was revoked`,
    );
  }
  return (await storage.apiKeys.get(ws, id)) as ApiKeyInfo;
}
