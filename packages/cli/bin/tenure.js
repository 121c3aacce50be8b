#!/usr/bin/env node
// Runs the bundled CLI when it is up to date (fast start), else the TypeScript source through tsx.
import { readdirSync, statSync } from "node:fs";
import { fileURLToPath } from "node:url";

const bundle = fileURLToPath(new URL("../dist/tenure.mjs", import.meta.url));
const packagesDir = fileURLToPath(new URL("../../", import.meta.url));

/** Newest modification time of any TypeScript source file the CLI may bundle. */
function newestSource() {
  let newest = 0;
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (["node_modules", "dist", "web", "build"].includes(entry.name)) continue;
      const full = `${dir}/${entry.name}`;
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".ts")) newest = Math.max(newest, statSync(full).mtimeMs);
    }
  };
  walk(packagesDir);
  return newest;
}

function bundleIsFresh() {
  try {
    return statSync(bundle).mtimeMs >= newestSource();
  } catch {
    return false;
  }
}

let runCli;
if (process.env.TENURE_NO_BUNDLE !== "1" && bundleIsFresh()) {
  ({ runCli } = await import(bundle));
} else {
  const { register } = await import("tsx/esm/api");
  register();
  ({ runCli } = await import("../src/main.ts"));
}
process.exitCode = await runCli(process.argv);
