/**
 * Benchmark dispatcher: `npm run bench -- <suite> [suite options]`.
 * Each suite builds its own data, measures its baseline in the same run and prints ratios.
 * Benchmarks never run inside the test suite.
 */

import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { actionsSuite } from "./actions";
import { authSuite } from "./auth";
import { cliSuite } from "./cli";
import { healthSuite } from "./health";
import { ingestSuite } from "./ingest";
import type { BenchSuite } from "./lib/suite";
import { modelsSuite } from "./models";
import { pagesSuite } from "./pages";
import { revenueSuite } from "./revenue";
import { rollupsSuite } from "./rollups";

const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));

const SUITES: readonly BenchSuite[] = [
  revenueSuite,
  ingestSuite,
  healthSuite,
  pagesSuite,
  modelsSuite,
  rollupsSuite,
  cliSuite,
  actionsSuite,
  authSuite,
];

function usage(): string {
  const lines = SUITES.map((s) => `  ${s.name.padEnd(10)} ${s.description}`);
  return `Usage: npm run bench -- <suite> [options]\n\nSuites:\n${lines.join("\n")}`;
}

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (name === undefined || name === "--help" || name === "-h") {
    console.log(usage());
    return name === undefined ? 1 : 0;
  }
  const suite = SUITES.find((s) => s.name === name);
  if (!suite) {
    console.error(`Unknown bench suite "${name}". Known suites: ${SUITES.map((s) => s.name).join(", ")}`);
    return 1;
  }
  // Suites that run bin/tenure.js (cli, revenue, ingest, health) measure today's sources, never a stale build.
  execFileSync(process.execPath, ["scripts/build-cli.mjs"], {
    cwd: REPO_ROOT,
    stdio: ["ignore", "ignore", "inherit"],
  });
  return suite.run(rest);
}

process.exitCode = await main(process.argv.slice(2));
