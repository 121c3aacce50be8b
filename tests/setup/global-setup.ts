/**
 * vitest globalSetup, once per `vitest run`: builds the CLI bundle (tests that run `bin/tenure.js` then
 * run today's sources), picks the PostgreSQL for the storage suites (a local server, else embedded), and
 * says in one line whether browser tests run; at the end, searches the run's server logs for secrets.
 */
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { browserTestsNotice } from "../e2e/support/chromium";
import { checkRunLogs, startRunLogs } from "./run-logs";
import { startTestPostgres } from "./test-postgres";

const root = fileURLToPath(new URL("../..", import.meta.url));

/**
 * Builds packages/cli/dist from today's sources. A failed build fails the run under CI=true; elsewhere
 * it is one warning (tests that run bin/tenure.js then fail or run the last good build), so one
 * unfinished source file does not stop every other test.
 */
function buildCli(): void {
  try {
    execFileSync(process.execPath, ["scripts/build-cli.mjs"], { cwd: root, stdio: "pipe" });
  } catch (err) {
    const output = String((err as { stderr?: Buffer }).stderr ?? err);
    const first = output.split("\n").find((l) => l.includes("ERROR")) ?? output.split("\n")[0];
    if (process.env.CI === "true") throw new Error(`npm run build:cli failed:\n${output}`);
    console.warn(`CLI build failed, tests that run bin/tenure.js use the last good build: ${first?.trim()}`);
  }
}

export default async function setup(): Promise<() => Promise<void>> {
  const notice = browserTestsNotice();
  if (notice) console.log(notice);

  buildCli();
  // Servers started by tests log here; the teardown searches the whole run's logs for secrets.
  const logs = startRunLogs();

  const dialects = (process.env.TENURE_TEST_DIALECTS ?? "sqlite,postgres").split(",").map((d) => d.trim());
  if (!dialects.includes("postgres")) return async () => checkRunLogs(logs);
  const postgres = await startTestPostgres();
  console.log(postgres.description);
  // Test workers inherit this process's environment; storage's testDatabaseUrl() reads it.
  process.env.TENURE_TEST_DATABASE_URL = postgres.url;
  return async () => {
    await postgres.stop();
    checkRunLogs(logs);
  };
}
