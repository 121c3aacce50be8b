import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seedPlantedChurn } from "@tenure/services";
import { openStorage, type Storage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";

const WS = "default";
const TODAY = "2025-12-31";
let dir: string;
let storage: Storage;
let app: ReturnType<typeof createApp>;
let admin: string;
let reader: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "tenure-predictions-"));
  storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
  await storage.workspaces.ensure(WS, "Planted");
  await seedPlantedChurn(storage, WS, { accounts: 60, asOf: TODAY });
  admin = (await storage.apiKeys.create(WS, { name: "admin", kind: "admin" })).key;
  reader = (await storage.apiKeys.create(WS, { name: "read", kind: "read" })).key;
  app = createApp({ storage, config: { reportingCurrency: "USD", grossMargin: 1 }, today: () => TODAY });
}, 120_000);

afterAll(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

type Json = Record<string, unknown>;
const call = async (method: string, url: string, body?: unknown, key = admin) => {
  const res = await app.request(url, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Json };
};

describe("prediction routes", () => {
  it("should answer 404 when no model was trained yet", async () => {
    const r = await call("GET", "/api/predictions/backtest?target=churn");
    expect(r.status).toBe(404);
  });

  it("should refuse training when the key is not an admin key", async () => {
    const r = await call("POST", "/api/predictions/train", { target: "churn" }, reader);
    expect(r.status).toBe(403);
  });

  it("should reject an unknown target when training", async () => {
    const r = await call("POST", "/api/predictions/train", { target: "upsell" });
    expect(r.status).toBe(400);
  });

  it("should train, report the backtest and serve predictions when an admin trains", async () => {
    const trained = await call("POST", "/api/predictions/train", { target: "churn" });
    expect(trained.status).toBe(200);
    expect(trained.body.scored).toBe(40);
    const bt = await call("GET", "/api/predictions/backtest?target=churn");
    expect(bt.status).toBe(200);
    expect(bt.body).toMatchObject({ target: "churn", horizonDays: 90, asOf: TODAY });
    expect((bt.body.metrics as Json).auc).toBeGreaterThan(0.8);
    expect((bt.body.roc as Json[]).length).toBeGreaterThan(2);
    expect(bt.body.calibration).toHaveLength(10);
    expect(bt.body.lift).toHaveLength(10);

    const top = await call("GET", "/api/predictions?target=churn&limit=3", undefined, reader);
    expect(top.status).toBe(200);
    const accounts = top.body.accounts as Json[];
    expect(accounts).toHaveLength(3);
    const probs = accounts.map((a) => a.probability as number);
    expect(probs).toEqual([...probs].sort((a, b) => b - a));

    const one = await call("GET", `/api/accounts/${accounts[0]!.accountId as string}/predictions`);
    expect(one.status).toBe(200);
    expect((one.body.churn as Json).probability).toBe(probs[0]);
    expect(((one.body.churn as Json).reasons as Json[]).length).toBeGreaterThan(0);
    expect(one.body.expansion).toBeNull();
    expect((await call("GET", "/api/accounts/nope/predictions")).status).toBe(404);
  });

  it("should document the prediction routes in the OpenAPI document", async () => {
    const doc = (await call("GET", "/api/openapi.json")).body;
    const paths = Object.keys(doc.paths as Json);
    expect(paths).toEqual(
      expect.arrayContaining([
        "/predictions/backtest",
        "/predictions/train",
        "/predictions",
        "/accounts/{id}/predictions",
      ]),
    );
  });
});
