import { createHmac, randomBytes, randomUUID, timingSafeEqual } from "node:crypto";
import { TenureError } from "@tenure/core";
import { DEMO_ADMIN_EMAIL, type SmtpSettings, sendEmail } from "@tenure/services";
import type { Storage, UserRecord, UserWorkspace } from "@tenure/storage";
import { asTenureError } from "./auth-errors";
import {
  type BetterAuthInstance,
  createBetterAuth,
  SESSION_REFRESH_SECONDS,
  SESSION_SECONDS,
} from "./better-auth";
import { isHttps } from "./origin";
import { isServedAuthPath } from "./sso";

export { authBodyGuard } from "./auth-body";
export { SESSION_COOKIE } from "./better-auth";
export { csrfGuard } from "./csrf";
export { isHttps, ownOrigins, requestOrigin } from "./origin";
export { passwordResetThrottle, signInThrottle } from "./sign-in-throttle";

const MIN_PASSWORD = 8;
const MAX_PASSWORD = 128;

export interface IdentityOptions {
  storage: Storage;
  /** TENURE_AUTH_SECRET; when absent one is generated once and kept in the database (every process shares it). */
  secret?: string;
  /** TENURE_PUBLIC_URL: the address people open (https:// makes every cookie Secure). */
  publicUrl?: string;
  /** Demo mode: enables `POST /api/auth/demo` for the demo admin. */
  demo?: boolean;
  /** SMTP for invitation and password-reset emails; absent = the admin is shown the link. */
  smtp?: SmtpSettings | null;
}

/** A signed-in session as the middleware needs it. */
export interface SignedIn {
  session: { id: string; token: string; activeWorkspaceId: string | null };
  user: { id: string; email: string; name: string };
}

/**
 * The value of a cookie signed as better-call signs them (`value.base64(HMAC-SHA256(secret, value))`,
 * URI-encoded), or null when absent or its signature is wrong.
 */
export function signedCookieValue(cookieHeader: string | null, name: string, secret: string): string | null {
  if (cookieHeader === null) return null;
  for (const part of cookieHeader.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0 || part.slice(0, eq).trim() !== name) continue;
    let raw = part.slice(eq + 1).trim();
    if (raw.startsWith('"') && raw.endsWith('"') && raw.length >= 2) raw = raw.slice(1, -1);
    let value: string;
    try {
      value = decodeURIComponent(raw);
    } catch {
      return null;
    }
    const dot = value.lastIndexOf(".");
    if (dot < 1) return null;
    const signed = value.slice(0, dot);
    const signature = Buffer.from(value.slice(dot + 1), "base64");
    const expected = createHmac("sha256", secret).update(signed).digest();
    return signature.length === expected.length && timingSafeEqual(signature, expected) ? signed : null;
  }
  return null;
}

/** Checks and normalises an email address (trimmed, lower case); the message names the field. */
export function checkEmail(email: string, field = "email"): string {
  const normal = email.trim().toLowerCase();
  if (!/^[^\s@]+@[^\s@]+\.[^\s@]+$/.test(normal) || normal.length > 254)
    throw new TenureError("validation", `${field}: not an email address`);
  return normal;
}

/** Checks a new password; the message names the field. */
export function checkPassword(password: string, field = "password"): void {
  if (password.length < MIN_PASSWORD || password.length > MAX_PASSWORD)
    throw new TenureError("validation", `${field}: between ${MIN_PASSWORD} and ${MAX_PASSWORD} characters`);
}

/**
 * Users and sessions (better-auth over our database). Two instances share the tables: one sets
 * Secure cookies (requests over HTTPS), the other plain ones (http://localhost), because better-auth
 * fixes cookie security when it is created and ours depends on the request.
 */
export class Identity {
  private instances: Promise<{ secure: BetterAuthInstance; plain: BetterAuthInstance }> | null = null;
  readonly publicUrl: string | undefined;
  readonly smtp: SmtpSettings | null;

  constructor(private readonly opts: IdentityOptions) {
    this.publicUrl = opts.publicUrl;
    this.smtp = opts.smtp ?? null;
    // Now, outside any request: the secret generated on first use must commit on its own, not with the
    // audited transaction of whichever request came first (a refused set-up would roll it back while
    // this process kept signing with it). A failure surfaces at first use.
    this.auth().catch(() => {});
  }

  /** Both instances, created on first use (the secret may have to be read from the database). */
  private auth(): Promise<{ secure: BetterAuthInstance; plain: BetterAuthInstance }> {
    this.instances ??= (async () => {
      const { storage } = this.opts;
      const secret =
        this.opts.secret ??
        (await storage.instanceSettings.ensure("auth_secret", randomBytes(32).toString("base64url")));
      const common = {
        storage,
        secret,
        publicUrl: this.publicUrl,
        demoEmail: this.opts.demo ? DEMO_ADMIN_EMAIL : undefined,
      };
      return {
        secure: createBetterAuth({ ...common, secure: true }),
        plain: createBetterAuth({ ...common, secure: this.publicUrl?.startsWith("https://") ?? false }),
      };
    })();
    return this.instances;
  }

  private get storage(): Storage {
    return this.opts.storage;
  }

  private async context() {
    return (await this.auth()).plain.$context;
  }

  private async authFor(req: Request): Promise<BetterAuthInstance> {
    const { secure, plain } = await this.auth();
    return isHttps(req, this.publicUrl) ? secure : plain;
  }

  /** Answers a request to /api/auth/* (sign-in, sign-out, sessions, the demo route). */
  async handler(req: Request): Promise<Response> {
    const path = new URL(req.url).pathname;
    if (!isServedAuthPath(path))
      return Response.json(
        { error: { code: "not_found", message: `No route ${req.method} ${path}` } },
        { status: 404 },
      );
    const res = await (await this.authFor(req)).handler(req);
    return asTenureError(res, req.method, path);
  }

  /** The session a request's cookie carries, or null (none, expired, revoked, or of a deactivated user). */
  async getSession(req: Request): Promise<SignedIn | null> {
    const found = await (await this.authFor(req)).api.getSession({ headers: req.headers });
    if (found === null) return null;
    const session = found.session as typeof found.session & { activeWorkspaceId?: string | null };
    const user = found.user as typeof found.user & { banned?: boolean | null };
    if (user.banned) return null;
    return {
      session: { id: session.id, token: session.token, activeWorkspaceId: session.activeWorkspaceId ?? null },
      user: { id: user.id, email: user.email, name: user.name },
    };
  }

  /**
   * The request's session with its user and workspaces, for the auth middleware on every request: one
   * read of our own (session, user and memberships joined) where better-auth's getSession makes two and
   * the memberships a third. better-auth still decides whenever it would write: a session that has
   * expired (it deletes it) or is due for its sliding refresh (it pushes the expiry back) goes through
   * its getSession. The cookie's signature is checked as better-auth checks it.
   */
  async signedIn(
    req: Request,
    settingKey: string,
  ): Promise<{
    signedIn: SignedIn;
    workspaces: UserWorkspace[];
    /** Each workspace's `settingKey` setting, read with the session (null: not read, on the slow path). */
    settings: Record<string, unknown> | null;
  } | null> {
    const ctx = await (await this.authFor(req)).$context;
    // The secret better-auth signs with (its own, so any rotation it supports stays its concern).
    const token = signedCookieValue(req.headers.get("cookie"), ctx.authCookies.sessionToken.name, ctx.secret);
    if (token === null) return null;
    const found = await this.storage.users.sessionByToken(token, settingKey);
    if (found === null) return null;
    const now = Date.now();
    const refreshAt = found.session.expiresAt - (SESSION_SECONDS - SESSION_REFRESH_SECONDS) * 1000;
    if (!Number.isFinite(found.session.expiresAt) || found.session.expiresAt <= now || refreshAt <= now) {
      const slow = await this.getSession(req);
      if (slow === null) return null;
      const workspaces = await this.storage.memberships.listForUser(slow.user.id);
      return { signedIn: slow, workspaces, settings: null };
    }
    if (found.user.banned) return null;
    const { session, user } = found;
    return {
      signedIn: {
        session: { id: session.id, token: session.token, activeWorkspaceId: session.activeWorkspaceId },
        user: { id: user.id, email: user.email, name: user.name },
      },
      workspaces: found.workspaces,
      settings: found.settings,
    };
  }

  /** Remembers the workspace a session works in. */
  async setActiveWorkspace(sessionToken: string, workspaceId: string): Promise<void> {
    const ctx = await this.context();
    await ctx.internalAdapter.updateSession(sessionToken, { activeWorkspaceId: workspaceId });
  }

  /**
   * Creates a user (better-auth hashes the password) or returns the existing one with that email;
   * `password` undefined = no credential yet (an invitation or the demo).
   */
  async createUser(input: { email: string; name: string; password?: string }): Promise<UserRecord> {
    const email = checkEmail(input.email);
    if (input.name.trim() === "") throw new TenureError("validation", "name: required");
    if (input.password !== undefined) checkPassword(input.password);
    const existing = await this.storage.users.findByEmail(email);
    if (existing !== null) {
      if (input.password !== undefined)
        throw new TenureError("conflict", `email: a user with the email ${email} already exists`);
      return existing;
    }
    const ctx = await this.context();
    const user = await ctx.internalAdapter.createUser(
      { email, name: input.name.trim(), emailVerified: true },
      { method: "admin" },
    );
    if (input.password !== undefined) {
      await ctx.internalAdapter.linkAccount({
        userId: user.id,
        providerId: "credential",
        accountId: user.id,
        password: await ctx.password.hash(input.password),
      });
    }
    const stored = await this.storage.users.get(user.id);
    if (stored === null) throw new Error(`user ${user.id} vanished after insert`);
    return stored;
  }

  /** Sets (or first gives) a user's password and signs them out everywhere. */
  async setPassword(userId: string, password: string): Promise<void> {
    checkPassword(password);
    const ctx = await this.context();
    const hash = await ctx.password.hash(password);
    const credential = await ctx.internalAdapter.findCredentialAccount(userId);
    if (credential === null)
      await ctx.internalAdapter.linkAccount({
        userId,
        providerId: "credential",
        accountId: userId,
        password: hash,
      });
    else await ctx.internalAdapter.updatePassword(userId, hash);
    await ctx.internalAdapter.deleteUserSessions(userId);
  }

  /** Ends every session of a user (sign out everywhere, deactivation). */
  async revokeSessions(userId: string): Promise<void> {
    const ctx = await this.context();
    await ctx.internalAdapter.deleteUserSessions(userId);
  }

  /** The full link a person opens for a token: `/invite/<token>` or `/reset-password/<token>`. */
  linkUrl(req: Request, kind: "invite" | "reset", token: string): string {
    const base = this.publicUrl ?? new URL(req.url).origin;
    return `${base.replace(/\/$/, "")}/${kind === "invite" ? "invite" : "reset-password"}/${token}`;
  }

  /** Emails a link when SMTP is configured; false when it is not (the caller shows the link once). */
  async sendLink(to: string, subject: string, text: string): Promise<boolean> {
    if (this.smtp === null) return false;
    const outcome = await sendEmail(this.smtp, {
      deliveryId: `auth-${randomUUID()}`,
      to,
      subject,
      text,
      html: `<p>${escapeHtml(text).replace(/\n/g, "<br>")}</p>`,
    });
    if (!outcome.ok)
      throw new TenureError("internal", `The email to ${to} could not be sent: ${outcome.error}`);
    return true;
  }
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
}
