import type BetterSqlite3 from "better-sqlite3";
import {
  type CompiledQuery,
  type DatabaseConnection,
  type Driver,
  type QueryResult,
  SelectQueryNode,
  SqliteAdapter,
  type SqliteDialect,
  SqliteIntrospector,
  SqliteQueryCompiler,
} from "kysely";

/** Statements kept prepared per connection (Kysely's own driver prepares every query again). */
const STATEMENT_CACHE = 512;
/** Pause between attempts to take the write lock held by another connection (a worker thread). */
const LOCK_RETRY_MS = 2;

const isBusy = (error: unknown) => {
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" && code.startsWith("SQLITE_BUSY");
};

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * The embedded database's Kysely dialect: Kysely's SQLite query compiler on our own driver, which
 * (1) keeps statements prepared, and (2) begins transactions with BEGIN IMMEDIATE, waiting for the
 * write lock asynchronously. A deferred BEGIN that reads and later writes fails with SQLITE_BUSY
 * when another connection (the tracking API's writer thread) committed in between; and SQLite's own
 * busy handler waits by sleeping the thread, which would stall every request in this event loop.
 */
export class TenureSqliteDialect implements Pick<SqliteDialect, keyof SqliteDialect> {
  constructor(private readonly database: BetterSqlite3.Database) {}

  createDriver(): Driver {
    return new TenureSqliteDriver(this.database);
  }
  createQueryCompiler() {
    return new SqliteQueryCompiler();
  }
  createAdapter() {
    return new SqliteAdapter();
  }
  createIntrospector(db: Parameters<SqliteDialect["createIntrospector"]>[0]) {
    return new SqliteIntrospector(db);
  }
}

class TenureSqliteDriver implements Driver {
  private readonly connection: TenureSqliteConnection;
  private readonly mutex = new ConnectionMutex();
  private busyTimeout: number | undefined;

  constructor(private readonly database: BetterSqlite3.Database) {
    this.connection = new TenureSqliteConnection(database);
  }

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    // One connection: a mutex makes other queries wait while a transaction holds it.
    await this.mutex.lock();
    return this.connection;
  }

  async beginTransaction(): Promise<void> {
    const db = this.database;
    // The connection's busy timeout bounds the wait, as SQLite's own handler would (it is set once,
    // at open, so it is read once).
    this.busyTimeout ??= db.pragma("busy_timeout", { simple: true }) as number;
    const deadline = performance.now() + this.busyTimeout;
    db.pragma("busy_timeout = 0");
    try {
      for (;;) {
        try {
          db.exec("BEGIN IMMEDIATE");
          return;
        } catch (error) {
          if (!isBusy(error) || performance.now() >= deadline) throw error;
        }
        await sleep(LOCK_RETRY_MS);
      }
    } finally {
      db.pragma(`busy_timeout = ${this.busyTimeout}`);
    }
  }

  async commitTransaction(): Promise<void> {
    this.database.exec("COMMIT");
  }

  async rollbackTransaction(): Promise<void> {
    this.database.exec("ROLLBACK");
  }

  async savepoint(): Promise<void> {
    throw new Error("savepoints are not used by Tenure");
  }

  async rollbackToSavepoint(): Promise<void> {
    throw new Error("savepoints are not used by Tenure");
  }

  async releaseSavepoint(): Promise<void> {
    throw new Error("savepoints are not used by Tenure");
  }

  async releaseConnection(): Promise<void> {
    this.mutex.unlock();
  }

  async destroy(): Promise<void> {
    this.database.close();
  }
}

class TenureSqliteConnection implements DatabaseConnection {
  private readonly statements = new Map<string, BetterSqlite3.Statement>();

  constructor(private readonly database: BetterSqlite3.Database) {}

  private prepare(sql: string): BetterSqlite3.Statement {
    let stmt = this.statements.get(sql);
    if (stmt !== undefined) {
      // Least recently used first: a hit moves the statement to the end.
      this.statements.delete(sql);
      this.statements.set(sql, stmt);
      return stmt;
    }
    stmt = this.database.prepare(sql);
    // Queries built with IN lists of varying length have many texts: keep the most recently used.
    if (this.statements.size >= STATEMENT_CACHE) {
      const oldest = this.statements.keys().next().value as string;
      this.statements.delete(oldest);
    }
    this.statements.set(sql, stmt);
    return stmt;
  }

  async executeQuery<R>(compiledQuery: CompiledQuery): Promise<QueryResult<R>> {
    const { sql, parameters } = compiledQuery;
    const stmt = this.prepare(sql);
    if (stmt.reader) return { rows: stmt.all(parameters) as R[] };
    const { changes, lastInsertRowid } = stmt.run(parameters);
    return {
      numAffectedRows: BigInt(changes),
      insertId: BigInt(lastInsertRowid),
      rows: [],
    };
  }

  async *streamQuery<R>(compiledQuery: CompiledQuery): AsyncIterableIterator<QueryResult<R>> {
    const { sql, parameters, query } = compiledQuery;
    if (!SelectQueryNode.is(query)) throw new Error("SQLite streams only select queries");
    // Not cached: an iterating statement cannot run again until the iteration ends.
    for (const row of this.database.prepare(sql).iterate(parameters)) yield { rows: [row as R] };
  }
}

class ConnectionMutex {
  private promise: Promise<void> | undefined;
  private resolve: (() => void) | undefined;

  async lock(): Promise<void> {
    while (this.promise) await this.promise;
    this.promise = new Promise((resolve) => {
      this.resolve = resolve;
    });
  }

  unlock(): void {
    const resolve = this.resolve;
    this.promise = undefined;
    this.resolve = undefined;
    resolve?.();
  }
}
