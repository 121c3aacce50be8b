import { atomically, type RepositoryContext } from "./repository-context";

/** A token bucket's rule: `capacity` tokens at most, refilled at `perMinute` tokens a minute. */
export interface BucketRule {
  capacity: number;
  perMinute: number;
}

/** The outcome of taking one token. */
export interface BucketTake {
  allowed: boolean;
  /** Whole tokens left after this take. */
  remaining: number;
  /** Milliseconds until one token is back (0 when some are left). */
  retryAfterMs: number;
  /** Milliseconds until the bucket is full again. */
  resetMs: number;
}

/** Token buckets stored in the database, so every process of a deployment shares them. */
export interface RateLimitRepository {
  /** Takes one token from `bucket` (created full); `now` in epoch ms. */
  take(bucket: string, rule: BucketRule, now: number): Promise<BucketTake>;
  /** Whether `bucket` has a whole token now, without taking it. */
  peek(bucket: string, rule: BucketRule, now: number): Promise<BucketTake>;
  /** Deletes buckets untouched since `beforeMs` (they would be full again anyway). */
  prune(beforeMs: number): Promise<number>;
}

/** The bucket's tokens at `now`, refilled since `updatedMs`, and what taking `cost` of them gives. */
export function refill(tokens: number, updatedMs: number, rule: BucketRule, now: number, cost: number) {
  const perMs = rule.perMinute / 60_000;
  const level = Math.min(rule.capacity, tokens + Math.max(0, now - updatedMs) * perMs);
  const allowed = level >= cost;
  const after = allowed ? level - cost : level;
  const take: BucketTake = {
    allowed: cost === 0 ? level >= 1 : allowed,
    remaining: Math.floor(after),
    retryAfterMs: after >= 1 || perMs === 0 ? 0 : Math.ceil((1 - after) / perMs),
    resetMs: perMs === 0 ? 0 : Math.ceil((rule.capacity - after) / perMs),
  };
  return { level: after, take };
}

export function createRateLimitRepository(ctx: RepositoryContext): RateLimitRepository {
  const { adapter } = ctx;
  const run = (bucket: string, rule: BucketRule, now: number, cost: number) =>
    atomically(ctx, async (db) => {
      await db
        .insertInto("rate_limit_buckets")
        .values({ bucket, tokens: rule.capacity, updated_ms: now })
        .onConflict((oc) => oc.column("bucket").doNothing())
        .execute();
      let read = db.selectFrom("rate_limit_buckets").selectAll().where("bucket", "=", bucket);
      // Two processes taking from one bucket at once: the row lock orders them (SQLite's write
      // transaction already does).
      if (adapter.rowLocks) read = read.forUpdate();
      const row = await read.executeTakeFirstOrThrow();
      const { level, take } = refill(
        adapter.parseNumber(row.tokens),
        adapter.parseNumber(row.updated_ms),
        rule,
        now,
        cost,
      );
      if (cost > 0)
        await db
          .updateTable("rate_limit_buckets")
          .set({ tokens: level, updated_ms: now })
          .where("bucket", "=", bucket)
          .execute();
      return take;
    });
  return {
    take: (bucket, rule, now) => run(bucket, rule, now, 1),
    async peek(bucket, rule, now) {
      const row = await ctx.db
        .selectFrom("rate_limit_buckets")
        .selectAll()
        .where("bucket", "=", bucket)
        .executeTakeFirst();
      if (row === undefined) return refill(rule.capacity, now, rule, now, 0).take;
      return refill(adapter.parseNumber(row.tokens), adapter.parseNumber(row.updated_ms), rule, now, 0).take;
    },
    async prune(beforeMs) {
      const res = await ctx.db
        .deleteFrom("rate_limit_buckets")
        .where("updated_ms", "<", beforeMs)
        .executeTakeFirst();
      return Number(res.numDeletedRows);
    },
  };
}
