import { randomUUID } from "node:crypto";
import { nowIso, type RepositoryContext } from "./repository-context";

/** Recent attempts under one key: how many, and when the oldest one in the window was. */
export interface AttemptWindow {
  count: number;
  /** ISO time of the oldest attempt in the window (null when there is none). */
  oldest: string | null;
  /** ISO time of the newest attempt in the window (null when there is none). */
  newest: string | null;
}

/**
 * Sign-in attempts in the database, so that every server process sees the same failures (lockout per
 * email) and the same attempts (rate limit per IP). Keys: "email:<address>", "ip:<address>".
 */
export interface SignInAttemptRepository {
  record(key: string, at?: Date): Promise<void>;
  /** Attempts under `key` at or after `since`. */
  window(key: string, since: Date): Promise<AttemptWindow>;
  /** Forgets every attempt under `key` (a successful sign-in clears the email's failures). */
  clear(key: string): Promise<void>;
  /** Deletes attempts older than `before`; returns how many. */
  prune(before: Date): Promise<number>;
}

export function createSignInAttemptRepository(ctx: RepositoryContext): SignInAttemptRepository {
  return {
    async record(key, at = new Date()) {
      await ctx.db
        .insertInto("sign_in_attempts")
        .values({ id: randomUUID(), key, at: at.toISOString() })
        .execute();
    },
    async window(key, since) {
      const row = await ctx.db
        .selectFrom("sign_in_attempts")
        .select((eb) => [
          eb.fn.countAll().as("n"),
          eb.fn.min("at").as("oldest"),
          eb.fn.max("at").as("newest"),
        ])
        .where("key", "=", key)
        .where("at", ">=", since.toISOString())
        .executeTakeFirstOrThrow();
      return {
        count: ctx.adapter.parseNumber(row.n),
        oldest: (row.oldest as string | null) ?? null,
        newest: (row.newest as string | null) ?? null,
      };
    },
    async clear(key) {
      await ctx.db.deleteFrom("sign_in_attempts").where("key", "=", key).execute();
    },
    async prune(before) {
      const result = await ctx.db
        .deleteFrom("sign_in_attempts")
        .where("at", "<", before.toISOString())
        .executeTakeFirst();
      return Number(result.numDeletedRows);
    },
  };
}

/** Settings of the whole instance (not of a workspace), written once: the cookie-signing secret. */
export interface InstanceSettingRepository {
  /** The stored value of `key`; stores `value` first when there is none (the first process wins). */
  ensure(key: string, value: string): Promise<string>;
}

export function createInstanceSettingRepository(ctx: RepositoryContext): InstanceSettingRepository {
  return {
    async ensure(key, value) {
      // One statement (an upsert that keeps the stored value and returns it): on the embedded
      // database's one connection, nothing can run between storing and reading it.
      const row = await ctx.db
        .insertInto("instance_settings")
        .values({ key, value, created_at: nowIso() })
        .onConflict((oc) =>
          oc.column("key").doUpdateSet({ value: (eb) => eb.ref("instance_settings.value") }),
        )
        .returning("value")
        .executeTakeFirstOrThrow();
      return row.value;
    },
  };
}
