/**
 * `npm run bench -- cli [--runs N]`: how fast the `tenure` command line starts: `tenure --help` and one
 * quick command (`keys list --json` on a small SQLite file), against `node -e 0` measured in the same
 * run. Runs interleave (baseline, help, command, baseline, ...) so a change in the machine's load
 * falls on all three alike.
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { assertKnownFlags, intFlag } from "./lib/args";
import type { BenchSuite } from "./lib/suite";
import { renderTable } from "./lib/table";
import { formatRatio, formatSeconds, median } from "./lib/timing";

const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
const CLI = "packages/cli/bin/tenure.js";
const DEFAULT_RUNS = 15;
const WARMUPS = 2;
/** Issue 14: a command line starts in ≤ 150 ms. */
const HELP_TARGET_S = 0.15;

interface Subject {
  label: string;
  args: string[];
  seconds: number[];
}

/** Seconds from spawn to exit of `node ...args`; rejects on a non-zero exit. */
function timeProcess(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(process.execPath, args, { cwd: REPO_ROOT, env, stdio: ["ignore", "ignore", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on("error", reject);
    child.on("close", (code) => {
      const seconds = (performance.now() - start) / 1000;
      if (code === 0) resolve(seconds);
      else reject(new Error(`node ${args.join(" ")} exited with ${code}: ${stderr.trim()}`));
    });
  });
}

const ms = (s: number) => `${(s * 1000).toFixed(0)} ms`;

async function run(args: readonly string[]): Promise<number> {
  assertKnownFlags(args, ["runs"]);
  const runs = intFlag(args, "runs", DEFAULT_RUNS);
  const dir = mkdtempSync(path.join(tmpdir(), "tenure-bench-cli-"));
  const env: NodeJS.ProcessEnv = { ...process.env };
  delete env.TENURE_DATABASE_URL;
  try {
    console.log(`CLI start bench: ${runs} runs each after ${WARMUPS} warm-ups (node ${process.version})\n`);
    // What a user runs after `npm ci`: the built CLI; rebuild so edits since are included.
    execFileSync(process.execPath, ["scripts/build-cli.mjs"], { cwd: REPO_ROOT, stdio: "ignore" });
    const db = path.join(dir, "bench.db");
    const subjects: Subject[] = [
      { label: "baseline: node -e 0", args: ["-e", "0"], seconds: [] },
      { label: "tenure --help", args: [CLI, "--help"], seconds: [] },
      { label: "tenure keys list --json", args: [CLI, "--db", db, "keys", "list", "--json"], seconds: [] },
    ];
    // The warm-ups also create and migrate the SQLite file, so the measured runs only open it.
    for (let i = 0; i < WARMUPS; i++) for (const s of subjects) await timeProcess(s.args, env);
    for (let i = 0; i < runs; i++) {
      for (const s of subjects) s.seconds.push(await timeProcess(s.args, env));
    }

    const base = median(subjects[0]!.seconds);
    const rows = subjects.map((s, i) => {
      const m = median(s.seconds);
      const target = i === 1 ? `≤ ${ms(HELP_TARGET_S)}` : "—";
      const result = i === 1 ? (m <= HELP_TARGET_S ? "PASS" : "FAIL") : "info";
      return [
        s.label,
        ms(m),
        `${ms(Math.min(...s.seconds))} .. ${ms(Math.max(...s.seconds))}`,
        i === 0 ? "—" : `+${ms(m - base)}`,
        i === 0 ? "1.0×" : formatRatio(m / base),
        target,
        result,
      ];
    });
    console.log(
      renderTable(
        [
          "figure (median, wall, spawn to exit)",
          "median",
          "min .. max",
          "over baseline",
          "ratio",
          "target",
          "result",
        ],
        rows,
      ),
    );
    console.log(
      `\nratio = median / baseline median (node -e 0: ${formatSeconds(base)}). Load average at the end: ` +
        `${loadavg()
          .map((x) => x.toFixed(2))
          .join(" / ")} on ${cpus().length} cores (a loaded machine slows every figure, the baseline too).`,
    );
    return median(subjects[1]!.seconds) <= HELP_TARGET_S ? 0 : 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The cli suite: start time of the built `tenure` command against a bare `node`. */
export const cliSuite: BenchSuite = {
  name: "cli",
  description: "start time of tenure --help and keys list against node -e 0 [--runs N]",
  run,
};
