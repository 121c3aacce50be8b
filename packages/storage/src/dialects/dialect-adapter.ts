import type { Dialect, Kysely, RawBuilder, SelectQueryBuilder } from "kysely";
import type { Database, DbBoolean } from "../schema";
import type { PreparedWrites, RowWrites } from "./row-writes";

export type DialectName = "sqlite" | "postgres";

/** Connection settings an adapter needs to build its Kysely dialect. */
export interface DialectConfig {
  databaseUrl?: string;
  dataDir?: string;
  sqliteFile?: string;
  schema?: string;
}

/**
 * Runs a compiled read-only query and returns rows as arrays of column values, in select order.
 * Large report reads use it: no per-row objects is about twice as fast on 300k rows. It runs outside
 * any open transaction, so use it only for reads.
 */
export type ArrayReader = (sql: string, parameters: readonly unknown[]) => Promise<unknown[][]>;

/**
 * Synchronous prepared statements on the embedded database's single connection (SQLite only). A
 * statement run while a Kysely transaction holds that connection is part of the transaction, so
 * repositories use it only inside one (`db.isTransaction`). Bulk writes use it: one prepared
 * statement per row is several times cheaper than building a multi-row query per chunk.
 */
export interface PreparedWriter {
  /** Compiles `sql` once (cached); the returned function runs it and returns the rows it changed. */
  statement(sql: string): (parameters: readonly unknown[]) => number;
  /** Like `statement` for an INSERT; the returned function returns the inserted row's rowid. */
  insert(sql: string): (parameters: readonly unknown[]) => number;
  /** Like `statement` for a SELECT; the returned function returns its rows as arrays of column values. */
  rows(sql: string): (parameters: readonly unknown[]) => unknown[][];
}

/**
 * The embedded database's journal for one large write (see `Storage.bulkTransaction`): `enter`
 * switches from the WAL to a rollback journal when no other connection has the file open (false
 * when one has: the write then goes through the WAL as usual); `leave` switches back.
 */
export interface BulkJournal {
  enter(): boolean;
  leave(): void;
}

/**
 * Everything that differs between the databases we support, as data and small functions.
 * Repositories only talk to this interface, never to a dialect name.
 */
export interface DialectAdapter {
  readonly name: DialectName;
  /** Largest number of bound parameters we put in one statement. */
  readonly maxParameters: number;
  /**
   * Whether SELECT ... FOR UPDATE exists (PostgreSQL). Without it (SQLite) a write transaction
   * already excludes every other writer.
   */
  readonly rowLocks: boolean;
  /**
   * Builds the Kysely dialect (and prepares the database file or schema), its array reader and,
   * where the driver allows it, a synchronous prepared-statement writer.
   */
  createDialect(config: DialectConfig): Promise<{
    dialect: Dialect;
    readArrays: ArrayReader;
    writer?: PreparedWriter;
    bulkJournal?: BulkJournal;
  }>;
  encodeBoolean(value: boolean): DbBoolean;
  decodeBoolean(value: DbBoolean): boolean;
  encodeJson(value: unknown): string;
  decodeJson(value: unknown): unknown;
  /** Counts and aggregates come back as strings from some drivers (PostgreSQL bigint/numeric). */
  parseNumber(value: unknown): number;
  /**
   * SQL placed after a table alias in FROM/JOIN to read it through its primary key: "" where the
   * planner picks it from statistics (PostgreSQL); INDEXED BY on SQLite, whose planner, without
   * ANALYZE, prefers a covering secondary index even when the key's leading columns are all bound.
   */
  primaryKeyHint(table: string): string;
  /**
   * Schema of Kysely's migration tables. PostgreSQL: the schema in use, named explicitly, because
   * Kysely otherwise looks for them in every schema and takes another schema's tables (another
   * deployment or test in the same database) for its own. SQLite: undefined (one file, one schema).
   */
  migrationSchema(db: Kysely<Database>): Promise<string | undefined>;
  /**
   * A statement that makes other transactions taking the same `key` wait until this one ends (a
   * PostgreSQL advisory lock), for read-modify-write of rows that may not exist yet; null where a write
   * transaction already excludes every other writer (SQLite).
   */
  transactionLock(key: string): RawBuilder<unknown> | null;
  /**
   * Locks the rows a job-queue claim selects, skipping rows another transaction holds: FOR UPDATE
   * SKIP LOCKED on PostgreSQL, so concurrent workers take different jobs without waiting; the query
   * unchanged on SQLite, where the claim's single UPDATE statement already excludes every other writer.
   */
  skipLocked<DB, TB extends keyof DB, O>(query: SelectQueryBuilder<DB, TB, O>): SelectQueryBuilder<DB, TB, O>;
  /**
   * A statement run in a job claim's transaction before the claim so that the planner walks the claim
   * index in order instead of sorting every due job (PostgreSQL: `SET LOCAL enable_sort = off`; when a
   * burst of jobs arrives before statistics know of it, the sorting plan costs ~50 ms per claim at 10k
   * due jobs against ~0.1 ms); null where the planner needs no help (SQLite).
   */
  readonly claimPlanHint: RawBuilder<unknown> | null;
  /** The text aggregate joining `value` over a group with `separator` (group_concat / string_agg). */
  stringAgg(value: RawBuilder<unknown>, separator: string): RawBuilder<string | null>;
  /**
   * Statements run outside any transaction after `table` was rewritten in bulk, so that counts read its
   * indexes alone: VACUUM (ANALYZE) on PostgreSQL (visibility map and statistics: without them a count
   * visits every row); none on SQLite, whose index scans never visit the table.
   */
  afterBulkRewrite(table: string): RawBuilder<unknown>[];
  /**
   * The named bulk row writes on `db` (see RowWrites); `writer` is the prepared-statement writer when
   * `db` is a transaction on a dialect that has one (SQLite), else null.
   */
  rowWrites(db: Kysely<Database>, writer: PreparedWriter | null): RowWrites;
  /**
   * The synchronous bulk paths on `writer` (see PreparedWrites); null on dialects without a prepared
   * writer, whose repositories take their portable Kysely paths.
   */
  preparedWrites(writer: PreparedWriter | undefined): PreparedWrites | null;
}

/** JSON text codec shared by adapters that store JSON as text. */
export function decodeJsonText(value: unknown): unknown {
  return typeof value === "string" ? JSON.parse(value) : value;
}

/** Number parsing shared by adapters: drivers hand back numbers, bigints or numeric strings. */
export function parseDriverNumber(value: unknown): number {
  if (typeof value === "number") return value;
  if (typeof value === "bigint" || typeof value === "string") return Number(value);
  throw new TypeError(`expected a number from the database, got ${typeof value}`);
}
