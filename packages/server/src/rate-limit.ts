import type { BucketRule, BucketTake, Storage } from "@tenure/storage";
import { refill } from "@tenure/storage";
import type { Context } from "hono";
import { getCookie } from "hono/cookie";
import { createMiddleware } from "hono/factory";
import type { AuthVariables } from "./auth";
import { clientIp } from "./client-ip";
import { errorBody } from "./http-error";

/** Requests a minute and burst, per API key (or signed-in user) and per IP for unauthenticated calls. */
export interface RateLimits {
  keyPerMinute: number;
  keyBurst: number;
  ipPerMinute: number;
  ipBurst: number;
  trustProxy: boolean;
}

/**
 * Per-key buckets of this process. Per-key limits are per process on purpose: they protect the
 * process from one noisy client, and sharing them would cost a database write per request.
 */
export class KeyBuckets {
  private readonly buckets = new Map<string, { tokens: number; at: number }>();

  constructor(private readonly rule: BucketRule) {}

  take(id: string, now: number): BucketTake {
    const b = this.buckets.get(id) ?? { tokens: this.rule.capacity, at: now };
    const { level, take } = refill(b.tokens, b.at, this.rule, now, 1);
    // Bounded memory: buckets that would be full again are forgotten first.
    if (this.buckets.size > 50_000) this.buckets.clear();
    this.buckets.set(id, { tokens: level, at: now });
    return take;
  }
}

const setHeaders = (c: Context, rule: BucketRule, take: BucketTake) => {
  c.header("X-RateLimit-Limit", String(rule.capacity));
  c.header("X-RateLimit-Remaining", String(Math.max(0, take.remaining)));
  c.header("X-RateLimit-Reset", String(Math.ceil(take.resetMs / 1000)));
};

const tooMany = (c: Context, rule: BucketRule, take: BucketTake) => {
  setHeaders(c, rule, take);
  c.header("Retry-After", String(Math.max(1, Math.ceil(take.retryAfterMs / 1000))));
  return c.json(
    errorBody("rate_limited", "Too many requests: slow down and retry after the Retry-After seconds"),
    429,
  );
};

/**
 * IPs this process took a token for, until their bucket would be full again: only their credentialed
 * calls need the shared bucket read first. Bounded: past the limit the oldest are forgotten (an IP
 * forgotten early costs at most one more credential check before it is refused again).
 */
export class TouchedIps {
  private readonly until = new Map<string, number>();

  constructor(private readonly refillMs: number) {}

  touch(bucket: string, now: number): void {
    this.until.delete(bucket);
    if (this.until.size >= 50_000) {
      const oldest = this.until.keys().next();
      if (oldest.done !== true) this.until.delete(oldest.value);
    }
    this.until.set(bucket, now + this.refillMs);
  }

  has(bucket: string, now: number): boolean {
    const t = this.until.get(bucket);
    if (t === undefined) return false;
    if (t > now) return true;
    this.until.delete(bucket);
    return false;
  }
}

/**
 * Before auth: unauthenticated /api calls (no key or cookie: sign-in, health) take a token from the
 * caller IP's bucket, shared by every process through the database; a call with credentials that
 * turn out wrong (401) takes one afterwards, and an IP whose bucket is empty is refused before its
 * credentials are even checked, so guessing keys or passwords is slowed the same way.
 * A credentialed call reads the bucket only when this process took from it lately (TouchedIps): a
 * signed-in user's every request would otherwise pay a database read (on PostgreSQL a round trip) for
 * a bucket no failure touched. Another process's takes are not seen, so an IP drained there gets one
 * credential check here before it is refused here too (its first 401 takes, and touches).
 */
export function ipRateLimit(storage: Storage, limits: RateLimits) {
  const rule: BucketRule = { capacity: limits.ipBurst, perMinute: limits.ipPerMinute };
  // From empty to full again: after that, a bucket no one took from is as good as absent.
  const touched = new TouchedIps(
    limits.ipPerMinute > 0 ? Math.ceil((limits.ipBurst / limits.ipPerMinute) * 60_000) : 0,
  );
  return createMiddleware<{ Variables: AuthVariables }>(async (c, next) => {
    if (limits.ipPerMinute === 0 || !c.req.path.startsWith("/api/")) return next();
    const bucket = `ip:${clientIp(c, limits.trustProxy) ?? "unknown"}`;
    const credentialed = c.req.header("authorization") !== undefined || Object.keys(getCookie(c)).length > 0;
    if (!credentialed) {
      touched.touch(bucket, Date.now());
      const take = await storage.rateLimits.take(bucket, rule, Date.now());
      if (!take.allowed) return tooMany(c, rule, take);
      await next();
      setHeaders(c, rule, take);
      return;
    }
    if (touched.has(bucket, Date.now())) {
      const peek = await storage.rateLimits.peek(bucket, rule, Date.now());
      if (!peek.allowed) return tooMany(c, rule, peek);
    }
    await next();
    if (c.res.status === 401) {
      touched.touch(bucket, Date.now());
      await storage.rateLimits.take(bucket, rule, Date.now());
    }
  });
}

/** After auth: every authenticated /api call takes a token from its key's (or user's) bucket. */
export function keyRateLimit(limits: RateLimits) {
  const rule: BucketRule = { capacity: limits.keyBurst, perMinute: limits.keyPerMinute };
  const buckets = new KeyBuckets(rule);
  return createMiddleware<{ Variables: AuthVariables }>(async (c, next) => {
    const principal = c.get("principal");
    if (limits.keyPerMinute === 0 || principal === undefined || principal.actor.type === "system")
      return next();
    const take = buckets.take(`${principal.actor.type}:${principal.actor.id}`, Date.now());
    if (!take.allowed) return tooMany(c, rule, take);
    await next();
    setHeaders(c, rule, take);
  });
}
