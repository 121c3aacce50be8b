import { TenureError } from "@tenure/core";
import type { Storage } from "@tenure/storage";
import type { Context } from "hono";
import { createMiddleware } from "hono/factory";

/** Failed sign-ins of one email that lock it, within this window, for this long. */
export const LOCKOUT_FAILURES = 5;
export const LOCKOUT_MS = 15 * 60_000;
/** Sign-in attempts one IP address may make per minute. */
export const IP_ATTEMPTS_PER_MINUTE = 20;
const MINUTE = 60_000;
/** Attempts older than this are deleted as new ones come in. */
const KEEP_MS = 24 * 3600_000;

/**
 * The client's address: the socket's, or X-Forwarded-For's first entry when the socket is a proxy on
 * this machine (loopback) or unknown (in-process requests). A remote client cannot pick its own address.
 */
function clientIp(c: Context): string {
  const incoming = (c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined)?.incoming;
  const remote = incoming?.socket?.remoteAddress;
  const local =
    remote === undefined || remote === "127.0.0.1" || remote === "::1" || remote === "::ffff:127.0.0.1";
  const forwarded = c.req.header("x-forwarded-for")?.split(",")[0]?.trim();
  return (local ? forwarded : undefined) || remote || "unknown";
}

function tooMany(c: Context, retryAfterMs: number, message: string): never {
  const seconds = Math.max(1, Math.ceil(retryAfterMs / 1000));
  c.header("Retry-After", String(seconds));
  throw new TenureError("rate_limited", message.replace("{minutes}", String(Math.ceil(seconds / 60))), {
    retryAfterSeconds: seconds,
  });
}

async function emailOf(req: Request): Promise<string | null> {
  try {
    const body = (await req.clone().json()) as { email?: unknown };
    return typeof body.email === "string" ? body.email.trim().toLowerCase() : null;
  } catch {
    return null;
  }
}

/**
 * In front of `POST /api/auth/sign-in/*`: at most 20 attempts a minute per IP address, and an email
 * with 5 failed sign-ins in 15 minutes is locked for 15 minutes after the last one (429 and
 * Retry-After, even for the right password). Attempts live in the database, so every server process
 * counts the same ones.
 */
export function signInThrottle(storage: Storage, clock: () => Date = () => new Date()) {
  return createMiddleware(async (c, next) => {
    if (c.req.method !== "POST" || !c.req.path.startsWith("/api/auth/sign-in/")) return next();
    const now = clock();
    const ipKey = `ip:${clientIp(c)}`;
    const ip = await storage.signInAttempts.window(ipKey, new Date(now.getTime() - MINUTE));
    if (ip.count >= IP_ATTEMPTS_PER_MINUTE && ip.oldest !== null)
      tooMany(
        c,
        Date.parse(ip.oldest) + MINUTE - now.getTime(),
        "Too many sign-in attempts from your address: wait a minute and try again",
      );
    await storage.signInAttempts.record(ipKey, now);

    const email = await emailOf(c.req.raw);
    const emailKey = email === null ? null : `email:${email}`;
    if (emailKey !== null) {
      const failures = await storage.signInAttempts.window(emailKey, new Date(now.getTime() - LOCKOUT_MS));
      if (failures.count >= LOCKOUT_FAILURES && failures.newest !== null)
        tooMany(
          c,
          Date.parse(failures.newest) + LOCKOUT_MS - now.getTime(),
          "This account is locked after 5 failed sign-ins: try again in {minutes} minutes, or ask an admin to reset the password",
        );
    }
    await next();
    if (emailKey === null) return;
    if (c.res.status === 401) await storage.signInAttempts.record(emailKey, now);
    else if (c.res.ok) await storage.signInAttempts.clear(emailKey);
    await storage.signInAttempts.prune(new Date(now.getTime() - KEEP_MS));
  });
}

/** Forgot-password requests one IP address may make per minute, and one email per 15 minutes. */
export const RESET_IP_PER_MINUTE = 10;
export const RESET_EMAIL_PER_WINDOW = 3;
const RESET_WINDOW_MS = 15 * 60_000;

/**
 * In front of `POST /api/password-resets/request`: at most 10 a minute per IP address and 3 per 15
 * minutes per email (429 and Retry-After). Every request counts, whether or not the email is a
 * user's, so the limit tells nothing about who has an account.
 */
export function passwordResetThrottle(storage: Storage, clock: () => Date = () => new Date()) {
  return createMiddleware(async (c, next) => {
    if (c.req.method !== "POST") return next();
    const now = clock();
    const ipKey = `reset-ip:${clientIp(c)}`;
    const ip = await storage.signInAttempts.window(ipKey, new Date(now.getTime() - MINUTE));
    if (ip.count >= RESET_IP_PER_MINUTE && ip.oldest !== null)
      tooMany(
        c,
        Date.parse(ip.oldest) + MINUTE - now.getTime(),
        "Too many password reset requests from your address: wait a minute and try again",
      );
    await storage.signInAttempts.record(ipKey, now);
    const email = await emailOf(c.req.raw);
    // A body the route will refuse (NUL, too long) is not counted: PostgreSQL stores no NUL.
    if (email !== null && email.length <= 254 && !email.includes("\u0000")) {
      const emailKey = `reset-email:${email}`;
      const recent = await storage.signInAttempts.window(emailKey, new Date(now.getTime() - RESET_WINDOW_MS));
      if (recent.count >= RESET_EMAIL_PER_WINDOW && recent.oldest !== null)
        tooMany(
          c,
          Date.parse(recent.oldest) + RESET_WINDOW_MS - now.getTime(),
          "A reset link was asked for this email several times: check your inbox, or try again in {minutes} minutes",
        );
      await storage.signInAttempts.record(emailKey, now);
    }
    await next();
    await storage.signInAttempts.prune(new Date(now.getTime() - KEEP_MS));
  });
}
