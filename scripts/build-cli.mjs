#!/usr/bin/env node
// Bundles the `tenure` CLI (and the workspace packages it uses) into packages/cli/dist, which
// packages/cli/bin/tenure.js runs: loading TypeScript through tsx costs ~1-2 s per command. npm
// dependencies stay external. Runs from `prepare` (npm ci / npm install), `npm run build:cli`, the demo
// script and the test setup (tests/setup/global-setup.ts), so tests never run a stale build.
// The build goes to a scratch folder first and replaces dist only when it succeeded, so a failed build
// or a concurrent run never leaves a CLI half-built.
import { mkdirSync, renameSync, rmSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { build } from "esbuild";

/**
 * npm packages bundled in rather than loaded from node_modules: commander is on every start's path, and
 * loading it as one chunk instead of its CommonJS files saves a third of `tenure --help`'s time.
 * cron-parser: the services need 5.x, but the root node_modules holds 4.x (graphile-worker's, a dev
 * dependency), which is what packages/cli/dist would load; bundled, it is the services' own copy.
 */
const BUNDLED = new Set(["commander", "cron-parser"]);

const started = Date.now();
const dist = fileURLToPath(new URL("../packages/cli/dist", import.meta.url));
// Same depth as dist (relative paths in the source maps stay right); "dist" keeps it out of git.
const scratch = fileURLToPath(new URL(`../packages/.cli-build-${process.pid}`, import.meta.url));
rmSync(scratch, { recursive: true, force: true });
try {
  await bundle(`${scratch}/dist`);
  mkdirSync(`${scratch}/old`);
  try {
    renameSync(dist, `${scratch}/old/dist`);
  } catch (err) {
    if (err.code !== "ENOENT") throw err;
  }
  renameSync(`${scratch}/dist`, dist);
} finally {
  rmSync(scratch, { recursive: true, force: true });
}
console.log(`built packages/cli/dist/tenure.mjs in ${Date.now() - started} ms`);

async function bundle(outdir) {
  await build({
    entryPoints: {
      tenure: new URL("../packages/cli/src/main.ts", import.meta.url).pathname,
      // Thread entries (spawnThread in packages/services/src/threads/spawn-thread.ts).
      "tracking-thread": new URL("../packages/server/src/tracking/tracking-thread.ts", import.meta.url)
        .pathname,
      "health-thread": new URL("../packages/server/src/threads/health-thread.ts", import.meta.url).pathname,
      "import-worker": new URL("../packages/services/src/bulk-import/import-worker.ts", import.meta.url)
        .pathname,
      "usage-reader": new URL("../packages/services/src/health/usage-reader.ts", import.meta.url).pathname,
      "renewal-backtest-thread": new URL(
        "../packages/services/src/predictions/renewal-backtest-thread.ts",
        import.meta.url,
      ).pathname,
    },
    outdir,
    outExtension: { ".js": ".mjs" },
    // Separate chunks keep the HTTP server's dependencies out of commands that don't serve.
    splitting: true,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    sourcemap: "linked",
    // Bundled CommonJS (commander) requires Node's modules; an ES module has no `require` of its own.
    banner: {
      js: 'import { createRequire as __bundleRequire } from "node:module"; const require = __bundleRequire(import.meta.url);',
    },
    logLevel: "warning",
    plugins: [
      {
        name: "externals-except-workspace",
        setup(b) {
          // Bare imports are npm packages, resolved at run time from node_modules; @tenure/* is our source,
          // and so is what every start loads (BUNDLED).
          b.onResolve({ filter: /^[^./]/ }, (args) =>
            args.path.startsWith("@tenure/") || BUNDLED.has(args.path)
              ? undefined
              : { path: args.path, external: true },
          );
        },
      },
    ],
  });
}
