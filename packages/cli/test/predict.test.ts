import { PassThrough } from "node:stream";
import { TenureError } from "@tenure/core";
import { loadConfig, seedPlantedChurn, storedRenewalBacktest } from "@tenure/services";
import { openStorage, type Storage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { predictRenewalsCommand, predictTrainCommand } from "../src/commands/predict";
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

  it("should store the renewal backtest with the churn model, as the server reads it", async () => {
    const r = await run({ target: "churn", asOf: "2025-12-31", json: true });
    const out = JSON.parse(r.text) as {
      modelId: string;
      renewalBacktest: { stored: boolean; quarters?: number; total?: { renewals: number } };
    };
    expect(out.renewalBacktest.stored).toBe(true);
    const stored = await storedRenewalBacktest(storage, "default");
    expect(stored?.modelId).toBe(out.modelId);
    expect(stored?.quarters.length).toBe(out.renewalBacktest.quarters);
    expect(stored?.total.renewals).toBe(out.renewalBacktest.total?.renewals);
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

describe("tenure predict renewals", () => {
  const renewals = async (args: { days?: number; quarters?: number; period: string; json: boolean }) => {
    const out = new PassThrough();
    let text = "";
    out.on("data", (d) => {
      text += String(d);
    });
    const code = await predictRenewalsCommand(
      storage,
      loadConfig({}),
      { workspaceId: "default", asOf: "2025-12-31", ...args },
      { out, err: new PassThrough(), interactive: false },
    );
    return { code, text };
  };

  it("should print totals equal to the sums of the rows as JSON when --json is given", async () => {
    // Planted accounts are monthly and open-ended: give a few of them a contract end to renew.
    const subs = await storage.subscriptions.listUnordered("default");
    const open = subs.filter((x) => x.endDate === null).slice(0, 3);
    await storage.subscriptions.upsertMany(
      "default",
      open.map((x) => ({ ...x, interval: "year" as const, amount: 1200, startDate: "2025-01-15" })),
    );
    const r = await renewals({ days: 60, period: "month", json: true });
    expect(r.code).toBe(0);
    const f = JSON.parse(r.text) as {
      rows: { arr: number; expectedArr: number | null; source: string; renewalDate: string }[];
      totals: { renewals: number; arr: number; expectedArr: number };
    };
    expect(f.rows.length).toBe(3);
    expect(f.rows.every((x) => x.renewalDate === "2026-01-15")).toBe(true);
    expect(f.totals.arr).toBeCloseTo(
      f.rows.reduce((s, x) => s + x.arr, 0),
      9,
    );
    expect(f.totals.expectedArr).toBeCloseTo(
      f.rows.reduce((s, x) => s + (x.expectedArr ?? 0), 0),
      9,
    );
    const text = await renewals({ quarters: 2, period: "quarter", json: false });
    expect(text.text).toContain("Renewals from 2025-12-31 through 2026-03-31: 3");
  });

  it("should fail with a validation error when --days is out of range", async () => {
    await expect(renewals({ days: 0, period: "month", json: true })).rejects.toThrow(/days must be/);
  });
});
