/**
 * vitest globalSetup, once per `vitest run`: builds the CLI bundle (tests that run `bin/tenure.js` then
 * run today's sources), picks the PostgreSQL for the storage suites (a local server, else embedded), and
 * says in one line whether browser tests run.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { browserTestsNotice } from "../e2e/support/chromium";
import { startTestPostgres } from "./test-postgres";

const root = fileURLToPath(new URL("../..", import.meta.url));

export default async function setup(): Promise<() => Promise<void>> {
  const notice = browserTestsNotice();
  if (notice) console.log(notice);

  execFileSync(process.execPath, ["scripts/build-cli.mjs"], {
    cwd: root,
    stdio: ["ignore", "ignore", "inherit"],
  });

  const dialects = (process.env.TENURE_TEST_DIALECTS ?? "sqlite,postgres").split(",").map((d) => d.trim());
  if (!dialects.includes("postgres")) return async () => {};
  const postgres = await startTestPostgres();
  console.log(postgres.description);
  // Test workers inherit this process's environment; storage's testDatabaseUrl() reads it.
  process.env.TENURE_TEST_DATABASE_URL = postgres.url;
  return () => postgres.stop();
}
