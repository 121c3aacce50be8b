import path from "node:path";
import type { StorageConfig } from "@tenure/storage";
import Database from "better-sqlite3";
import pg from "pg";

/**
 * Every row of workspace `ws` in every table that has a workspace_id column, read straight from the
 * database (not through the API under test): what an isolation test compares before and after.
 */
export async function workspaceRows(config: StorageConfig, ws: string): Promise<Record<string, string[]>> {
  const out: Record<string, string[]> = {};
  const add = (table: string, rows: unknown[]) => {
    out[table] = rows
      .map((r) => JSON.stringify(r, (_k, v) => (Buffer.isBuffer(v) ? v.toString("hex") : v)))
      .sort();
  };
  if (config.databaseUrl === undefined) {
    const db = new Database(path.join(config.dataDir ?? ".", "tenure.db"), { readonly: true });
    try {
      const tables = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'")
        .all() as { name: string }[];
      for (const { name } of tables) {
        const cols = db.prepare(`PRAGMA table_info("${name}")`).all() as { name: string }[];
        if (!cols.some((c) => c.name === "workspace_id")) continue;
        add(name, db.prepare(`SELECT * FROM "${name}" WHERE workspace_id = ?`).all(ws));
      }
    } finally {
      db.close();
    }
    return out;
  }
  const client = new pg.Client({ connectionString: config.databaseUrl });
  await client.connect();
  try {
    const schema = config.schema ?? "public";
    const { rows } = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.columns WHERE table_schema = $1 AND column_name = 'workspace_id'",
      [schema],
    );
    for (const { table_name } of rows) {
      add(
        table_name,
        (await client.query(`SELECT * FROM "${schema}"."${table_name}" WHERE workspace_id = $1`, [ws])).rows,
      );
    }
  } finally {
    await client.end();
  }
  return out;
}
