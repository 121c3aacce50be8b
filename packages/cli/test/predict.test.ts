import { PassThrough } from "node:stream";
import { TenureError } from "@tenure/core";
import { loadConfig, seedPlantedChurn } from "@tenure/services";
import { openStorage, type Storage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { predictTrainCommand } from "../src/commands/predict";
import { scratch } from "./helpers";

const s = scratch();
let storage: Storage;
beforeAll(async () => {
  storage = await openStorage({ sqliteFile: s.db });
  await seedPlantedChurn(storage, "default", { accounts: 60, asOf: "2025-12-31" });
}, 60_000);
afterAll(async () => {
  await storage.close();
  s.cleanup();
});

const run = async (args: { target: string; asOf?: string; json: boolean }) => {
  const out = new PassThrough();
  let text = "";
  out.on("data", (d) => {
    text += String(d);
  });
  const code = await predictTrainCommand(
    storage,
    loadConfig({}),
    { workspaceId: "default", ...args },
    { out, err: new PassThrough(), interactive: false },
  );
  return { code, text };
};

describe("tenure predict train", () => {
  it("should print the backtest metrics and counts as JSON when --json is given", async () => {
    const r = await run({ target: "churn", asOf: "2025-12-31", json: true });
    expect(r.code).toBe(0);
    const out = JSON.parse(r.text) as { metrics: { auc: number }; scored: number; target: string };
    expect(out.target).toBe("churn");
    expect(out.scored).toBe(40);
    expect(out.metrics.auc).toBeGreaterThan(0.8);
  });

  it("should print a readable summary when --json is not given", async () => {
    const r = await run({ target: "churn", asOf: "2025-12-31", json: false });
    expect(r.text).toContain("ROC-AUC");
    expect(r.text).toContain("Scored 40 paying accounts");
  });

  it("should fail with a validation error when the target is unknown", async () => {
    await expect(run({ target: "upsell", asOf: "2025-12-31", json: true })).rejects.toBeInstanceOf(
      TenureError,
    );
  });
});
