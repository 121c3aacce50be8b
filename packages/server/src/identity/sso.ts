import { sso } from "@better-auth/sso";
import type { MembershipRole, SsoProviderRecord, Storage } from "@tenure/storage";
import { APIError } from "better-auth/api";

/** The OIDC scopes Tenure asks for: who the person is and their email, no refresh token. */
export const SSO_SCOPES = ["openid", "email", "profile"];

/** better-auth's SSO paths Tenure serves: starting a sign-in, and the provider's return. */
const SSO_PATH = /^\/api\/auth\/(?:sign-in\/sso|sso\/callback\/[^/]+)$/;

/**
 * Whether a /api/auth path is one of the plugin's that Tenure serves. The others (registering,
 * listing or changing providers, SAML, domain verification) would let any signed-in user add an
 * identity provider: providers are set by admins through /api/settings/sso instead.
 */
export function isServedAuthPath(pathname: string): boolean {
  return !pathname.startsWith("/api/auth/sso/") || SSO_PATH.test(pathname);
}

/** Whether a request is part of an SSO sign-in (its server-side calls reach the provider's origin). */
export function isSsoPath(pathname: string): boolean {
  return SSO_PATH.test(pathname);
}

/** The origin of every configured issuer: better-auth fetches discovery, tokens and keys only from trusted origins. */
export async function issuerOrigins(storage: Storage): Promise<string[]> {
  return (await storage.ssoProviders.list()).flatMap((p) => {
    try {
      return [new URL(p.issuer).origin];
    } catch {
      return [];
    }
  });
}

/** Why an SSO sign-in is refused: a stable code (in the redirect's `error`) and a message for the person. */
export interface SsoRefusal {
  code: "sso_unknown_provider" | "sso_wrong_domain" | "sso_not_invited" | "sso_other_workspace";
  message: string;
}

/** What an admitted SSO sign-in gives: nothing new (already a member), or a membership to create. */
export type SsoAdmission =
  | {
      ok: true;
      provider: SsoProviderRecord;
      grant: { role: MembershipRole; memberId: string | null; inviteId: string | null } | null;
    }
  | { ok: false; refusal: SsoRefusal };

const refuse = (code: SsoRefusal["code"], message: string): SsoAdmission => ({
  ok: false,
  refusal: { code, message },
});

/**
 * Who may sign in through a workspace's provider: an email of one of its domains; an existing user
 * only when every workspace they belong to is this one (a workspace's identity provider cannot vouch
 * for another workspace's people); a newcomer only when invited, or when the workspace gives a
 * default role to people of its domains.
 */
export async function admitSsoSignIn(
  storage: Storage,
  providerId: string,
  email: string,
  userId: string | null,
): Promise<SsoAdmission> {
  const provider = await storage.ssoProviders.byProviderId(providerId);
  if (provider === null)
    return refuse("sso_unknown_provider", "This single sign-on is no longer configured: ask an admin");
  const normal = email.trim().toLowerCase();
  const domain = normal.split("@")[1] ?? "";
  if (!provider.domains.includes(domain))
    return refuse(
      "sso_wrong_domain",
      `Your identity provider signed you in as ${normal}, whose domain this workspace's single sign-on does not serve`,
    );
  if (userId !== null) {
    const memberships = await storage.memberships.listForUser(userId);
    if (memberships.some((m) => m.workspaceId !== provider.workspaceId))
      return refuse(
        "sso_other_workspace",
        "You also belong to another workspace: sign in with your email and password",
      );
    if (memberships.length > 0) return { ok: true, provider, grant: null };
  }
  const invite = await storage.authLinks.findPendingInvite(provider.workspaceId, normal);
  if (invite !== null)
    return {
      ok: true,
      provider,
      grant: { role: invite.role ?? "viewer", memberId: invite.memberId, inviteId: invite.id },
    };
  if (provider.defaultRole !== null)
    return { ok: true, provider, grant: { role: provider.defaultRole, memberId: null, inviteId: null } };
  return refuse(
    "sso_not_invited",
    `There is no Tenure user with the email ${normal}: ask an admin to invite you`,
  );
}

/** The endpoint context better-auth hands its hooks, as far as Tenure reads it. */
interface HookContext {
  path?: string;
  params?: Record<string, string | undefined>;
}

const callbackProvider = (ctx: unknown): string | null => {
  const c = ctx as HookContext | null | undefined;
  if (c?.path !== "/sso/callback/:providerId") return null;
  return c.params?.providerId ?? null;
};

/**
 * Before better-auth writes a user or links an account during an SSO return: refuses (no row
 * written) a sign-in `admitSsoSignIn` refuses. Elsewhere (password, admin-made users) it does nothing.
 */
export async function guardSsoWrite(
  storage: Storage,
  ctx: unknown,
  who: { email: string; userId: string | null },
): Promise<void> {
  const providerId = callbackProvider(ctx);
  if (providerId === null) return;
  const admission = await admitSsoSignIn(storage, providerId, who.email, who.userId);
  if (!admission.ok)
    throw new APIError("FORBIDDEN", { code: admission.refusal.code, message: admission.refusal.message });
}

/**
 * Before a session of an SSO sign-in is created: admits the user once more (now with their id), gives
 * them their membership (the invitation's role, spending it, or the workspace's default role) and
 * opens the session in that workspace. Returns the session fields to set, or undefined elsewhere.
 */
export async function grantSsoMembership(
  storage: Storage,
  userId: string,
  ctx: unknown,
): Promise<{ activeWorkspaceId: string } | undefined> {
  const providerId = callbackProvider(ctx);
  if (providerId === null) return undefined;
  const user = await storage.users.get(userId);
  if (user === null) throw new APIError("FORBIDDEN", { code: "sso_not_invited", message: "No such user" });
  const admission = await admitSsoSignIn(storage, providerId, user.email, userId);
  if (!admission.ok)
    throw new APIError("FORBIDDEN", { code: admission.refusal.code, message: admission.refusal.message });
  const { provider, grant } = admission;
  if (grant !== null) {
    if (grant.inviteId !== null) await storage.authLinks.consume(grant.inviteId);
    await storage.memberships.put(provider.workspaceId, userId, {
      role: grant.role,
      memberId: grant.memberId,
    });
  }
  return { activeWorkspaceId: provider.workspaceId };
}

/** better-auth's SSO plugin over Tenure's `auth_sso_providers` table (rows written by /api/settings/sso). */
export function ssoPlugin() {
  return sso({
    // Providers come only from Tenure's settings route: nobody registers one through the plugin.
    providersLimit: 0,
    // The admin asserts the domains when saving; the plugin then links a sign-in to the existing
    // user with that email (and Tenure's validateUserInfo decides whether that user may use it).
    domainVerification: { enabled: true },
    organizationProvisioning: { disabled: true },
    schema: {
      ssoProvider: {
        modelName: "auth_sso_providers",
        fields: {
          issuer: "issuer",
          oidcConfig: "oidc_config",
          samlConfig: "saml_config",
          userId: "user_id",
          providerId: "provider_id",
          organizationId: "organization_id",
          domain: "domain",
          domainVerified: "domain_verified",
        },
        // Tenure's own columns (written by Tenure, never by the plugin), declared so that
        // better-auth's schema check knows them.
        additionalFields: {
          workspaceId: { type: "string", required: true, input: false, fieldName: "workspace_id" },
          defaultRole: { type: "string", required: false, input: false, fieldName: "default_role" },
          createdAt: { type: "string", required: true, input: false, fieldName: "created_at" },
          updatedAt: { type: "string", required: true, input: false, fieldName: "updated_at" },
        },
      },
    },
  });
}
