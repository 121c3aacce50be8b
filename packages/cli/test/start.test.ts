import { execFileSync, spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { tenure } from "./helpers";

// packages/cli/dist is built by the test run's global setup (tests/setup/global-setup.ts).
const cliDir = fileURLToPath(new URL("..", import.meta.url));
const dist = path.join(cliDir, "dist");
const bin = path.join(cliDir, "bin/tenure.js");

/** What the file imports statically (`import ... from "x"` or `import "x"`), not `import()`. */
function staticImports(file: string): string[] {
  const code = readFileSync(path.join(dist, file), "utf8");
  return [...code.matchAll(/^import\s+(?:[^"']*?\s+from\s+)?["']([^"']+)["']/gm)].map((m) => m[1]!);
}

/** Every chunk loaded when the entry loads, and the modules from outside dist they import. */
function loadedAtStart(entry: string): { chunks: string[]; outside: string[] } {
  const seen = new Set<string>();
  const outside = new Set<string>();
  const queue = [entry];
  while (queue.length > 0) {
    const file = queue.pop()!;
    if (seen.has(file)) continue;
    seen.add(file);
    for (const spec of staticImports(file)) {
      if (spec.startsWith("./")) queue.push(spec.slice(2));
      else outside.add(spec);
    }
  }
  return { chunks: [...seen], outside: [...outside] };
}

/** Source files of every chunk loaded when the entry loads, from the chunks' source maps. */
function sourcesLoadedAtStart(entry: string): string[] {
  return loadedAtStart(entry).chunks.flatMap((file) => {
    const map = JSON.parse(readFileSync(path.join(dist, `${file}.map`), "utf8")) as { sources: string[] };
    return map.sources.map((s) => path.relative(cliDir, path.resolve(dist, s)));
  });
}

describe("tenure start", () => {
  const scratch = mkdtempSync(path.join(tmpdir(), "tenure-start-"));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it("should load only the command line's own files when it starts (commands load when they run)", () => {
    const sources = sourcesLoadedAtStart("tenure.mjs");
    const own = sources.filter((s) => !s.includes("node_modules/")).sort();
    expect(own).toEqual(["src/choices.ts", "src/io.ts", "src/main.ts"]);
    // The only npm package bundled into the start: the command-line parser.
    const npm = new Set(
      sources.filter((s) => s.includes("node_modules/")).map((s) => s.split("node_modules/")[1]),
    );
    expect(new Set([...npm].map((s) => s?.split("/")[0]))).toEqual(new Set(["commander"]));
    // Nothing else from node_modules at start; Node's own modules only.
    expect(loadedAtStart("tenure.mjs").outside.filter((m) => !m.startsWith("node:"))).toEqual([]);
  });

  it("should list every command when --help runs from the built CLI", () => {
    const help = execFileSync(process.execPath, [bin, "--help"], { encoding: "utf8" });
    for (const command of [
      "import",
      "report",
      "demo",
      "serve",
      "health",
      "keys",
      "users",
      "model",
      "clv",
      "predict",
    ]) {
      expect(help).toMatch(new RegExp(`^  ${command}\\b`, "m"));
    }
  });

  it("should show the services' import kinds when import --help runs", () => {
    const help = execFileSync(process.execPath, [bin, "import", "--help"], { encoding: "utf8" });
    expect(help).toContain('"subscriptions"');
    expect(help).toContain('"events"');
  });

  it("should refuse an unknown report kind with the services' list when report runs", async () => {
    const r = await tenure("report", "nope");
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain("Allowed choices are mrr, movements");
    expect(r.stderr).toContain("usage");
  });

  it("should tell how to build the CLI when its dist folder is missing", () => {
    // A copy of the launcher with no dist beside it.
    mkdirSync(path.join(scratch, "bin"));
    copyFileSync(bin, path.join(scratch, "bin/tenure.js"));
    writeFileSync(path.join(scratch, "package.json"), '{ "type": "module" }');
    const r = spawnSync(process.execPath, [path.join(scratch, "bin/tenure.js"), "--help"], {
      encoding: "utf8",
    });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("run npm run build:cli");
    expect(r.stdout).toBe("");
  });
});
