import { AsyncLocalStorage } from "node:async_hooks";
import { Kysely, Migrator } from "kysely";
import { ambientDialect } from "./ambient-kysely";
import type { DialectAdapter, DialectName } from "./dialects/dialect-adapter";
import { postgresAdapter } from "./dialects/postgres";
import { sqliteAdapter } from "./dialects/sqlite";
import { migrationProvider } from "./migrations/index";
import type { AuditEntry, AuditOrigin } from "./repositories/audit-repository";
import { createRepositories, type Repositories } from "./repositories/index";
import type { RepositoryContext } from "./repositories/repository-context";
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
   * A Kysely over this database, for a library that speaks Kysely (better-auth, whose tables our
   * migrations create). Each query runs in the `audited` transaction of the current async context when
   * one is open (so what the library writes commits, or rolls back, with the change and its audit
   * row), else on the pool. It cannot open transactions of its own. Everything else goes through the
   * repositories.
   */
  readonly kysely: Kysely<Database>;
  /**
   * Runs a change and its audit rows in one transaction: `record` writes an audit row (secrets
   * redacted) in it, and while `fn` runs every call on this storage (its repositories, `transaction`,
   * services handed the storage) joins that transaction too, so neither the change nor its row is
   * written without the other. Nested calls join the outer one. `bulk`: as bulkTransaction.
   * @example storage.audited(origin, async (tx, record) => { ...; await record({ action: "tag.add", entityType: "account", entityId }) })
   */
  audited<T>(
    origin: AuditOrigin,
    fn: (tx: StorageTransaction, record: (entry: AuditEntry) => Promise<void>) => Promise<T>,
    opts?: { bulk?: boolean },
  ): Promise<T>;
  /**
   * Runs `fn` once the audited change this call is part of has committed (at once outside one), and
   * before `audited` returns. For derived work (a health recompute) that must see the change but is
   * not part of it, and must not hold the change's transaction open.
   */
  afterCommit(fn: () => Promise<void>): Promise<void>;
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
  // The transaction of the `audited` call this async context runs in; `active` turns false when it
  // ends, so work it started that outlives it (a timer, a background recompute) uses the pool again.
  type Ambient = {
    trx: Kysely<Database>;
    tx: StorageTransaction;
    active: boolean;
    after: Array<() => Promise<void>>;
  };
  const ambient = new AsyncLocalStorage<Ambient>();
  const current = (): Ambient | undefined => {
    const store = ambient.getStore();
    return store?.active ? store : undefined;
  };
  const rootCtx: RepositoryContext = {
    get db() {
      return current()?.trx ?? db;
    },
    adapter,
    readArrays,
    writer,
  };
  // One place for both dialects: the same routing as rootCtx, at the level of compiled queries.
  const kysely = new Kysely<Database>({ dialect: ambientDialect(dialect, () => current()?.trx ?? db) });
  const repos = (trx: Kysely<Database>) => createRepositories({ db: trx, adapter, readArrays, writer });
  const transaction = <T>(fn: (tx: StorageTransaction) => Promise<T>): Promise<T> => {
    const store = current();
    // Inside an audited change a nested transaction joins it (Kysely transactions do not nest).
    if (store !== undefined) return fn(store.tx);
    return db.transaction().execute((trx) => fn(repos(trx)));
  };
  const bulkTransaction = async <T>(fn: (tx: StorageTransaction) => Promise<T>): Promise<T> => {
    if (current() !== undefined || bulkJournal === undefined || !bulkJournal.enter()) return transaction(fn);
    try {
      return await transaction(fn);
    } finally {
      bulkJournal.leave();
    }
  };
  const runAudited = <T>(
    trx: Kysely<Database>,
    origin: AuditOrigin,
    fn: (tx: StorageTransaction, record: (entry: AuditEntry) => Promise<void>) => Promise<T>,
    after: Array<() => Promise<void>>,
  ): Promise<T> => {
    const store: Ambient = { trx, tx: repos(trx), active: true, after };
    const record = async (entry: AuditEntry) => {
      await store.tx.audit.record(origin, entry);
    };
    return ambient.run(store, async () => {
      try {
        return await fn(store.tx, record);
      } finally {
        store.active = false;
      }
    });
  };
  return {
    ...createRepositories(rootCtx),
    dialect: adapter.name,
    config,
    kysely,
    transaction,
    bulkTransaction,
    audited(origin, fn, opts = {}) {
      const outer = current();
      if (outer !== undefined)
        return fn(outer.tx, (entry) => outer.tx.audit.record(origin, entry).then(() => {}));
      const after: Array<() => Promise<void>> = [];
      const inTrx = async () => {
        const result = await db.transaction().execute((trx) => runAudited(trx, origin, fn, after));
        // Committed: the derived work runs now, on the pool, before the caller answers.
        for (const hook of after) await hook();
        return result;
      };
      if (!opts.bulk || bulkJournal === undefined || !bulkJournal.enter()) return inTrx();
      return inTrx().finally(() => bulkJournal.leave());
    },
    async afterCommit(hook) {
      const store = current();
      if (store === undefined) await hook();
      else store.after.push(hook);
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
