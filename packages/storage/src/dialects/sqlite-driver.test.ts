import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import BetterSqlite3 from "better-sqlite3";
import { Kysely, sql } from "kysely";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStorage, type Storage } from "../storage";
import { sqliteAdapter } from "./sqlite";

// Two connections to one file, as the server and its tracking writer thread have.
describe("SQLite driver with a second writer connection", () => {
  let dir: string;
  let storage: Storage;
  let other: BetterSqlite3.Database;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "tenure-driver-"));
    const file = path.join(dir, "tenure.db");
    storage = await openStorage({ sqliteFile: file });
    other = new BetterSqlite3(file);
    other.pragma("busy_timeout = 5000");
  });

  afterEach(async () => {
    other.close();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("waits for the write lock without blocking the event loop, then commits", async () => {
    other.exec("BEGIN IMMEDIATE");
    let ticks = 0;
    const timer = setInterval(() => ticks++, 1);
    const done = storage.transaction(async (tx) => {
      await tx.workspaces.ensure("ws-lock", "Lock test");
    });
    // The event loop keeps running while the transaction waits (a loaded machine may tick slowly, so wait for
    // the ticks rather than a fixed time).
    while (ticks <= 5) await new Promise((r) => setTimeout(r, 5));
    let committed = false;
    void done.then(
      () => {
        committed = true;
      },
      () => {},
    );
    await new Promise((r) => setImmediate(r));
    expect(committed).toBe(false);
    expect(other.prepare("SELECT count(*) AS n FROM workspaces WHERE id = 'ws-lock'").get()).toEqual({
      n: 0,
    });
    other.exec("COMMIT");
    await done;
    clearInterval(timer);
    expect((await storage.workspaces.list()).map((w) => w.id)).toContain("ws-lock");
  });

  it("gives up waiting for the write lock after the connection's busy timeout, as SQLite would", async () => {
    const { dialect } = await sqliteAdapter.createDialect({ sqliteFile: path.join(dir, "tenure.db") });
    const db = new Kysely<unknown>({ dialect });
    try {
      await sql`PRAGMA busy_timeout = 120`.execute(db);
      other.exec("BEGIN IMMEDIATE");
      const started = performance.now();
      await expect(db.transaction().execute(async () => {})).rejects.toMatchObject({
        code: expect.stringMatching(/^SQLITE_BUSY/),
      });
      expect(performance.now() - started).toBeGreaterThanOrEqual(110);
      other.exec("ROLLBACK");
      // The lock free again, the same connection takes it.
      await db.transaction().execute(async () => {});
    } finally {
      await db.destroy();
    }
  });

  it("a transaction that reads first still writes after another connection committed", async () => {
    await storage.workspaces.ensure("ws-a", "A");
    await storage.transaction(async (tx) => {
      expect((await tx.workspaces.list()).map((w) => w.id)).toContain("ws-a");
      // The other connection cannot commit while this transaction holds the lock (BEGIN IMMEDIATE),
      // so this transaction's write never meets a stale snapshot (SQLITE_BUSY_SNAPSHOT).
      other.pragma("busy_timeout = 0");
      expect(() =>
        other.exec("INSERT INTO workspaces (id, name, created_at) VALUES ('ws-b', 'B', 'x')"),
      ).toThrow(/locked|busy/i);
      await tx.workspaces.ensure("ws-c", "C");
    });
    expect((await storage.workspaces.list()).map((w) => w.id).sort()).toEqual(["ws-a", "ws-c"]);
  });
});
