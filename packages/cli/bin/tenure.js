#!/usr/bin/env node
// Runs the built CLI (packages/cli/dist, made by scripts/build-cli.mjs: `npm ci` runs it at prepare,
// `npm run build:cli` after editing sources). Never TypeScript sources: an installed CLI needs no tsx.
import { existsSync } from "node:fs";

const bundle = new URL("../dist/tenure.mjs", import.meta.url);
if (!existsSync(bundle)) {
  process.stderr.write(
    "tenure: the CLI is not built (packages/cli/dist/tenure.mjs is missing): run npm run build:cli\n",
  );
  process.exit(1);
}
const { runCli } = await import(bundle.href);
process.exitCode = await runCli(process.argv);
