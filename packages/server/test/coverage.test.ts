import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { minimalAccount, openStorage, type Storage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";

const WS = "default";
let dir: string;
let storage: Storage;
let app: ReturnType<typeof createApp>;
let key: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "tenure-coverage-"));
  storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
  await storage.workspaces.ensure(WS, "Default");
  await storage.accounts.upsertMany(WS, [{ ...minimalAccount("big"), tier: "enterprise" }]);
  await storage.subscriptions.upsertMany(WS, [
    {
      id: "s1",
      accountId: "big",
      plan: "p",
      startDate: "2026-01-01",
      endDate: null,
      amount: 8000,
      currency: "USD",
      interval: "month",
      quantity: 1,
      discountPct: 0,
      trial: false,
    },
  ]);
  key = (await storage.apiKeys.create(WS, { name: "admin", kind: "admin" })).key;
  app = createApp({
    storage,
    config: { reportingCurrency: "USD", grossMargin: 1 },
    today: () => "2026-12-07",
  });
});

afterAll(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

type Json = Record<string, unknown>;
const call = async (method: string, url: string, body?: unknown) => {
  const res = await app.request(url, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Json };
};

describe("coverage and QBRs over HTTP", () => {
  it("should save a valid model and refuse a bad one naming the field", async () => {
    const model = (await call("GET", "/api/coverage")).body as { tiers: Json[] };
    expect(model.tiers).toHaveLength(3);
    const bad = await call("PUT", "/api/coverage", { tiers: [{ ...model.tiers[0], qbrCadenceMonths: 0 }] });
    expect(bad.status).toBe(400);
    expect(String((bad.body.error as Json).message)).toContain("tiers[0].qbrCadenceMonths");
    const unknown = await call("PUT", "/api/coverage", {
      tiers: [{ ...model.tiers[0], automaticPlaybooks: ["zz"] }],
    });
    expect(unknown.status).toBe(400);
    expect(String((unknown.body.error as Json).message)).toContain(
      'tiers[0].automaticPlaybooks[0]: no playbook "zz"',
    );
    const ok = await call("PUT", "/api/coverage", { tiers: [{ ...model.tiers[0], qbrCadenceMonths: 4 }] });
    expect(ok.status).toBe(200);
    expect(((await call("GET", "/api/coverage")).body.tiers as Json[])[0]?.qbrCadenceMonths).toBe(4);
  });

  it("should set a target and show it against the actual MRR", async () => {
    const set = await call("PUT", "/api/accounts/big/qbrs/2026-Q4", {
      targetMrr: 10_000,
      heldOn: "2026-11-20",
    });
    expect(set.status).toBe(200);
    expect((await call("PUT", "/api/accounts/big/qbrs/2026-Q7", { targetMrr: 1 })).status).toBe(400);
    expect((await call("PUT", "/api/accounts/nope/qbrs/2026-Q4", { targetMrr: 1 })).status).toBe(404);
    const s = await call("GET", "/api/qbrs?quarter=2026-Q4");
    expect(s.status).toBe(200);
    expect(s.body.rows).toEqual([
      expect.objectContaining({
        accountId: "big",
        targetMrr: 10_000,
        actualMrr: 8000,
        attainment: 0.8,
        heldOn: "2026-11-20",
        nextDueOn: "2027-03-20",
      }),
    ]);
  });
});
