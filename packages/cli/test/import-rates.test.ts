import { PassThrough } from "node:stream";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runCli } from "../src/main";
import { scratch } from "./helpers";

/** `tenure ...args` with an environment (the helper's `tenure` passes none). */
async function tenureWith(env: Record<string, string>, ...args: string[]) {
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
  const code = await runCli(["node", "tenure", ...args], { out, err, interactive: false }, env);
  return { code, stdout, stderr };
}

// Issue 14 §6: a rate 52x off imported without a word.
describe("tenure import exchange-rates", () => {
  let s: ReturnType<typeof scratch>;
  beforeEach(() => {
    s = scratch();
  });
  afterEach(() => s.cleanup());

  it("should check currency-named columns against TENURE_REPORTING_CURRENCY and print jump warnings", async () => {
    const env = { TENURE_REPORTING_CURRENCY: "CNY" };
    const wrong = s.file("usd.csv", "date,currency,units_per_usd\n2026-01-01,EUR,0.92\n");
    const refused = await tenureWith(env, "--db", s.db, "import", "exchange-rates", wrong);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /usd\.csv:2 column units_per_usd: units_per_usd gives rates in USD, but the reporting currency is CNY/,
    );

    const ok = s.file("cny.csv", "date,currency,cny_per_unit\n2026-01-01,USD,7.2\n");
    expect((await tenureWith(env, "--db", s.db, "import", "exchange-rates", ok)).code).toBe(0);
    const typo = s.file("typo.csv", "date,currency,cny_per_unit\n2026-02-01,USD,0.139\n");
    const warned = await tenureWith(env, "--db", s.db, "import", "exchange-rates", typo);
    expect(warned.code).toBe(0);
    expect(warned.stdout).toMatch(/1 inserted/);
    expect(warned.stderr).toMatch(
      /warning: typo\.csv:2 column cny_per_unit: USD rate 0\.139 CNY per USD on 2026-02-01 is 1\/51\.8 of the previous rate 7\.2 CNY per USD \(2026-01-01\)\. It looks entered the other way round/,
    );
  });
});
