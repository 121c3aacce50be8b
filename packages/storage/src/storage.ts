import { Kysely, Migrator } from "kysely";
import type { DialectAdapter, DialectName } from "./dialects/dialect-adapter";
import { postgresAdapter } from "./dialects/postgres";
import { sqliteAdapter } from "./dialects/sqlite";
import { migrationProvider } from "./migrations/index";
import { createRepositories, type Repositories } from "./repositories/index";
import type { Database } from "./schema";

/** The workspace used when a deployment has only one. */
export const DEFAULT_WORKSPACE_ID = "default";

export interface StorageConfig {
  /** PostgreSQL connection string; when absent the embedded SQLite database is used. */
  databaseUrl?: string;
  /** Folder of the SQLite database `tenure.db` (default "./tenure-data"). */
  dataDir?: string;
  /** Exact SQLite file (or ":memory:"), overriding dataDir. */
  sqliteFile?: string;
  /** PostgreSQL schema to use (created if missing); isolates tests. */
  schema?: string;
}

/** Repositories within one transaction. */
export type StorageTransaction = Repositories;

export interface Storage extends Repositories {
  readonly dialect: DialectName;
  /** The settings it was opened with (a worker thread opens its own connection with them). */
  readonly config: StorageConfig;
  /** Runs `fn` in one transaction: it commits when `fn` resolves and rolls back when it throws. */
  transaction<T>(fn: (tx: StorageTransaction) => Promise<T>): Promise<T>;
  /**
   * `transaction` for one large write (a bulk import). On the embedded database, when no other
   * connection has the file open, it runs on a rollback journal instead of the WAL: its new pages are
   * then written once, not to the WAL and again by the checkpoint (5M events: about 1.4 s less).
   * Meanwhile other processes can read only until it first writes pages to the file, then they wait
   * (up to 5 s, then fail with a clear message). When another connection has the file open, and on
   * PostgreSQL, it is a plain transaction.
   */
  bulkTransaction<T>(fn: (tx: StorageTransaction) => Promise<T>): Promise<T>;
  /**
   * The Kysely instance itself, for a library that speaks Kysely and must store in this database
   * through this connection (better-auth, whose tables our migrations create). Everything else goes
   * through the repositories.
   */
  readonly kysely: Kysely<Database>;
  close(): Promise<void>;
}

/**
 * Opens (and migrates) the database: SQLite by default, PostgreSQL when `databaseUrl` is set.
 * `migrate: false` is for a second connection of a process that already opened (and migrated) it,
 * such as the server's threads.
 */
export async function openStorage(
  config: StorageConfig = {},
  opts: { migrate?: boolean } = {},
): Promise<Storage> {
  const adapter: DialectAdapter = config.databaseUrl ? postgresAdapter : sqliteAdapter;
  const { dialect, readArrays, writer, bulkJournal } = await adapter.createDialect(config);
  const db = new Kysely<Database>({ dialect });
  try {
    if (opts.migrate !== false) await migrate(db, await adapter.migrationSchema(db));
  } catch (error) {
    await db.destroy();
    throw error;
  }
  const transaction = <T>(fn: (tx: StorageTransaction) => Promise<T>) =>
    db.transaction().execute((trx) => fn(createRepositories({ db: trx, adapter, readArrays, writer })));
  return {
    ...createRepositories({ db, adapter, readArrays, writer }),
    dialect: adapter.name,
    config,
    kysely: db,
    transaction,
    async bulkTransaction(fn) {
      if (bulkJournal === undefined || !bulkJournal.enter()) return transaction(fn);
      try {
        return await transaction(fn);
      } finally {
        bulkJournal.leave();
      }
    },
    close: () => db.destroy(),
  };
}

async function migrate(db: Kysely<Database>, migrationTableSchema: string | undefined): Promise<void> {
  const { error, results } = await new Migrator({
    db,
    provider: migrationProvider,
    migrationTableSchema,
  }).migrateToLatest();
  if (error !== undefined) {
    const failed = results?.find((r) => r.status === "Error")?.migrationName ?? "unknown";
    throw new Error(`database migration ${failed} failed: ${String(error)}`, { cause: error });
  }
}
