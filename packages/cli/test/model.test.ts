import path from "node:path";
import { PassThrough } from "node:stream";
import { fileURLToPath } from "node:url";
import { isTenureError } from "@tenure/core";
import { afterEach, describe, expect, it } from "vitest";
import { modelEvaluateCommand } from "../src/commands/model";
import { scratch } from "./helpers";

const telco = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  "../../../../shared/datasets/telco-churn",
);

/** Runs the command in-process and captures stdout. */
async function evaluate(args: { csv: string; label: string; id: string; split?: string; json?: boolean }) {
  const out = new PassThrough();
  let stdout = "";
  out.on("data", (d) => {
    stdout += String(d);
  });
  const code = await modelEvaluateCommand(
    { json: true, ...args },
    { out, err: new PassThrough(), interactive: false },
  );
  return { code, stdout };
}

async function expectError(run: Promise<unknown>, pattern: RegExp) {
  const err = await run.then(
    () => null,
    (e: unknown) => e,
  );
  expect(isTenureError(err, "validation")).toBe(true);
  expect((err as Error).message).toMatch(pattern);
}

let s: ReturnType<typeof scratch> | undefined;
afterEach(() => s?.cleanup());

describe("tenure model evaluate", () => {
  it("should beat scikit-learn's logistic regression (0.842) on Telco when given the rs42 split", async () => {
    const { code, stdout } = await evaluate({
      csv: path.join(telco, "WA_Fn-UseC_-Telco-Customer-Churn.csv"),
      label: "Churn",
      id: "customerID",
      split: path.join(telco, "split_rs42.csv"),
    });
    expect(code).toBe(0);
    const r = JSON.parse(stdout);
    expect(r.auc).toBeGreaterThanOrEqual(0.845);
    expect(r).toMatchObject({ trainSize: 5634, testSize: 1409, splitSource: "file" });
    expect(r.prAuc).toBeGreaterThan(0.6);
    expect(r.liftTopDecile).toBeGreaterThan(2);
    expect(r.logLoss).toBeLessThan(0.45);
    expect(r.calibration).toHaveLength(10);
    expect(r.topFeatures.map((f: { feature: string }) => f.feature)).toContain("Contract");
  });

  it("should split 80/20 by itself and print a table when no split file or --json is given", async () => {
    s = scratch();
    const lines = ["id,plan,usage,seats,churned"];
    for (let i = 0; i < 200; i++) {
      const usage = (i * 37) % 100;
      const churned = usage < 30 || i % 17 === 0 ? "true" : "false";
      lines.push(`a${i},${["basic", "pro", ""][i % 3]},${usage},${i % 11 === 0 ? "" : i % 40},${churned}`);
    }
    const csv = s.file("accounts.csv", `${lines.join("\n")}\n`);
    const json = JSON.parse((await evaluate({ csv, label: "churned", id: "id" })).stdout);
    expect(json).toMatchObject({ trainSize: 160, testSize: 40, splitSource: "stratified-80-20" });
    expect(json.auc).toBeGreaterThan(0.8);
    const table = await evaluate({ csv, label: "churned", id: "id", json: false });
    expect(table.stdout).toMatch(/ROC-AUC/);
    expect(table.stdout).toMatch(/Top features/);
  });

  it("should name the column or row when the input is wrong", async () => {
    s = scratch();
    const csv = s.file("t.csv", "id,x,y\na,1,yes\nb,2,no\nc,3,no\nd,4,yes\n");
    await expectError(evaluate({ csv, label: "churn", id: "id" }), /label column "churn" not found/);
    const three = s.file("three.csv", "id,x,y\na,1,yes\nb,2,no\nc,3,maybe\n");
    await expectError(
      evaluate({ csv: three, label: "y", id: "id" }),
      /"y" must be binary.*row 3 has "maybe"/,
    );
    const unknown = s.file("split.csv", "id,split\na,train\nb,train\nc,test\nd,test\nzz,test\n");
    await expectError(evaluate({ csv, label: "y", id: "id", split: unknown }), /id "zz".*not in the table/);
    const noTest = s.file("all-train.csv", "id,split\na,train\nb,train\nc,train\nd,train\n");
    await expectError(evaluate({ csv, label: "y", id: "id", split: noTest }), /test split is empty/);
    const missing = s.file("missing.csv", "id,split\na,train\nb,train\nc,test\n");
    await expectError(
      evaluate({ csv, label: "y", id: "id", split: missing }),
      /id "d" \(row 4\) is not in the split file/,
    );
  });
});
