import { type Kysely, type RawBuilder, sql } from "kysely";
import type { Database, HealthScoreTable, SignalTable, UsageUserTable } from "../schema";
import type { PreparedWriter } from "./dialect-adapter";

/** A signal's new status, as stored. */
export type SignalStatusRow = Pick<
  SignalTable,
  "id" | "status" | "acknowledged_at" | "resolved_at" | "status_changed_by"
>;

/**
 * Bulk writes whose fastest form differs by dialect, by name: repositories call these and never hold
 * dialect SQL. Portable Kysely statements everywhere; on SQLite inside a transaction, one prepared
 * statement run per row (building multi-row statements costs more there than writing the rows).
 * Callers run them inside a transaction when they must be atomic (`atomically`).
 */
export interface RowWrites {
  /** Inserts or replaces scores by (workspace, account, date); a row equal to the stored one is not rewritten. */
  upsertHealthScores(rows: readonly HealthScoreTable[]): Promise<void>;
  /** Sets the status columns of existing signals of `workspaceId` by id. */
  updateSignalStatuses(workspaceId: string, updates: readonly SignalStatusRow[]): Promise<void>;
  /** Inserts or replaces usage users by (workspace, user key); `onProgress(done, total)` as rows are written. */
  upsertUsageUsers(
    rows: readonly UsageUserTable[],
    onProgress?: (done: number, total: number) => void,
  ): Promise<void>;
  /** Inserts usage users whose key is not stored yet; stored users are left alone. */
  ensureUsageUsers(rows: readonly UsageUserTable[]): Promise<void>;
}

const HEALTH_UPDATABLE = ["score", "band", "profile_id", "breakdown", "last_activity_at"] as const;
const HEALTH_COLUMNS = 8;
const USER_UPDATABLE = [
  "user_id",
  "anonymous_id",
  "account_id",
  "name",
  "email",
  "role",
  "department",
  "traits",
  "updated_at",
] as const;
const USER_COLUMNS = 11;
/** Huge statements cost more to prepare than they save in round trips. */
const MAX_ROWS_PER_STATEMENT = 1_000;

function chunks<T>(rows: readonly T[], maxParameters: number, columns: number): T[][] {
  const size = Math.max(1, Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(maxParameters / columns)));
  const out: T[][] = [];
  for (let i = 0; i < rows.length; i += size) out.push(rows.slice(i, i + size));
  return out;
}

function excluded<C extends string>(columns: readonly C[]): Record<C, RawBuilder<never>> {
  const set = {} as Record<C, RawBuilder<never>>;
  for (const column of columns) set[column] = sql.ref(`excluded.${column}`) as RawBuilder<never>;
  return set;
}

/** The Kysely form of every row write: what PostgreSQL runs, and SQLite outside a transaction. */
export function portableRowWrites(db: Kysely<Database>, maxParameters: number): RowWrites {
  return {
    async upsertHealthScores(rows) {
      for (const chunk of chunks(rows, maxParameters, HEALTH_COLUMNS)) {
        await db
          .insertInto("health_scores")
          .values(chunk)
          .onConflict((oc) =>
            oc
              .columns(["workspace_id", "account_id", "date"])
              .doUpdateSet(excluded(HEALTH_UPDATABLE))
              .where(
                sql<boolean>`${sql.join(
                  HEALTH_UPDATABLE.map(
                    (c) => sql`health_scores.${sql.ref(c)} IS DISTINCT FROM excluded.${sql.ref(c)}`,
                  ),
                  sql` OR `,
                )}`,
              ),
          )
          .execute();
      }
    },
    async updateSignalStatuses(workspaceId, updates) {
      for (const u of updates) {
        await db
          .updateTable("signals")
          .set({
            status: u.status,
            acknowledged_at: u.acknowledged_at,
            resolved_at: u.resolved_at,
            status_changed_by: u.status_changed_by,
          })
          .where("workspace_id", "=", workspaceId)
          .where("id", "=", u.id)
          .execute();
      }
    },
    async upsertUsageUsers(rows, onProgress) {
      let done = 0;
      for (const chunk of chunks(rows, maxParameters, USER_COLUMNS)) {
        await db
          .insertInto("usage_users")
          .values(chunk)
          .onConflict((oc) => oc.columns(["workspace_id", "user_key"]).doUpdateSet(excluded(USER_UPDATABLE)))
          .execute();
        done += chunk.length;
        onProgress?.(done, rows.length);
      }
    },
    async ensureUsageUsers(rows) {
      for (const chunk of chunks(rows, maxParameters, USER_COLUMNS)) {
        await db
          .insertInto("usage_users")
          .values(chunk)
          .onConflict((oc) => oc.columns(["workspace_id", "user_key"]).doNothing())
          .execute();
      }
    },
  };
}

const HEALTH_UPSERT_ONE = `INSERT INTO health_scores (workspace_id, account_id, date, score, band, profile_id, breakdown, last_activity_at)
  VALUES (?, ?, ?, ?, ?, ?, ?, ?)
  ON CONFLICT (workspace_id, account_id, date) DO UPDATE SET ${HEALTH_UPDATABLE.map((c) => `${c} = excluded.${c}`).join(", ")}
  WHERE ${HEALTH_UPDATABLE.map((c) => `health_scores.${c} IS NOT excluded.${c}`).join(" OR ")}`;
const SIGNAL_STATUS_ONE =
  "UPDATE signals SET status = ?, acknowledged_at = ?, resolved_at = ?, status_changed_by = ? WHERE workspace_id = ? AND id = ?";
const USER_INSERT_ONE =
  "INSERT INTO usage_users (workspace_id, user_key, user_id, anonymous_id, account_id, name, email, role, " +
  "department, traits, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ";
const USER_ENSURE_ONE = `${USER_INSERT_ONE}ON CONFLICT (workspace_id, user_key) DO NOTHING`;
const USER_UPSERT_ONE = `${USER_INSERT_ONE}ON CONFLICT (workspace_id, user_key) DO UPDATE SET ${USER_UPDATABLE.map(
  (c) => `${c} = excluded.${c}`,
).join(", ")}`;
const userValues = (r: UsageUserTable): unknown[] => [
  r.workspace_id,
  r.user_key,
  r.user_id,
  r.anonymous_id,
  r.account_id,
  r.name,
  r.email,
  r.role,
  r.department,
  r.traits,
  r.updated_at,
];

/** SQLite inside a transaction: one prepared statement run per row on the transaction's connection. */
export function sqlitePreparedRowWrites(writer: PreparedWriter): RowWrites {
  return {
    async upsertHealthScores(rows) {
      const run = writer.statement(HEALTH_UPSERT_ONE);
      for (const r of rows)
        run([
          r.workspace_id,
          r.account_id,
          r.date,
          r.score,
          r.band,
          r.profile_id,
          r.breakdown,
          r.last_activity_at,
        ]);
    },
    async updateSignalStatuses(workspaceId, updates) {
      const run = writer.statement(SIGNAL_STATUS_ONE);
      for (const u of updates)
        run([u.status, u.acknowledged_at, u.resolved_at, u.status_changed_by, workspaceId, u.id]);
    },
    async upsertUsageUsers(rows, onProgress) {
      const run = writer.statement(USER_UPSERT_ONE);
      rows.forEach((r, i) => {
        run(userValues(r));
        if ((i + 1) % 1000 === 0 || i + 1 === rows.length) onProgress?.(i + 1, rows.length);
      });
    },
    async ensureUsageUsers(rows) {
      const run = writer.statement(USER_ENSURE_ONE);
      for (const r of rows) run(userValues(r));
    },
  };
}

/** Rows per multi-row rollup-week upsert: on SQLite one call per 256 rows costs half of one call per row. */
export const ROLLUP_WEEKS_PER_UPSERT = 256;

/**
 * The embedded database's synchronous bulk paths, by name (SQLite, inside a transaction, on the
 * connection the transaction holds): the usage event log's indexed insert and the rollup weeks' merge
 * run these between in-memory steps that must not yield.
 */
export interface PreparedWrites {
  /** Appends a block of `events` encoded calls with their id hashes; returns the new block id. */
  insertEventBlock(workspaceId: string, events: number, payload: string | Buffer, idHashes: Buffer): number;
  /** Queues a block for the deferred rollup (the tracking API's group commit). */
  markRollupPending(blockId: number, workspaceId: string): void;
  /** `[week, cells]` rows of one user's stored rollup weeks in [fromWeek, toWeek]. */
  storedRollupWeeks(workspaceId: string, userKey: string, fromWeek: string, toWeek: string): unknown[][];
  /**
   * Inserts or replaces rollup weeks from `params`, `rows` × (workspace_id, user_key, week, cells);
   * `rows` = ROLLUP_WEEKS_PER_UPSERT runs as one statement, fewer as one statement per row.
   */
  upsertRollupWeeks(params: readonly unknown[], rows: number): void;
}

const upsertWeeksSql = (rows: number) =>
  `INSERT INTO usage_rollup_weeks (workspace_id, user_key, week, cells) VALUES ${Array(rows)
    .fill("(?, ?, ?, ?)")
    .join(", ")} ON CONFLICT (workspace_id, user_key, week) DO UPDATE SET cells = excluded.cells`;
const WEEK_COLUMNS = 4;

/** PreparedWrites on SQLite's prepared-statement writer. */
export function sqlitePreparedWrites(writer: PreparedWriter): PreparedWrites {
  const insertBlock = writer.insert(
    "INSERT INTO usage_event_blocks (workspace_id, events, payload, id_hashes) VALUES (?, ?, ?, ?)",
  );
  const pending = writer.statement("INSERT INTO usage_rollup_pending (block_id, workspace_id) VALUES (?, ?)");
  const existing = writer.rows(
    "SELECT week, cells FROM usage_rollup_weeks WHERE workspace_id = ? AND user_key = ? AND week >= ? AND week <= ?",
  );
  const upsertMany = writer.statement(upsertWeeksSql(ROLLUP_WEEKS_PER_UPSERT));
  const upsertOne = writer.statement(upsertWeeksSql(1));
  return {
    insertEventBlock: (workspaceId, events, payload, idHashes) =>
      insertBlock([workspaceId, events, payload, idHashes]),
    markRollupPending(blockId, workspaceId) {
      pending([blockId, workspaceId]);
    },
    storedRollupWeeks: (workspaceId, userKey, fromWeek, toWeek) =>
      existing([workspaceId, userKey, fromWeek, toWeek]),
    upsertRollupWeeks(params, rows) {
      if (rows === ROLLUP_WEEKS_PER_UPSERT) {
        upsertMany(params.length === rows * WEEK_COLUMNS ? params : params.slice(0, rows * WEEK_COLUMNS));
        return;
      }
      for (let r = 0; r < rows; r++) upsertOne(params.slice(r * WEEK_COLUMNS, (r + 1) * WEEK_COLUMNS));
    },
  };
}
