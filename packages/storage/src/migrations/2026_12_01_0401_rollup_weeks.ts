import { type Kysely, SqliteAdapter, sql } from "kysely";

/**
 * Coarser rollups. Frozen: never edit, add a new migration instead.
 * `usage_rollups` (one row per workspace, user, day and event) becomes `usage_rollup_weeks`: one row per
 * (workspace, user, week), `week` the Monday of the ISO week, `cells` the week's (day, event, count) cells
 * packed as short text (see repositories/usage-rollup-cells.ts, whose format is copied below as of this
 * migration). Event names are interned per workspace in `usage_event_names`; `usage_event_totals` keeps
 * the workspace's events per day (all users, attributed or not) for workspace-wide event rankings.
 * The ingest bench's 5 M calls were 3.1 M row upserts (user × day × event) plus the day index; as weeks, 280 k rows.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  const sqlite = db.getExecutor().adapter instanceof SqliteAdapter;
  await db.schema
    .createTable("usage_event_names")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("event_id", "integer", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("usage_event_names_pk", ["workspace_id", "event_id"])
    .addUniqueConstraint("usage_event_names_name_uq", ["workspace_id", "name"])
    .execute();
  await db.schema
    .createTable("usage_rollup_weeks")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("user_key", "text", (c) => c.notNull())
    .addColumn("week", "text", (c) => c.notNull())
    .addColumn("cells", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("usage_rollup_weeks_pk", ["workspace_id", "user_key", "week"])
    .$call((b) => (sqlite ? b.modifyEnd(sql`without rowid`) : b))
    .execute();
  await db.schema
    .createTable("usage_event_totals")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("day", "text", (c) => c.notNull())
    .addColumn("event_id", "integer", (c) => c.notNull())
    .addColumn("count", "bigint", (c) => c.notNull())
    .addPrimaryKeyConstraint("usage_event_totals_pk", ["workspace_id", "day", "event_id"])
    .$call((b) => (sqlite ? b.modifyEnd(sql`without rowid`) : b))
    .execute();

  // Event ids in name order per workspace.
  await sql`INSERT INTO usage_event_names (workspace_id, event_id, name)
    SELECT workspace_id, CAST(ROW_NUMBER() OVER (PARTITION BY workspace_id ORDER BY event) - 1 AS integer), event
    FROM (SELECT DISTINCT workspace_id, event FROM usage_rollups) d`.execute(db);
  await sql`INSERT INTO usage_event_totals (workspace_id, day, event_id, count)
    SELECT r.workspace_id, r.day, n.event_id, SUM(r.count)
    FROM usage_rollups r JOIN usage_event_names n ON n.workspace_id = r.workspace_id AND n.name = r.event
    GROUP BY r.workspace_id, r.day, n.event_id`.execute(db);

  // Weeks, converted 2,000 users at a time in key order (keyset pagination, bounded memory).
  const ids = new Map<string, number>();
  for (const r of (
    await sql<{ workspace_id: string; event_id: number; name: string }>`
    SELECT workspace_id, event_id, name FROM usage_event_names`.execute(db)
  ).rows)
    ids.set(`${r.workspace_id}\u0000${r.name}`, Number(r.event_id));
  const INSERT_ROWS = 1_000;
  let after: { ws: string; user: string } | null = null;
  for (;;) {
    // A page holds whole users (all their rows), so no week is split across pages.
    const users: Array<{ workspace_id: string; user_key: string }> = (
      await sql<{ workspace_id: string; user_key: string }>`
        SELECT DISTINCT workspace_id, user_key FROM usage_rollups
        WHERE ${after === null ? sql`1 = 1` : sql`(workspace_id > ${after.ws} OR (workspace_id = ${after.ws} AND user_key > ${after.user}))`}
        ORDER BY workspace_id, user_key LIMIT 2000`.execute(db)
    ).rows;
    const last = users[users.length - 1];
    if (last === undefined) break;
    const first = users[0] as { workspace_id: string; user_key: string };
    const rows = (
      await sql<{ workspace_id: string; user_key: string; day: string; event: string; count: unknown }>`
        SELECT workspace_id, user_key, day, event, count FROM usage_rollups
        WHERE (workspace_id > ${first.workspace_id} OR (workspace_id = ${first.workspace_id} AND user_key >= ${first.user_key}))
          AND (workspace_id < ${last.workspace_id} OR (workspace_id = ${last.workspace_id} AND user_key <= ${last.user_key}))`.execute(
        db,
      )
    ).rows;
    const weeks = new Map<string, { ws: string; user: string; week: string; cells: Map<number, number> }>();
    for (const r of rows) {
      const n = Math.round(Date.parse(`${r.day}T00:00:00Z`) / 86_400_000);
      const dow = (((n + 3) % 7) + 7) % 7;
      const week = new Date((n - dow) * 86_400_000).toISOString().slice(0, 10);
      const k = `${r.workspace_id}\u0000${r.user_key}\u0000${week}`;
      let w = weeks.get(k);
      if (w === undefined) {
        w = { ws: r.workspace_id, user: r.user_key, week, cells: new Map() };
        weeks.set(k, w);
      }
      const key = (ids.get(`${r.workspace_id}\u0000${r.event}`) as number) * 8 + dow;
      w.cells.set(key, (w.cells.get(key) ?? 0) + Number(r.count));
    }
    const values = [...weeks.values()].map((w) => ({
      workspace_id: w.ws,
      user_key: w.user,
      week: w.week,
      cells: encode([...w.cells].sort((a, b) => a[0] - b[0])),
    }));
    for (let i = 0; i < values.length; i += INSERT_ROWS)
      await db
        .insertInto("usage_rollup_weeks")
        .values(values.slice(i, i + INSERT_ROWS))
        .execute();
    after = { ws: last.workspace_id, user: last.user_key };
  }
  await db.schema.dropTable("usage_rollups").execute();
}

/**
 * The cell format as of this migration: (key, count) pairs, keys ascending, each value as little-endian
 * base-32 digits written as characters 0x30 + digit (+ 32 when more digits follow).
 */
function encode(cells: ReadonlyArray<readonly [number, number]>): string {
  const chars: number[] = [];
  const put = (v: number) => {
    while (v >= 32) {
      chars.push(0x30 + 32 + (v % 32));
      v = Math.floor(v / 32);
    }
    chars.push(0x30 + v);
  };
  for (const [key, count] of cells) {
    put(key);
    put(count);
  }
  let text = "";
  for (let i = 0; i < chars.length; i += 4096) text += String.fromCharCode(...chars.slice(i, i + 4096));
  return text;
}
