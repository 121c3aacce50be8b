import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

/**
 * The test run's server logs (issue 16 §7: "a test greps the log of a whole test run"): servers that
 * tests start write their log under TENURE_TEST_LOG_DIR, and the global teardown searches every line
 * for a secret in clear.
 */
export const RUN_LOG_DIR_ENV = "TENURE_TEST_LOG_DIR";

/** What a secret looks like in a log line: an API key, a session cookie, a bearer token, a password field. */
const SECRET_PATTERNS: [string, RegExp][] = [
  ["API key", /tk_[A-Za-z0-9_-]{20,}/],
  ["session cookie", /tenure_session=[^;\s"]{8,}/],
  ["bearer token", /Bearer\s+(?!\[redacted\])[A-Za-z0-9._~+/=-]{16,}/i],
  ["password field", /"(password|newPassword|currentPassword)":"(?!\[redacted\])/],
  ["token field", /"(token|accessToken|refreshToken|idToken)":"(?!\[redacted\])/],
];

/** Creates the run's log folder and names it in the environment the test workers inherit. */
export function startRunLogs(): string {
  const dir = mkdtempSync(path.join(tmpdir(), "tenure-run-logs-"));
  process.env[RUN_LOG_DIR_ENV] = dir;
  return dir;
}

/** A log file for one server of a test, or undefined outside a vitest run. */
export function runLogFile(name: string): string | undefined {
  const dir = process.env[RUN_LOG_DIR_ENV];
  return dir === undefined ? undefined : path.join(dir, `${name}-${process.pid}-${Date.now()}.log`);
}

/** Every secret-looking text in the run's logs: file, line number and what it looks like. */
export function findSecretsInRunLogs(dir: string): { files: number; lines: number; found: string[] } {
  const found: string[] = [];
  let lines = 0;
  const files = readdirSync(dir).filter((f) => f.endsWith(".log"));
  for (const file of files) {
    const text = readFileSync(path.join(dir, file), "utf8").split("\n");
    lines += text.length;
    text.forEach((line, i) => {
      for (const [what, pattern] of SECRET_PATTERNS)
        if (pattern.test(line)) found.push(`${file}:${i + 1}: ${what}: ${line.slice(0, 200)}`);
    });
  }
  return { files: files.length, lines, found };
}

/** Searches the run's logs and removes them; throws (failing the run) when one holds a secret. */
export function checkRunLogs(dir: string): void {
  const { files, lines, found } = findSecretsInRunLogs(dir);
  rmSync(dir, { recursive: true, force: true });
  if (found.length > 0) throw new Error(`Secrets in the test run's logs:\n${found.join("\n")}`);
  if (files > 0) console.log(`Run logs: ${lines} lines in ${files} server logs searched, no secret in clear`);
}
