import { createHash } from "node:crypto";
import { DiscoveryError, discoverOIDCConfig } from "@better-auth/sso";
import { TenureError } from "@tenure/core";
import type { SsoProviderRecord, Storage } from "@tenure/storage";
import { SSO_SCOPES } from "./sso";

/** How long saving waits for the provider's discovery document. */
const DISCOVERY_TIMEOUT_MS = 5000;

/** The roles a person signing in by SSO without an invitation may get (never admin or manager). */
export type SsoDefaultRole = "viewer" | "csm";

/** What an admin sets in Settings → Sign-in (SSO). */
export interface SsoSettingsInput {
  issuer: string;
  clientId: string;
  /** Required the first time; left out, the stored one is kept. */
  clientSecret?: string | undefined;
  domains: string[];
  defaultRole: SsoDefaultRole | null;
}

/** The provider as the settings page shows it: never the client secret. */
export interface SsoSettingsView {
  issuer: string;
  clientId: string;
  clientSecretSet: boolean;
  domains: string[];
  defaultRole: SsoDefaultRole | null;
  updatedAt: string;
}

/** The provider id of a workspace (stable, so the redirect URI can be registered before saving). */
export function ssoProviderId(workspaceId: string): string {
  return `sso_${createHash("sha256").update(workspaceId).digest("hex").slice(0, 16)}`;
}

/** The redirect URI to register at the identity provider. */
export function ssoRedirectUri(base: string, workspaceId: string): string {
  return `${base.replace(/\/$/, "")}/api/auth/sso/callback/${ssoProviderId(workspaceId)}`;
}

/** The stored provider without its secret. */
export function ssoView(p: SsoProviderRecord): SsoSettingsView {
  return {
    issuer: p.issuer,
    clientId: p.clientId,
    clientSecretSet: p.clientSecretSet,
    domains: p.domains,
    defaultRole: p.defaultRole === "viewer" || p.defaultRole === "csm" ? p.defaultRole : null,
    updatedAt: p.updatedAt,
  };
}

const DOMAIN =
  /^(?=.{1,253}$)[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$/;

/** Checks and normalises the email domains; the message names the field. */
function checkDomains(domains: string[]): string[] {
  const normal = [...new Set(domains.map((d) => d.trim().toLowerCase().replace(/^@/, "")))];
  if (normal.length === 0) throw new TenureError("validation", "domains: at least one email domain");
  const bad = normal.find((d) => !DOMAIN.test(d));
  if (bad !== undefined) throw new TenureError("validation", `domains: "${bad}" is not an email domain`);
  return normal;
}

/** Checks the issuer URL: http(s), no query or fragment (OpenID Connect Discovery §3). */
function checkIssuer(issuer: string): string {
  let url: URL;
  try {
    url = new URL(issuer.trim());
  } catch {
    throw new TenureError("validation", "issuer: not a URL");
  }
  if ((url.protocol !== "https:" && url.protocol !== "http:") || url.search !== "" || url.hash !== "")
    throw new TenureError("validation", "issuer: an http(s) URL without query or fragment");
  return issuer.trim();
}

/**
 * Saves a workspace's OIDC provider. The issuer's discovery document is read first (so a wrong
 * issuer is a 400 now, not a failed sign-in later) and its endpoints are stored with the client.
 * Only the issuer's own origin is trusted for those endpoints, as at sign-in.
 */
export async function saveSsoSettings(
  storage: Storage,
  workspaceId: string,
  input: SsoSettingsInput,
  userId: string | null,
): Promise<SsoSettingsView> {
  const issuer = checkIssuer(input.issuer);
  const domains = checkDomains(input.domains);
  const clientId = input.clientId.trim();
  if (clientId === "") throw new TenureError("validation", "clientId: required");
  const clientSecret = input.clientSecret ?? (await storage.ssoProviders.clientSecret(workspaceId));
  if (clientSecret === null || clientSecret === "")
    throw new TenureError("validation", "clientSecret: required when single sign-on is first set up");
  for (const other of await storage.ssoProviders.list()) {
    if (other.workspaceId === workspaceId) continue;
    const taken = domains.find((d) => other.domains.includes(d));
    if (taken !== undefined)
      throw new TenureError(
        "conflict",
        `domains: ${taken} is already served by another workspace's single sign-on`,
      );
  }
  const issuerOrigin = new URL(issuer).origin;
  let discovered: Awaited<ReturnType<typeof discoverOIDCConfig>>;
  try {
    discovered = await discoverOIDCConfig({
      issuer,
      timeout: DISCOVERY_TIMEOUT_MS,
      isTrustedOrigin: (url) => {
        try {
          return new URL(url).origin === issuerOrigin;
        } catch {
          return false;
        }
      },
    });
  } catch (err) {
    if (err instanceof DiscoveryError)
      throw new TenureError(
        "validation",
        `issuer: the provider's discovery document could not be used (${err.message})`,
      );
    throw new TenureError("validation", "issuer: the provider's discovery document could not be read");
  }
  const stored = await storage.ssoProviders.put(workspaceId, {
    providerId: ssoProviderId(workspaceId),
    issuer,
    oidcConfig: {
      issuer,
      clientId,
      clientSecret,
      pkce: true,
      scopes: SSO_SCOPES,
      discoveryEndpoint: discovered.discoveryEndpoint,
      authorizationEndpoint: discovered.authorizationEndpoint,
      tokenEndpoint: discovered.tokenEndpoint,
      jwksEndpoint: discovered.jwksEndpoint,
      userInfoEndpoint: discovered.userInfoEndpoint,
      tokenEndpointAuthentication: discovered.tokenEndpointAuthentication,
    },
    domains,
    defaultRole: input.defaultRole,
    userId,
  });
  return ssoView(stored);
}
