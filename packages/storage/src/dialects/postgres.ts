import { PostgresDialect, sql } from "kysely";
import { type DialectAdapter, decodeJsonText, parseDriverNumber } from "./dialect-adapter";
import { portableRowWrites } from "./row-writes";

const SCHEMA_NAME = /^[a-z_][a-z0-9_]*$/;

/** PostgreSQL for production; `schema` isolates tests (created if missing, set as search_path). */
export const postgresAdapter: DialectAdapter = {
  name: "postgres",
  // PostgreSQL's wire protocol allows 65535 parameters per statement.
  maxParameters: 60_000,
  rowLocks: true,
  async createDialect(config) {
    // Loaded here: processes and threads on the embedded database never pay for the driver (~60 ms).
    const { default: pg } = await import("pg");
    const connectionString = config.databaseUrl;
    let options: string | undefined;
    if (config.schema !== undefined) {
      if (!SCHEMA_NAME.test(config.schema)) throw new Error(`invalid schema name: ${config.schema}`);
      const client = new pg.Client({ connectionString });
      await client.connect();
      try {
        await client.query(`CREATE SCHEMA IF NOT EXISTS "${config.schema}"`);
      } finally {
        await client.end();
      }
      options = `-c search_path=${config.schema}`;
    }
    const pool = new pg.Pool({ connectionString, options, max: 10 });
    return {
      dialect: new PostgresDialect({ pool }),
      readArrays: async (sql, parameters) =>
        (await pool.query<unknown[]>({ text: sql, values: [...parameters], rowMode: "array" })).rows,
    };
  },
  encodeBoolean: (value) => value,
  decodeBoolean: (value) => value === true || value === 1,
  encodeJson: (value) => JSON.stringify(value),
  decodeJson: decodeJsonText,
  parseNumber: parseDriverNumber,
  primaryKeyHint: () => "",
  async migrationSchema(db) {
    const { rows } = await sql<{ schema: string }>`SELECT current_schema() AS schema`.execute(db);
    return rows[0]?.schema;
  },
  transactionLock: (key) => sql`SELECT pg_advisory_xact_lock(hashtext(${key}))`,
  skipLocked: (query) => query.forUpdate().skipLocked(),
  claimPlanHint: sql`SET LOCAL enable_sort = off`,
  stringAgg: (value, separator) => sql<string | null>`string_agg(${value}, ${separator})`,
  afterBulkRewrite: (table) => [sql`VACUUM (ANALYZE) ${sql.table(table)}`],
  rowWrites: (db) => portableRowWrites(db, postgresAdapter.maxParameters),
  preparedWrites: () => null,
};
