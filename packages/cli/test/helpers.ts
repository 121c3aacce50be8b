import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { PassThrough } from "node:stream";
import { runCli } from "../src/main";

/** A scratch folder with a database file path and a helper to write input files. */
export function scratch() {
  const dir = mkdtempSync(path.join(tmpdir(), "tenure-cli-"));
  return {
    dir,
    db: path.join(dir, "tenure.db"),
    file(name: string, content: string | Buffer) {
      const p = path.join(dir, name);
      writeFileSync(p, content);
      return p;
    },
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Runs `tenure ...args` in-process and captures stdout, stderr and the exit code. */
export async function tenure(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = "";
  let stderr = "";
  out.on("data", (d) => {
    stdout += String(d);
  });
  err.on("data", (d) => {
    stderr += String(d);
  });
  const code = await runCli(["node", "tenure", ...args], { out, err, interactive: false }, {});
  return { code, stdout, stderr };
}

/** Segment calls as JSON lines (one call per line). */
export const jsonLine = (call: Record<string, unknown>): string => JSON.stringify(call);

/** `tenure --db DB report usage --account ID --from FROM --to TO ...extra`. */
export function reportUsage(db: string, account: string, from: string, to: string, ...extra: string[]) {
  return tenure("--db", db, "report", "usage", "--account", account, "--from", from, "--to", to, ...extra);
}

/** The `report mrr --json` output, parsed. */
export interface MrrJson {
  currency: string;
  months: {
    month: string;
    mrr: number;
    customers: number;
    new: number;
    expansion: number;
    contraction: number;
    churn: number;
    reactivation: number;
  }[];
}
