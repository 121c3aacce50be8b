import type { Principal, Role } from "@tenure/core";
import type { Storage } from "@tenure/storage";
import type { Context } from "hono";
import type { ResolvePrincipal } from "../../src/auth";

/** Every caller the access tests try: the four roles, the three API key kinds and no credential. */
export type Caller = Role | "read-key" | "write-key" | "admin-key" | "none";
export const CALLERS: readonly Caller[] = [
  "admin",
  "manager",
  "csm",
  "viewer",
  "admin-key",
  "read-key",
  "write-key",
  "none",
];

/**
 * The one place tests make credentials. Until sessions land, roles come from principals handed to
 * createApp's `resolvePrincipal` (composition, not HTTP) under opaque bearer tokens; API keys are
 * real keys. When sign-in exists, `as` can sign a user in instead and the tests stay as they are.
 */
export class TestCredentials {
  private readonly principals = new Map<string, Principal>();
  private readonly keys = new Map<string, string>();

  /** Pass to createApp({ resolvePrincipal }). Unknown tokens fall through to the API key check. */
  readonly resolvePrincipal: ResolvePrincipal = (c: Context) => {
    const token = c.req.header("authorization")?.match(/^Bearer\s+(\S+)$/i)?.[1];
    return token === undefined ? null : (this.principals.get(token) ?? null);
  };

  constructor(private readonly storage: Storage) {}

  /** Headers that make a request run as `principal`. */
  as(principal: Principal): Record<string, string> {
    const token = `test-principal-${this.principals.size + 1}`;
    this.principals.set(token, principal);
    return { authorization: `Bearer ${token}` };
  }

  /** A principal of `role` in `ws` (a CSM acts as `memberId`; a manager on `teamIds`). */
  role(
    ws: string,
    role: Role,
    book: { memberId?: string | null; teamIds?: string[] | null } = {},
  ): Record<string, string> {
    return this.as({
      workspaceId: ws,
      role,
      actor: { type: "user", id: `test-${role}`, label: `${role}@test` },
      memberId: book.memberId ?? null,
      teamIds: book.teamIds ?? null,
    });
  }

  /** Headers of a real API key of `kind` in `ws` (created once per workspace and kind). */
  async key(ws: string, kind: "admin" | "read" | "write"): Promise<Record<string, string>> {
    const id = `${ws}/${kind}`;
    let key = this.keys.get(id);
    if (key === undefined) {
      key = (await this.storage.apiKeys.create(ws, { name: `test ${kind}`, kind })).key;
      this.keys.set(id, key);
    }
    return { authorization: `Bearer ${key}` };
  }

  /** Headers of `caller` in `ws`; the CSM owns `book.memberId`'s accounts, the manager `book.teamIds`. */
  async caller(
    ws: string,
    caller: Caller,
    book: { memberId: string | null; teamIds: string[] },
  ): Promise<Record<string, string>> {
    switch (caller) {
      case "none":
        return {};
      case "admin-key":
        return this.key(ws, "admin");
      case "read-key":
        return this.key(ws, "read");
      case "write-key":
        return this.key(ws, "write");
      case "admin":
        return this.role(ws, "admin");
      case "manager":
        return this.role(ws, "manager", { teamIds: book.teamIds });
      case "csm":
        return this.role(ws, "csm", { memberId: book.memberId });
      case "viewer":
        return this.role(ws, "viewer");
    }
  }
}
