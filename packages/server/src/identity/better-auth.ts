import type { Storage } from "@tenure/storage";
import { betterAuth } from "better-auth";
import { APIError, createAuthEndpoint } from "better-auth/api";
import { setSessionCookie } from "better-auth/cookies";
import { ownOrigins } from "./origin";
import { grantSsoMembership, guardSsoWrite, isSsoPath, issuerOrigins, ssoPlugin } from "./sso";

/** Name of the session cookie (`__Secure-` is prefixed on HTTPS). */
export const SESSION_COOKIE = "tenure.session_token";

/** How long a session lasts without use, and how often its expiry is pushed back while in use. */
export const SESSION_SECONDS = 7 * 24 * 3600;
export const SESSION_REFRESH_SECONDS = 24 * 3600;

export interface BetterAuthSettings {
  storage: Storage;
  secret: string;
  publicUrl: string | undefined;
  /** Cookies with Secure and the `__Secure-` prefix (requests over HTTPS). */
  secure: boolean;
  /** Demo mode: the email of the demo admin `POST /api/auth/demo` signs in as; undefined = no such route. */
  demoEmail: string | undefined;
}

/**
 * The demo's one-click sign-in as a better-auth endpoint, so that it creates a real session and sets
 * the cookie exactly as a password sign-in does. Only registered in demo mode: elsewhere it is a 404.
 */
function demoSignIn(storage: Storage, email: string) {
  return {
    id: "tenure-demo",
    endpoints: {
      demoSignIn: createAuthEndpoint("/demo", { method: "POST" }, async (ctx) => {
        const found = await storage.users.findByEmail(email);
        if (found === null) throw new APIError("NOT_FOUND", { message: "The demo user is missing" });
        const user = await ctx.context.internalAdapter.findUserById(found.id);
        if (user === null) throw new APIError("NOT_FOUND", { message: "The demo user is missing" });
        const session = await ctx.context.internalAdapter.createSession(user.id);
        await setSessionCookie(ctx, { session, user });
        return ctx.json({ ok: true as const });
      }),
    },
  };
}

/** Our table and column names for better-auth's models (created by migration 2026_12_10_1701). */
const MODELS = {
  user: {
    modelName: "auth_users",
    fields: { emailVerified: "email_verified", createdAt: "created_at", updatedAt: "updated_at" },
    additionalFields: {
      banned: { type: "boolean", required: false, input: false, defaultValue: false, fieldName: "banned" },
      lastSignInAt: { type: "date", required: false, input: false, fieldName: "last_sign_in_at" },
    },
  },
  session: {
    modelName: "auth_sessions",
    fields: {
      expiresAt: "expires_at",
      ipAddress: "ip_address",
      userAgent: "user_agent",
      userId: "user_id",
      createdAt: "created_at",
      updatedAt: "updated_at",
    },
    additionalFields: {
      activeWorkspaceId: { type: "string", required: false, input: false, fieldName: "active_workspace_id" },
    },
  },
  account: {
    modelName: "auth_accounts",
    fields: {
      accountId: "account_id",
      providerId: "provider_id",
      userId: "user_id",
      accessToken: "access_token",
      refreshToken: "refresh_token",
      idToken: "id_token",
      accessTokenExpiresAt: "access_token_expires_at",
      refreshTokenExpiresAt: "refresh_token_expires_at",
      createdAt: "created_at",
      updatedAt: "updated_at",
    },
  },
  verification: {
    modelName: "auth_verifications",
    fields: { expiresAt: "expires_at", createdAt: "created_at", updatedAt: "updated_at" },
  },
} as const;

/** One better-auth instance over our database (one per cookie security: see Identity). */
export function createBetterAuth(s: BetterAuthSettings) {
  return betterAuth({
    appName: "Tenure",
    secret: s.secret,
    baseURL: s.publicUrl,
    basePath: "/api/auth",
    database: { db: s.storage.kysely, type: s.storage.dialect },
    telemetry: { enabled: false },
    logger: { disabled: true },
    emailAndPassword: {
      enabled: true,
      // Users are created by an admin, an invitation, the set-up page or the CLI; nobody signs up alone.
      disableSignUp: true,
      minPasswordLength: 8,
      maxPasswordLength: 128,
      revokeSessionsOnPasswordReset: true,
    },
    user: MODELS.user,
    session: { ...MODELS.session, expiresIn: SESSION_SECONDS, updateAge: SESSION_REFRESH_SECONDS },
    // The identity provider's access token of an SSO sign-in is used for nothing after it: at rest
    // it is encrypted with the auth secret all the same.
    account: { ...MODELS.account, encryptOAuthTokens: true },
    verification: MODELS.verification,
    // Our own per-email lockout and per-IP limit (in the database) stand in front of sign-in.
    rateLimit: { enabled: false },
    // During an SSO sign-in better-auth fetches the provider's discovery document, tokens and keys:
    // only from the origins of the issuers admins configured (on those paths only).
    trustedOrigins: async (request) => {
      if (request === undefined) return [];
      const own = ownOrigins(request, s.publicUrl);
      if (!isSsoPath(new URL(request.url).pathname)) return own;
      return [...own, ...(await issuerOrigins(s.storage))];
    },
    // A failed SSO return (a replayed or unknown state) lands on the sign-in page, which says why.
    onAPIError: { errorURL: "/sign-in" },
    advanced: {
      cookiePrefix: "tenure",
      useSecureCookies: s.secure,
      defaultCookieAttributes: { httpOnly: true, sameSite: "lax", secure: s.secure },
    },
    databaseHooks: {
      // An SSO return that Tenure refuses writes no user and links no account (see identity/sso.ts).
      user: {
        create: {
          before: async (user, ctx) => {
            await guardSsoWrite(s.storage, ctx, { email: user.email, userId: null });
          },
        },
      },
      account: {
        create: {
          before: async (account, ctx) => {
            const user = await s.storage.users.get(account.userId);
            if (user !== null) await guardSsoWrite(s.storage, ctx, { email: user.email, userId: user.id });
          },
        },
      },
      session: {
        create: {
          // A deactivated user gets no session, whatever the way in (password, demo, SSO).
          before: async (session, ctx) => {
            const user = await s.storage.users.get(session.userId);
            if (user === null || user.banned)
              throw new APIError("FORBIDDEN", { message: "This account is deactivated: ask an admin" });
            // An SSO sign-in: the membership it gives, and the session opens in that workspace.
            const sso = await grantSsoMembership(s.storage, session.userId, ctx);
            if (sso !== undefined) return { data: { ...session, activeWorkspaceId: sso.activeWorkspaceId } };
          },
          after: async (session) => {
            await s.storage.users.recordSignIn(session.userId);
          },
        },
      },
    },
    plugins: s.demoEmail === undefined ? [ssoPlugin()] : [ssoPlugin(), demoSignIn(s.storage, s.demoEmail)],
  });
}

export type BetterAuthInstance = ReturnType<typeof createBetterAuth>;
