import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";

const root = fileURLToPath(new URL("../..", import.meta.url));
const playbook = path.resolve(root, "../shared/datasets/mrr-playbook/subscription_periods.csv");
const dir = mkdtempSync(path.join(tmpdir(), "tenure-bin-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Runs the installed `tenure` binary the way a user does from the repo root (`npx tenure ...`). */
const tenure = (...args: string[]) =>
  execFileSync(path.join(root, "node_modules/.bin/tenure"), args, {
    cwd: root,
    encoding: "utf8",
    env: { ...process.env, TENURE_DATA_DIR: path.join(dir, "data") },
  });

describe("the tenure binary", () => {
  it("should import and report through node_modules/.bin/tenure when run from the repo root", () => {
    const summary = JSON.parse(tenure("import", "subscriptions", playbook, "--json"));
    expect(summary).toMatchObject({ written: true, inserted: 121 });
    const report = JSON.parse(tenure("report", "mrr", "--json", "--from", "2019-12", "--to", "2019-12"));
    expect(report.months).toEqual([
      {
        month: "2019-12",
        mrr: 1255,
        customers: expect.any(Number),
        new: 100,
        expansion: 50,
        contraction: -30,
        churn: -705,
        reactivation: 0,
      },
    ]);
  });

  it("should print a key as JSON when keys create --json runs", () => {
    const out = JSON.parse(tenure("keys", "create", "--kind", "write", "--json"));
    expect(out.key).toMatch(/^tk_/);
  });
});
