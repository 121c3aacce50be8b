import { type ChildProcess, spawn } from "node:child_process";
import type { DemoCompany } from "@tenure/services";
import { openStorage, type StorageConfig } from "@tenure/storage";
import pg from "pg";
import { baselineDatabaseUrl } from "./postgres-mrr";
import { removeSqliteFile } from "./sqlite-store";

/** The databases a suite with `--dialect` runs on. */
export const BENCH_DIALECTS = ["sqlite", "postgres"] as const;
export type BenchDialect = (typeof BENCH_DIALECTS)[number];

/** `--dialect sqlite|postgres|both` (default sqlite). */
export function dialectsFlag(args: readonly string[]): BenchDialect[] {
  const i = args.findIndex((a) => a === "--dialect" || a.startsWith("--dialect="));
  if (i < 0) return ["sqlite"];
  const raw = args[i]?.includes("=") ? args[i]?.split("=")[1] : args[i + 1];
  if (raw === "both") return [...BENCH_DIALECTS];
  if (raw === "sqlite" || raw === "postgres") return [raw];
  throw new Error(`--dialect must be sqlite, postgres or both, got "${raw}"`);
}

/**
 * A fresh, empty store: the SQLite file removed, or the PostgreSQL database `pgDatabase` dropped and
 * re-created on the server of TENURE_BENCH_DATABASE_URL (default the local test server), so the test
 * database is never touched.
 */
export async function freshStore(
  dialect: BenchDialect,
  sqliteFile: string,
  pgDatabase: string,
): Promise<StorageConfig> {
  if (dialect === "sqlite") {
    removeSqliteFile(sqliteFile);
    return { sqliteFile };
  }
  if (!/^[a-z_][a-z0-9_]*$/.test(pgDatabase)) throw new Error(`bad database name "${pgDatabase}"`);
  const admin = new pg.Client({ connectionString: baselineDatabaseUrl() });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${pgDatabase}`);
    await admin.query(`CREATE DATABASE ${pgDatabase}`);
  } finally {
    await admin.end();
  }
  return { databaseUrl: benchDatabaseUrl(pgDatabase) };
}

/**
 * What autovacuum would have done to a PostgreSQL bench store by now (`VACUUM (ANALYZE)`: statistics
 * for the planner, visibility maps for index-only scans, dead rows of earlier runs reclaimed). Servers
 * run it themselves by default; this machine's has it off (conf.d/90-ci.conf), so a store measured
 * right after its build or after earlier runs' ingestion would be measured unmaintained. No-op on SQLite.
 */
export async function maintainStore(config: StorageConfig): Promise<void> {
  if (config.databaseUrl === undefined) return;
  const client = new pg.Client({ connectionString: config.databaseUrl });
  await client.connect();
  try {
    await client.query("VACUUM (ANALYZE)");
    // The pages the vacuum dirtied are written now, not by a checkpoint during the first figure
    // (needs a superuser or pg_checkpoint; without, the server writes them in its own time).
    await client.query("CHECKPOINT").catch(() => undefined);
  } finally {
    await client.end();
  }
}

/** The URL of a bench's own PostgreSQL database on the baseline server. */
export function benchDatabaseUrl(pgDatabase: string): string {
  const url = new URL(baselineDatabaseUrl());
  url.pathname = `/${pgDatabase}`;
  return url.toString();
}

/** Writes a generated company into a store the way `seedDemo` does (one transaction, repositories). */
export async function seedStore(
  config: StorageConfig,
  workspaceId: string,
  demo: DemoCompany,
): Promise<void> {
  const storage = await openStorage(config);
  try {
    await storage.workspaces.ensure(workspaceId, demo.name);
    await storage.transaction(async (tx) => {
      await tx.products.upsertMany(workspaceId, demo.products);
      await tx.plans.upsertMany(workspaceId, demo.plans);
      await tx.accounts.upsertMany(workspaceId, demo.accounts);
      await tx.contacts.upsertMany(workspaceId, demo.contacts);
      await tx.subscriptions.upsertMany(workspaceId, demo.subscriptions);
      await tx.exchangeRates.upsertMany(workspaceId, demo.exchangeRates);
      await tx.spend.upsertMany(workspaceId, demo.spend);
    });
  } finally {
    await storage.close();
  }
}

/**
 * A `tenure serve` child on `config` (a SQLite file or a PostgreSQL URL), resolved once it listens;
 * `env` adds settings (e.g. TENURE_HEALTH_INTERVAL_MINUTES).
 */
export function startServeChild(
  cwd: string,
  config: StorageConfig,
  port: number,
  env: Record<string, string> = {},
): Promise<ChildProcess> {
  return new Promise((resolve, reject) => {
    // A bench measures the server's work, not its per-key rate limit (600/min would refuse most of a
    // 200 req/s load with 429); a bench that wants the limit passes it in `env`.
    const childEnv: NodeJS.ProcessEnv = {
      ...process.env,
      TENURE_LOG_LEVEL: "warn",
      TENURE_RATE_LIMIT_KEY_PER_MINUTE: "0",
      ...env,
    };
    delete childEnv.TENURE_DATABASE_URL;
    let dbArgs: string[] = [];
    if (config.databaseUrl !== undefined) childEnv.TENURE_DATABASE_URL = config.databaseUrl;
    else if (config.sqliteFile !== undefined) dbArgs = ["--db", config.sqliteFile];
    else throw new Error("a bench store is a SQLite file or a PostgreSQL URL");
    const child = spawn(
      process.execPath,
      ["packages/cli/bin/tenure.js", ...dbArgs, "serve", "--port", String(port)],
      { cwd, env: childEnv, stdio: ["ignore", "pipe", "pipe"] },
    );
    let out = "";
    const onData = (d: Buffer) => {
      out += d.toString();
      if (out.includes("running at")) {
        child.stdout?.off("data", onData);
        resolve(child);
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", (d: Buffer) => {
      out += d.toString();
    });
    child.on("error", reject);
    child.on("exit", (code) => reject(new Error(`server exited ${code} before listening: ${out}`)));
  });
}
