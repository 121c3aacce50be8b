import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openStorage, type Storage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";

const WS = "default";
const TODAY = "2026-11-15";
let dir: string;
let storage: Storage;
let app: ReturnType<typeof createApp>;
let admin: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "tenure-portfolio-"));
  storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
  await seedDemo(storage, { workspaceId: WS, accounts: 150, seed: 11, asOf: TODAY });
  admin = (await storage.apiKeys.create(WS, { name: "admin", kind: "admin" })).key;
  app = createApp({ storage, config: { reportingCurrency: "USD", grossMargin: 0.75 }, today: () => TODAY });
}, 120_000);

afterAll(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

import {
  type PortfolioPredictions,
  type RenewalForecastResult,
  seedDemo,
  storedRenewalBacktest,
  trainModel,
} from "@tenure/services";

type Json = PortfolioPredictions &
  RenewalForecastResult & {
    churn: { probability: number };
    clv: { clv: { arr: number; clv: number; mrr: number; derl: number }; margin: number };
    grossMargin: number;
    annualDiscountRate: number;
    paths: Record<string, unknown>;
    components: { schemas: Record<string, unknown> };
  };
type Row = RenewalForecastResult["rows"][number];
const call = async (method: string, url: string, body?: unknown) => {
  const res = await app.request(url, {
    method,
    headers: { authorization: `Bearer ${admin}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Json };
};

describe("portfolio and renewal routes", () => {
  it("should value accounts before any model is trained, with no ARR at risk and history-only renewals", async () => {
    const p = await call("GET", "/api/predictions/portfolio");
    expect(p.status).toBe(200);
    expect(p.body.models).toEqual({ churn: null, expansion: null });
    expect(p.body.arrAtRisk).toMatchObject({ total: 0, accounts: 0, largest: [] });
    expect(p.body.retention?.alpha).toBeGreaterThan(0);
    const r = await call("GET", "/api/predictions/renewals?days=365");
    expect(r.status).toBe(200);
    expect(r.body.rows.length).toBeGreaterThan(0);
    for (const row of r.body.rows) expect(["segment_history", "portfolio_history"]).toContain(row.source);
    // No training yet: the backtest was never computed, a 200 that names the command (not a 404).
    const none = await call("GET", "/api/predictions/renewals/backtest");
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ status: "none", command: "tenure predict train --target churn" });
  });

  it("should report ARR at risk as Σ ARR × churn probability once the churn model is trained", async () => {
    const churn = await call("POST", "/api/predictions/train", { target: "churn" });
    expect(churn.status).toBe(200);
    // The renewal backtest is now computed on a thread of its own; the answer did not wait for it.
    expect(churn.body).toMatchObject({ renewalBacktest: "started" });
    const expansion = await call("POST", "/api/predictions/train", { target: "expansion" });
    expect(expansion.body).toMatchObject({ renewalBacktest: "not_applicable" });
    const p = await call("GET", "/api/predictions/portfolio?top=500");
    expect(p.status).toBe(200);
    const rows = p.body.arrAtRisk.largest;
    expect(rows.length).toBe(p.body.arrAtRisk.accounts);
    expect(p.body.arrAtRisk.total).toBeCloseTo(
      rows.reduce((s, r) => s + r.arr * r.churnProbability, 0),
      6,
    );
    // The per-account endpoint agrees on ARR and probability for the largest risk.
    const first = rows[0]!;
    const one = await call("GET", `/api/accounts/${first.accountId}/predictions`);
    expect(one.status).toBe(200);
    expect(one.body.churn.probability).toBe(first.churnProbability);
    expect(one.body.clv.clv.arr).toBeCloseTo(first.arr, 6);
    expect(one.body.clv.clv.clv).toBeCloseTo(0.75 * one.body.clv.clv.mrr * one.body.clv.clv.derl, 6);
    expect(one.body.clv.margin).toBe(0.75);
    expect(p.body.byChannel.some((c) => c.modelLtvToCac !== null && c.simpleLtvToCac !== null)).toBe(true);
  });

  it("should value every renewal, near or far, with the calibrated model and sum rows into periods", async () => {
    const r = await call("GET", "/api/predictions/renewals?quarters=2&periodBy=quarter");
    expect(r.status).toBe(200);
    expect(r.body.until).toBe("2027-03-31");
    expect(r.body.modelHorizonDays).toBe(90);
    const rows: Row[] = r.body.rows;
    // No cliff: scored accounts are valued by the model beyond its 90-day horizon too.
    expect(rows.some((x) => x.source === "model" && x.renewalDate > "2027-02-13")).toBe(true);
    for (const x of rows) {
      expect(x.expectedArr).toBeCloseTo(x.arr * (x.renewalProbability ?? Number.NaN), 9);
      if (x.source === "model") expect(x.churnProbability).not.toBeNull();
    }
    const sum = rows.reduce((s, x) => s + (x.expectedArr ?? 0), 0);
    expect(r.body.totals.expectedArr).toBeCloseTo(sum, 6);
    expect(r.body.periods.reduce((s, p) => s + p.renewals, 0)).toBe(rows.length);
    expect(r.body.periods.every((p) => p.period === "2026-Q4" || p.period === "2027-Q1")).toBe(true);
  });

  it("should answer pending while a web-triggered training's renewal backtest is computed, then ready, computed once", async () => {
    // Still computing (150 accounts × 5 replayed quarters): a second training does not start another.
    const first = await call("GET", "/api/predictions/renewals/backtest");
    expect(first.status).toBe(200);
    expect(["pending", "ready"]).toContain((first.body as unknown as { status: string }).status);
    let r = first;
    for (let i = 0; i < 480 && (r.body as unknown as { status: string }).status !== "ready"; i++) {
      if ((r.body as unknown as { status: string }).status === "pending") {
        expect(r.body).toEqual({ status: "pending", command: "tenure predict train --target churn" });
        if (i === 0) {
          const again = await call("POST", "/api/predictions/train", { target: "churn" });
          expect(again.body).toMatchObject({ renewalBacktest: "already_running" });
        }
      }
      await new Promise((done) => setTimeout(done, 500));
      r = await call("GET", "/api/predictions/renewals/backtest");
      expect(r.status).toBe(200);
    }
    expect(r.body).toMatchObject({ status: "ready" });
    const b = r.body as unknown as {
      modelId: string;
      quarters: { quarter: string }[];
      calibration: unknown[];
    };
    expect(b.quarters.map((q) => q.quarter)).toEqual(["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]);
    expect(b.calibration.length).toBeGreaterThan(0);
    // Exactly the stored replay, with the status beside it.
    expect(r.body).toEqual({
      status: "ready",
      ...JSON.parse(JSON.stringify(await storedRenewalBacktest(storage, WS))),
    });
    // `tenure predict train --target churn` (and the demo) store it through trainModel, which the route reads.
    const trained = await trainModel(storage, WS, { asOf: TODAY, target: "churn", reportingCurrency: "USD" });
    const cli = await call("GET", "/api/predictions/renewals/backtest");
    expect(cli.body).toMatchObject({ status: "ready", modelId: trained.modelId });
    expect(trained.modelId).not.toBe(b.modelId);
  }, 480_000);

  it("should keep the CLV margin and discount rate per workspace and value accounts with them", async () => {
    const before = await call("GET", "/api/settings/clv");
    expect(before.status).toBe(200);
    expect(before.body).toMatchObject({
      grossMargin: 0.75,
      annualDiscountRate: 0.1,
      source: "default",
      revenueLtv: false,
    });
    const bad = await call("PUT", "/api/settings/clv", { grossMargin: 1.5, annualDiscountRate: 0.1 });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("grossMargin");
    const put = await call("PUT", "/api/settings/clv", { grossMargin: 1, annualDiscountRate: 0.12 });
    expect(put.status).toBe(200);
    expect(put.body).toMatchObject({
      grossMargin: 1,
      annualDiscountRate: 0.12,
      source: "workspace",
      revenueLtv: true,
    });
    const p = await call("GET", "/api/predictions/portfolio");
    expect(p.body.grossMargin).toBe(1);
    expect(p.body.annualDiscountRate).toBe(0.12);
    const id = p.body.arrAtRisk.largest[0]!.accountId;
    const one = await call("GET", `/api/accounts/${id}/predictions`);
    expect(one.body.clv.margin).toBe(1);
    expect(one.body.clv.clv.clv).toBeCloseTo(one.body.clv.clv.mrr * one.body.clv.clv.derl, 6);
    await call("PUT", "/api/settings/clv", { grossMargin: 0.75, annualDiscountRate: 0.1 });
  });

  it("should answer 400 naming the parameter when days is out of range", async () => {
    const r = await call("GET", "/api/predictions/renewals?days=0");
    expect(r.status).toBe(400);
    expect(JSON.stringify(r.body)).toContain("days");
  });

  it("should describe the new routes in the OpenAPI document", async () => {
    const doc = await call("GET", "/api/openapi.json");
    expect(Object.keys(doc.body.paths)).toEqual(
      expect.arrayContaining([
        "/predictions/portfolio",
        "/predictions/renewals",
        "/predictions/renewals/backtest",
        "/settings/clv",
        "/accounts/{id}/predictions",
      ]),
    );
    expect(doc.body.components.schemas.RenewalForecast).toBeDefined();
  });
});
