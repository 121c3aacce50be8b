import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { build } from "vite";

/** The repository root (tests/e2e/support → ../../..). */
export const repoRoot = fileURLToPath(new URL("../../../", import.meta.url));

export interface BuiltWeb {
  outDir: string;
  remove(): Promise<void>;
}

/** Builds packages/web with Vite's JS API into a fresh temp folder, so tests never touch packages/web/dist. */
export async function buildWeb(): Promise<BuiltWeb> {
  const webRoot = join(repoRoot, "packages/web");
  const outDir = await mkdtemp(join(tmpdir(), "tenure-e2e-web-"));
  // Vitest sets NODE_ENV=test, which makes Vite bundle React's development build (StrictMode double effects);
  // build what `npm run build:web` ships instead.
  const nodeEnv = process.env.NODE_ENV;
  process.env.NODE_ENV = "production";
  try {
    await build({
      root: webRoot,
      configFile: join(webRoot, "vite.config.ts"),
      mode: "production",
      build: { outDir, emptyOutDir: true },
      logLevel: "warn",
    });
  } finally {
    if (nodeEnv === undefined) delete process.env.NODE_ENV;
    else process.env.NODE_ENV = nodeEnv;
  }
  return { outDir, remove: () => rm(outDir, { recursive: true, force: true }) };
}
