import { TenureError } from "@tenure/core";
import type { Storage } from "@tenure/storage";

/** How long a verified write key is trusted without asking the database (revocation delay). */
const TTL_MS = 60_000;

/** The write key of a request: HTTP Basic user name (Segment's way), or a Bearer token. */
export function writeKeyFromHeader(authorization: string | undefined): string | null {
  if (!authorization) return null;
  const basic = /^Basic\s+(\S+)$/i.exec(authorization)?.[1];
  if (basic !== undefined) {
    const decoded = Buffer.from(basic, "base64").toString("utf8");
    const user = decoded.split(":")[0] ?? "";
    return user === "" ? null : user;
  }
  return /^Bearer\s+(\S+)$/i.exec(authorization)?.[1] ?? null;
}

/**
 * Resolves write keys to workspaces. Verified keys are cached for a minute so the hot path does
 * not read (and update last_used_at of) api_keys on every request.
 */
export class WriteKeys {
  private readonly cache = new Map<string, { workspaceId: string; until: number }>();

  constructor(private readonly storage: Storage) {}

  /** The workspace of a write key; throws unauthorized/forbidden otherwise. */
  async workspaceOf(key: string | null): Promise<string> {
    if (key === null)
      throw new TenureError(
        "unauthorized",
        "Send the write key as the HTTP Basic user name (empty password) or as writeKey in the body",
      );
    const now = Date.now();
    const hit = this.cache.get(key);
    if (hit !== undefined && hit.until > now) return hit.workspaceId;
    const found = await this.storage.apiKeys.verify(key);
    if (found === null) throw new TenureError("unauthorized", "Unknown, revoked or expired write key");
    if (found.kind !== "write")
      throw new TenureError(
        "forbidden",
        "The tracking API takes tracking keys: `tenure keys create --scope tracking`",
      );
    if (this.cache.size > 10_000) this.cache.clear();
    this.cache.set(key, { workspaceId: found.workspaceId, until: now + TTL_MS });
    return found.workspaceId;
  }
}
