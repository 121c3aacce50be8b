import { execFileSync, spawn } from "node:child_process";
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

  it("should serve from the built binary, every server dependency resolvable from it (the SSO plugin was not)", async () => {
    const child = spawn(path.join(root, "node_modules/.bin/tenure"), ["serve", "--port", "0"], {
      cwd: root,
      env: { ...process.env, TENURE_DATA_DIR: path.join(dir, "serve"), TENURE_LOG_LEVEL: "warn" },
    });
    try {
      let out = "";
      const url = await new Promise<string>((resolve, reject) => {
        const onData = (d: Buffer) => {
          out += d.toString();
          const m = /running at (http:\/\/\S+?)\s/.exec(out);
          if (m?.[1]) resolve(m[1]);
        };
        child.stdout.on("data", onData);
        child.stderr.on("data", onData);
        child.on("exit", (code) => reject(new Error(`tenure serve exited ${code}: ${out}`)));
      });
      const options = await fetch(`${url.replace("localhost", "127.0.0.1")}/api/sign-in/options`);
      expect(options.status).toBe(200);
      expect(await options.json()).toEqual({ sso: false, passwordResetByEmail: false });
    } finally {
      child.kill("SIGTERM");
    }
  }, 60_000);

  it("should print a key as JSON when keys create --json runs", () => {
    const out = JSON.parse(tenure("keys", "create", "--kind", "write", "--json"));
    expect(out.key).toMatch(/^tk_/);
  });
});
