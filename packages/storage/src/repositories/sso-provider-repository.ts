import { randomUUID } from "node:crypto";
import type { AuthSsoProviderTable } from "../schema";
import type { MembershipRole } from "./identity-repository";
import { nowIso, type RepositoryContext } from "./repository-context";

/**
 * A workspace's OpenID Connect provider as Tenure shows it: never the client secret, only whether
 * one is stored.
 */
export interface SsoProviderRecord {
  workspaceId: string;
  /** better-auth's provider id, in the callback URL `/api/auth/sso/callback/<providerId>`. */
  providerId: string;
  issuer: string;
  clientId: string;
  clientSecretSet: boolean;
  /** Lower-case email domains the provider serves. */
  domains: string[];
  /** What a person who signs in without an invitation gets; null = refused. */
  defaultRole: MembershipRole | null;
  updatedBy: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface SsoProviderInput {
  providerId: string;
  issuer: string;
  /** better-auth's OIDC config (client id and secret, endpoints, scopes), stored as JSON. */
  oidcConfig: { clientId: string; clientSecret: string } & Record<string, unknown>;
  domains: string[];
  defaultRole: MembershipRole | null;
  /** The admin saving it (the plugin's owner column); null for an API key. */
  userId: string | null;
}

/** The OIDC providers better-auth's SSO plugin signs people in with, one per workspace. */
export interface SsoProviderRepository {
  get(workspaceId: string): Promise<SsoProviderRecord | null>;
  byProviderId(providerId: string): Promise<SsoProviderRecord | null>;
  /** The stored client secret, for keeping it when an update leaves it out; never for an answer. */
  clientSecret(workspaceId: string): Promise<string | null>;
  /** Creates or replaces the workspace's provider. */
  put(workspaceId: string, input: SsoProviderInput): Promise<SsoProviderRecord>;
  /** Removes it; false when there was none. */
  remove(workspaceId: string): Promise<boolean>;
  /** Every provider of the instance (few: one per workspace at most). */
  list(): Promise<SsoProviderRecord[]>;
}

export function createSsoProviderRepository(ctx: RepositoryContext): SsoProviderRepository {
  const { adapter } = ctx;
  const config = (r: AuthSsoProviderTable) => adapter.decodeJson(r.oidc_config) as Record<string, unknown>;
  const toRecord = (r: AuthSsoProviderTable): SsoProviderRecord => {
    const c = config(r);
    return {
      workspaceId: r.workspace_id,
      providerId: r.provider_id,
      issuer: r.issuer,
      clientId: typeof c.clientId === "string" ? c.clientId : "",
      clientSecretSet: typeof c.clientSecret === "string" && c.clientSecret !== "",
      domains: r.domain.split(",").filter((d) => d !== ""),
      defaultRole: r.default_role as MembershipRole | null,
      updatedBy: r.user_id,
      createdAt: r.created_at,
      updatedAt: r.updated_at,
    };
  };
  const row = (workspaceId: string) =>
    ctx.db
      .selectFrom("auth_sso_providers")
      .selectAll()
      .where("workspace_id", "=", workspaceId)
      .executeTakeFirst();
  const repo: SsoProviderRepository = {
    async get(workspaceId) {
      const r = await row(workspaceId);
      return r === undefined ? null : toRecord(r);
    },
    async byProviderId(providerId) {
      const r = await ctx.db
        .selectFrom("auth_sso_providers")
        .selectAll()
        .where("provider_id", "=", providerId)
        .executeTakeFirst();
      return r === undefined ? null : toRecord(r);
    },
    async clientSecret(workspaceId) {
      const r = await row(workspaceId);
      if (r === undefined) return null;
      const secret = config(r).clientSecret;
      return typeof secret === "string" ? secret : null;
    },
    async put(workspaceId, input) {
      const now = nowIso();
      const values = {
        provider_id: input.providerId,
        issuer: input.issuer,
        oidc_config: JSON.stringify(input.oidcConfig),
        domain: input.domains.join(","),
        // Tenure's admin asserts the domains when saving: better-auth then links a sign-in to an
        // existing user with that email (only for emails in these domains).
        domain_verified: adapter.encodeBoolean(true),
        default_role: input.defaultRole,
        user_id: input.userId,
        updated_at: now,
      };
      const existing = await row(workspaceId);
      if (existing === undefined)
        await ctx.db
          .insertInto("auth_sso_providers")
          .values({
            id: randomUUID(),
            workspace_id: workspaceId,
            saml_config: null,
            organization_id: null,
            created_at: now,
            ...values,
          })
          .execute();
      else
        await ctx.db
          .updateTable("auth_sso_providers")
          .set(values)
          .where("workspace_id", "=", workspaceId)
          .execute();
      const stored = await repo.get(workspaceId);
      if (stored === null) throw new Error(`SSO provider of ${workspaceId} vanished after write`);
      return stored;
    },
    async remove(workspaceId) {
      const result = await ctx.db
        .deleteFrom("auth_sso_providers")
        .where("workspace_id", "=", workspaceId)
        .executeTakeFirst();
      return Number(result.numDeletedRows) > 0;
    },
    async list() {
      const rows = await ctx.db
        .selectFrom("auth_sso_providers")
        .selectAll()
        .orderBy("workspace_id")
        .execute();
      return rows.map(toRecord);
    },
  };
  return repo;
}
