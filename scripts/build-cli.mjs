#!/usr/bin/env node
// Bundles the `tenure` CLI (and the workspace packages it uses) into one ESM file. Loading TypeScript
// through tsx costs ~1-2 s per command; the bundle starts in a fraction of that. npm dependencies stay
// external. Runs from `prepare` (npm ci / npm install); packages/cli/bin/tenure.js falls back to tsx
// whenever a source file is newer than the bundle, so editing code never runs a stale build.
import { rmSync } from "node:fs";
import { build } from "esbuild";

const started = Date.now();
rmSync(new URL("../packages/cli/dist", import.meta.url), { recursive: true, force: true });
await build({
  entryPoints: {
    tenure: new URL("../packages/cli/src/main.ts", import.meta.url).pathname,
    // Thread entries (spawnThread in packages/services/src/threads/spawn-thread.ts).
    "tracking-thread": new URL("../packages/server/src/tracking/tracking-thread.ts", import.meta.url)
      .pathname,
    "health-thread": new URL("../packages/server/src/threads/health-thread.ts", import.meta.url).pathname,
    "import-worker": new URL("../packages/services/src/bulk-import/import-worker.ts", import.meta.url).pathname,
    "usage-reader": new URL("../packages/services/src/health/usage-reader.ts", import.meta.url).pathname,
  },
  outdir: new URL("../packages/cli/dist", import.meta.url).pathname,
  outExtension: { ".js": ".mjs" },
  // Separate chunks keep the HTTP server's dependencies out of commands that don't serve.
  splitting: true,
  bundle: true,
  platform: "node",
  format: "esm",
  target: "node20",
  sourcemap: "linked",
  logLevel: "warning",
  plugins: [
    {
      name: "externals-except-workspace",
      setup(b) {
        // Bare imports are npm packages, resolved at run time from node_modules; @tenure/* is our source.
        b.onResolve({ filter: /^[^./]/ }, (args) =>
          args.path.startsWith("@tenure/") ? undefined : { path: args.path, external: true },
        );
      },
    },
  ],
});
console.log(`built packages/cli/dist/tenure.mjs in ${Date.now() - started} ms`);
