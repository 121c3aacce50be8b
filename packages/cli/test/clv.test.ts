import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { TenureError } from "@tenure/core";
import { describe, expect, it } from "vitest";
import { type ClvFitArgs, clvFitCommand } from "../src/commands/clv";
import { scratch } from "./helpers";

const CDNOW = fileURLToPath(new URL("../../../../shared/datasets/cdnow/CDNOW_sample.txt", import.meta.url));
const HIGH_END = "1000,869,743,653,593,551,517,491";

/** Runs the command function with a captured Io; returns stdout. */
async function run(args: Partial<ClvFitArgs> & { model: string }): Promise<{ code: number; stdout: string }> {
  const out = new PassThrough();
  const err = new PassThrough();
  let stdout = "";
  out.on("data", (d) => {
    stdout += String(d);
  });
  const code = await clvFitCommand({ json: true, ...args }, { out, err, interactive: false });
  return { code, stdout };
}

describe("tenure clv fit sbg", () => {
  it("should print α, β, log-likelihood, projection and DERL as JSON when given survivors", async () => {
    const { code, stdout } = await run({ model: "sbg", survivors: HIGH_END, discount: 0.1 });
    expect(code).toBe(0);
    const json = JSON.parse(stdout);
    expect(json).toMatchObject({ model: "sbg", cohorts: 1, customers: 1000, renewals: 7, discountRate: 0.1 });
    expect(json.alpha.toFixed(3)).toBe("0.668");
    expect(json.beta.toFixed(3)).toBe("3.806");
    expect(typeof json.logLikelihood).toBe("number");
    expect(json.derl.toFixed(3)).toBe("7.530");
    expect(json.projection).toHaveLength(12);
    expect(json.projection[7].survival.toFixed(3)).toBe("0.460");
    expect(json.warnings).toEqual([]);
  });

  it("should accept several cohorts separated by ';' and print text without --json", async () => {
    const { stdout } = await run({ model: "sbg", survivors: `${HIGH_END};500,400,350`, json: false });
    expect(stdout).toMatch(/^alpha\s+0\.\d+/m);
    expect(stdout).toMatch(/period\s+survival\s+retention/);
  });

  it("should throw a validation error when survivors are missing or not numbers", async () => {
    await expect(run({ model: "sbg" })).rejects.toThrow(/--survivors/);
    await expect(run({ model: "sbg", survivors: "1000,abc" })).rejects.toThrow(TenureError);
    await expect(run({ model: "nope" })).rejects.toThrow(/unknown model/);
  });
});

describe("tenure clv fit on a transaction log", () => {
  const base = { transactions: CDNOW, calibrationEnd: "1997-09-30", timeUnit: "week" };

  it("should print BG/NBD r, alpha, a, b and the log-likelihood from the raw CDNOW file", async () => {
    const json = JSON.parse((await run({ model: "bgnbd", ...base })).stdout);
    expect(Object.keys(json)).toEqual(
      expect.arrayContaining(["r", "alpha", "a", "b", "logLikelihood", "customers", "warnings"]),
    );
    expect(json.customers).toBe(2357);
    expect(json.r.toPrecision(4)).toBe("0.2426");
    expect(json.logLikelihood.toFixed(2)).toBe("-9582.43");
  });

  it("should print Pareto/NBD r, alpha, s, beta", async () => {
    const json = JSON.parse((await run({ model: "paretonbd", ...base })).stdout);
    expect([json.r, json.alpha, json.s, json.beta].map((v: number) => v.toFixed(3))).toEqual([
      "0.553",
      "10.578",
      "0.606",
      "11.669",
    ]);
  });

  it("should print Gamma-Gamma p, q, v for the repeat buyers of a CSV log", async () => {
    const dir = scratch();
    try {
      const csv = dir.file(
        "tx.csv",
        "customer_id,date,amount\na,2024-01-01,10\na,2024-01-08,12\na,2024-01-20,9\nb,2024-01-02,30\nb,2024-01-05,50\nc,2024-01-03,20\nd,2024-01-04,5\nd,2024-01-09,7\nd,2024-01-10,6\n",
      );
      const json = JSON.parse(
        (await run({ model: "gammagamma", transactions: csv, calibrationEnd: "2024-01-31", timeUnit: "day" }))
          .stdout,
      );
      expect(json).toMatchObject({ model: "gammagamma", customers: 3, transactions: 9 });
      for (const k of ["p", "q", "v", "logLikelihood"]) expect(Number.isFinite(json[k])).toBe(true);
    } finally {
      dir.cleanup();
    }
  });

  it("should throw clear errors when options are missing, the file is unreadable or everyone bought once", async () => {
    await expect(run({ model: "bgnbd", calibrationEnd: "1997-09-30" })).rejects.toThrow(/--transactions/);
    await expect(run({ model: "bgnbd", transactions: CDNOW })).rejects.toThrow(/--calibration-end/);
    await expect(run({ model: "bgnbd", ...base, timeUnit: "year" })).rejects.toThrow(/--time-unit/);
    await expect(run({ model: "bgnbd", ...base, transactions: "/nonexistent/x.csv" })).rejects.toThrow(
      /cannot read/,
    );
    const dir = scratch();
    try {
      const once = dir.file("once.csv", "customer_id,date,amount\na,2024-01-01,10\nb,2024-01-02,30\n");
      await expect(run({ model: "bgnbd", ...base, transactions: once })).rejects.toThrow(/calibration end/);
      const later = { calibrationEnd: "2024-01-31", transactions: once };
      await expect(run({ model: "bgnbd", ...base, ...later })).rejects.toThrow(/bought only once/);
      const empty = dir.file("empty.csv", "");
      await expect(run({ model: "bgnbd", ...base, transactions: empty })).rejects.toThrow(/empty/);
    } finally {
      dir.cleanup();
    }
  });
});
