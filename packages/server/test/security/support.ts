import path from "node:path";
import type { StorageConfig } from "@tenure/storage";
import Database from "better-sqlite3";
import type { OpenApiDocument, Operation } from "../support/openapi-arbitraries";

/**
 * Classic SQL injection strings: tautologies, stacked queries, UNION reads of the catalogue, time
 * delays, comments, quote variants (ASCII, doubled, escaped, Unicode look-alikes) and LIKE wildcards.
 */
export const SQL_PAYLOADS: readonly string[] = [
  "' OR 1=1 --",
  "' OR '1'='1",
  '" OR "1"="1',
  "') OR ('1'='1",
  "1' OR '1'='1' /*",
  "admin'--",
  "'; DROP TABLE accounts; --",
  '"; DROP TABLE accounts; --',
  "'); DELETE FROM accounts; --",
  "1; UPDATE accounts SET name='x'",
  "' UNION SELECT name, sql FROM sqlite_master --",
  "' UNION SELECT table_name, NULL FROM information_schema.tables --",
  "' UNION ALL SELECT NULL,NULL,NULL--",
  "1 UNION SELECT 1,2,3",
  "'; SELECT pg_sleep(5); --",
  "' || pg_sleep(5) || '",
  "1 AND (SELECT 1 FROM pg_sleep(5)) IS NOT NULL",
  "' AND randomblob(500000000) --",
  "'/**/OR/**/1=1#",
  "' OR 1=1#",
  "\\' OR 1=1 --",
  "'' OR ''=''",
  "%' OR '%'='",
  "%",
  "%%",
  "\\",
  "\u2019 OR 1=1 --",
  "\u02bc OR \u02bc1\u02bc=\u02bc1",
  "\uff07 OR 1=1 --",
  "name DESC; DROP TABLE accounts",
  "(SELECT CASE WHEN 1=1 THEN name ELSE arr END)",
  "1) OR (1=1",
];

/** GET and other operations of an OpenAPI document, in document order. */
export function operationsOf(doc: OpenApiDocument): { path: string; method: string; op: Operation }[] {
  return Object.entries(doc.paths).flatMap(([p, ops]) =>
    Object.entries(ops).map(([method, op]) => ({ path: p, method, op })),
  );
}

/**
 * Every table and its row count, read over a connection of its own (the storage exposes no raw SQL):
 * what a stacked `DROP`/`DELETE`/`UPDATE` would change.
 */
export async function tableRowCounts(config: StorageConfig): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  if (config.databaseUrl === undefined) {
    const file = config.sqliteFile ?? path.join(config.dataDir ?? "tenure-data", "tenure.db");
    const db = new Database(file, { readonly: true });
    try {
      const tables = db
        .prepare("select name from sqlite_master where type = 'table' order by name")
        .all() as { name: string }[];
      for (const { name } of tables) {
        out[name] = (db.prepare(`select count(*) as n from "${name}"`).get() as { n: number }).n;
      }
    } finally {
      db.close();
    }
    return out;
  }
  const { default: pg } = await import("pg");
  const client = new pg.Client({ connectionString: config.databaseUrl });
  await client.connect();
  try {
    const schema = config.schema ?? "public";
    const tables = await client.query<{ table_name: string }>(
      "select table_name from information_schema.tables where table_schema = $1 order by table_name",
      [schema],
    );
    for (const { table_name } of tables.rows) {
      const r = await client.query<{ n: string }>(`select count(*) as n from "${schema}"."${table_name}"`);
      out[table_name] = Number(r.rows[0]?.n ?? 0);
    }
  } finally {
    await client.end();
  }
  return out;
}

/**
 * What an answer says, reduced to the length of every list in it (up to 3 levels deep): a payload that
 * changed a result changes one of them.
 */
export function listLengths(value: unknown, at = "", depth = 0, out: Record<string, number> = {}) {
  if (Array.isArray(value)) {
    out[at || "."] = value.length;
    if (depth < 3)
      for (const [i, v] of value.slice(0, 3).entries()) listLengths(v, `${at}[${i}]`, depth + 1, out);
  } else if (typeof value === "object" && value !== null && depth < 3) {
    for (const [k, v] of Object.entries(value)) listLengths(v, `${at}.${k}`, depth + 1, out);
  }
  return out;
}
