import { closeSync, mkdirSync, openSync } from "node:fs";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { sql } from "kysely";
import {
  type DialectAdapter,
  decodeJsonText,
  type PreparedWriter,
  parseDriverNumber,
} from "./dialect-adapter";
import { portableRowWrites, sqlitePreparedRowWrites, sqlitePreparedWrites } from "./row-writes";
import { TenureSqliteDialect } from "./sqlite-driver";

/**
 * Creates the database file (and a missing folder) readable by its owner only, before SQLite opens it:
 * it holds customer data and API key hashes. SQLite gives the -wal, -shm and -journal files the
 * main file's permissions, so they are 0600 too. An existing file keeps the mode its operator chose.
 */
function createPrivately(file: string): void {
  mkdirSync(path.dirname(path.resolve(file)), { recursive: true, mode: 0o700 });
  // "a": create when missing, never truncate; an empty file is a valid new database.
  closeSync(openSync(file, "a", 0o600));
}

/** Default embedded database: `${dataDir}/tenure.db`, WAL, foreign keys on. */
export const sqliteAdapter: DialectAdapter = {
  name: "sqlite",
  // SQLite >= 3.32 allows 32766 variables per statement; leave headroom.
  maxParameters: 30_000,
  rowLocks: false,
  async createDialect(config) {
    const file = config.sqliteFile ?? path.join(config.dataDir ?? "./tenure-data", "tenure.db");
    if (file !== ":memory:") createPrivately(file);
    const database = new BetterSqlite3(file);
    // First, so that opening while a bulk import holds the file (see bulkJournal) waits for it.
    database.pragma("busy_timeout = 5000");
    try {
      database.pragma("journal_mode = WAL");
    } catch (error) {
      database.close();
      if ((error as { code?: string }).code !== "SQLITE_BUSY") throw error;
      throw new Error(
        `the database ${file} is locked by another process (a bulk import?): try again once it has finished`,
        { cause: error },
      );
    }
    database.pragma("synchronous = NORMAL");
    database.pragma("foreign_keys = ON");
    // 64 MB page cache (default 2 MB): inserts keyed by random messageIds touch pages all over the index.
    database.pragma("cache_size = -65536");
    // Checkpoint every 256 MB of WAL instead of 4 MB: each checkpoint syncs the database file, and a
    // stream of ingest commits rewrites the same rollup pages, which a checkpoint then copies once.
    database.pragma("wal_autocheckpoint = 65536");
    return {
      dialect: new TenureSqliteDialect(database),
      readArrays: async (sql, parameters) =>
        database
          .prepare(sql)
          .raw(true)
          .all(...parameters) as unknown[][],
      writer: preparedWriter(database),
      bulkJournal: {
        enter: () => {
          // Not inside another transaction of this connection (the journal cannot change there).
          if (database.inTransaction) return false;
          try {
            // Leaving WAL needs the file to itself: it fails while another connection has it open.
            if (database.pragma("journal_mode = TRUNCATE", { simple: true }) !== "truncate") return false;
          } catch (error) {
            if ((error as { code?: string }).code === "SQLITE_BUSY") return false;
            throw error;
          }
          // A rollback journal on NORMAL may lose the last commit on power loss; FULL syncs it.
          database.pragma("synchronous = FULL");
          return true;
        },
        leave: () => {
          try {
            database.pragma("journal_mode = WAL");
            database.pragma("synchronous = NORMAL");
          } catch (error) {
            // Committed all the same; the next connection to open the file turns WAL back on.
            if ((error as { code?: string }).code !== "SQLITE_BUSY") throw error;
          }
        },
      },
    };
  },
  encodeBoolean: (value) => (value ? 1 : 0),
  decodeBoolean: (value) => value === true || value === 1,
  encodeJson: (value) => JSON.stringify(value),
  decodeJson: decodeJsonText,
  parseNumber: parseDriverNumber,
  // A table-level PRIMARY KEY constraint is SQLite's first autoindex of the table.
  primaryKeyHint: (table) => `INDEXED BY "sqlite_autoindex_${table}_1"`,
  migrationSchema: async () => undefined,
  transactionLock: () => null,
  skipLocked: (query) => query,
  claimPlanHint: null,
  stringAgg: (value, separator) => sql<string | null>`group_concat(${value}, ${separator})`,
  afterBulkRewrite: () => [],
  rowWrites: (db, writer) =>
    writer === null ? portableRowWrites(db, sqliteAdapter.maxParameters) : sqlitePreparedRowWrites(writer),
  // Statements are compiled once per connection by the writer's cache: building this is a few lookups.
  preparedWrites: (writer) => (writer === undefined ? null : sqlitePreparedWrites(writer)),
};

function preparedWriter(database: BetterSqlite3.Database): PreparedWriter {
  const cache = new Map<string, BetterSqlite3.Statement>();
  const prepare = (sql: string) => {
    let stmt = cache.get(sql);
    if (stmt === undefined) {
      stmt = database.prepare(sql);
      cache.set(sql, stmt);
    }
    return stmt;
  };
  return {
    statement(sql) {
      const prepared = prepare(sql);
      return (parameters) => prepared.run(parameters as unknown[]).changes;
    },
    insert(sql) {
      const prepared = prepare(sql);
      return (parameters) => Number(prepared.run(parameters as unknown[]).lastInsertRowid);
    },
    rows(sql) {
      const prepared = prepare(sql).raw(true);
      return (parameters) => prepared.all(parameters as unknown[]) as unknown[][];
    },
  };
}
