import type { RepositoryContext } from "./repository-context";

/** Who holds a lease and until when (ISO 8601 UTC). */
export interface LeaseHolder {
  holder: string;
  expiresAt: string;
}

/**
 * Leases in the database: at most one process runs a named job (a workspace's full health recompute)
 * at a time, across every process on the same database. A holder that dies without releasing loses
 * the lease when it expires. Times come from the caller's clock: expiries are minutes long, far beyond
 * the clock skew of servers sharing one database.
 */
export interface LeaseRepository {
  /**
   * Takes `name` for `holder` until `now + ttlMs` when it is free, expired, or already this holder's
   * (which extends it). One conditional INSERT ... ON CONFLICT DO UPDATE WHERE: atomic on both databases.
   * Returns true when `holder` now holds it.
   */
  acquire(name: string, holder: string, ttlMs: number, now?: Date): Promise<boolean>;
  /** Extends `holder`'s unexpired lease to `now + ttlMs`; false when it expired or another took it. */
  renew(name: string, holder: string, ttlMs: number, now?: Date): Promise<boolean>;
  /** Gives up `holder`'s lease (no-op when another process holds it now); true when it was held. */
  release(name: string, holder: string): Promise<boolean>;
  /** The current unexpired holder of `name`, or null. */
  current(name: string, now?: Date): Promise<LeaseHolder | null>;
}

const until = (now: Date, ttlMs: number) => {
  if (!Number.isFinite(ttlMs) || ttlMs <= 0) throw new RangeError(`lease ttlMs must be > 0, got ${ttlMs}`);
  return new Date(now.getTime() + ttlMs).toISOString();
};

export function createLeaseRepository(ctx: RepositoryContext): LeaseRepository {
  return {
    async acquire(name, holder, ttlMs, now = new Date()) {
      const at = now.toISOString();
      const rows = await ctx.db
        .insertInto("leases")
        .values({ name, holder, acquired_at: at, expires_at: until(now, ttlMs) })
        .onConflict((oc) =>
          oc
            .column("name")
            .doUpdateSet((eb) => ({
              holder: eb.ref("excluded.holder"),
              acquired_at: eb.ref("excluded.acquired_at"),
              expires_at: eb.ref("excluded.expires_at"),
            }))
            // The conflicting row is replaced only when it has expired or is ours; otherwise nothing
            // is written and RETURNING yields no row.
            .where((eb) => eb.or([eb("leases.expires_at", "<=", at), eb("leases.holder", "=", holder)])),
        )
        .returning("holder")
        .execute();
      return rows.length === 1;
    },

    async renew(name, holder, ttlMs, now = new Date()) {
      const res = await ctx.db
        .updateTable("leases")
        .set({ expires_at: until(now, ttlMs) })
        .where("name", "=", name)
        .where("holder", "=", holder)
        .where("expires_at", ">", now.toISOString())
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    },

    async release(name, holder) {
      const res = await ctx.db
        .deleteFrom("leases")
        .where("name", "=", name)
        .where("holder", "=", holder)
        .executeTakeFirst();
      return Number(res.numDeletedRows) === 1;
    },

    async current(name, now = new Date()) {
      const row = await ctx.db
        .selectFrom("leases")
        .select(["holder", "expires_at"])
        .where("name", "=", name)
        .where("expires_at", ">", now.toISOString())
        .executeTakeFirst();
      return row === undefined ? null : { holder: row.holder, expiresAt: row.expires_at };
    },
  };
}
