import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { mrrRows, RevenueService, seedDemo } from "@tenure/services";
import { openStorage, type Storage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";

const WS = "default";
let dir: string;
let storage: Storage;
let app: ReturnType<typeof createApp>;
let adminKey: string;
let readKey: string;
const config = { reportingCurrency: "USD", grossMargin: 1 };
const today = () => "2026-11-15";

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "tenure-api-"));
  storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
  // Revenue only: usage and health are covered by accounts.test.ts.
  await seedDemo(storage, { workspaceId: WS, accounts: 300, seed: 3, activity: false });
  adminKey = (await storage.apiKeys.create(WS, { name: "test admin", kind: "admin" })).key;
  readKey = (await storage.apiKeys.create(WS, { name: "test read", kind: "read" })).key;
  app = createApp({ storage, config, today, demo: true });
});

afterAll(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

const auth = (key = adminKey) => ({ headers: { authorization: `Bearer ${key}` } });
const getJson = async (url: string, key = adminKey) => {
  const res = await app.request(url, auth(key));
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe("auth", () => {
  it("should answer health and the OpenAPI document without a key", async () => {
    expect((await app.request("/api/health")).status).toBe(200);
    const doc = (await (await app.request("/api/openapi.json")).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/revenue/mrr",
        "/revenue/kpis",
        "/revenue/cohorts",
        "/import/{kind}",
        "/accounts",
      ]),
    );
  });

  it("should reject revenue routes when no key or an unknown key is sent", async () => {
    const none = await app.request("/api/revenue/mrr");
    expect(none.status).toBe(401);
    expect(((await none.json()) as { error: { code: string } }).error.code).toBe("unauthorized");
    expect((await app.request("/api/revenue/mrr", auth("tk_nope"))).status).toBe(401);
  });

  it("should refuse writes when the key is read-only", async () => {
    const res = await app.request("/api/import/accounts", {
      method: "POST",
      headers: { authorization: `Bearer ${readKey}`, "content-type": "text/csv" },
      body: "account_id,name\nx,X\n",
    });
    expect(res.status).toBe(403);
  });

  it("should sign the web app in through the session cookie when in demo mode", async () => {
    const login = await app.request("/api/auth/demo", { method: "POST" });
    expect(login.status).toBe(200);
    const cookie = login.headers.get("set-cookie") ?? "";
    expect(cookie).toContain("tenure.session_token=");
    expect(cookie.toLowerCase()).toContain("httponly");
    const me = await app.request("/api/me", { headers: { cookie: cookie.split(";")[0] ?? "" } });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({
      workspaceId: WS,
      demo: true,
      role: "admin",
      user: { email: "demo@tenure.local" },
    });
  });
});

describe("revenue API", () => {
  it("should return the same MRR months as the service when asked for /api/revenue/mrr", async () => {
    const service = new RevenueService(storage, { workspaceId: WS, reportingCurrency: "USD", today });
    const expected = mrrRows(await service.metrics({ from: "2025-01", to: "2025-12" }));
    const { status, body } = await getJson("/api/revenue/mrr?from=2025-01&to=2025-12");
    expect(status).toBe(200);
    expect(body).toEqual({ currency: "USD", months: expected });
    expect(expected).toHaveLength(12);
    expect(expected.every((m) => m.mrr > 0)).toBe(true);
  });

  it("should name the field when a query parameter is invalid", async () => {
    const { status, body } = await getJson("/api/revenue/metrics?from=2025-13");
    expect(status).toBe(400);
    expect(JSON.stringify(body)).toContain("from");
    const seg = await getJson("/api/revenue/metrics?segment=colour%3Dred");
    expect(seg.status).toBe(400);
    expect(JSON.stringify(seg.body)).toContain("colour");
  });

  it("should give KPI tiles for every headline metric", async () => {
    const { status, body } = await getJson("/api/revenue/kpis");
    expect(status).toBe(200);
    const tiles = body.tiles as { key: string; value: number | null }[];
    expect(tiles.map((t) => t.key)).toEqual([
      "mrr",
      "arr",
      "ndr",
      "grr",
      "logoChurnRate",
      "arpa",
      "ltvToCac",
      "paybackMonths",
    ]);
    const mrr = tiles.find((t) => t.key === "mrr")?.value ?? 0;
    expect(mrr).toBeGreaterThan(0);
    expect(tiles.find((t) => t.key === "arr")?.value).toBeCloseTo(mrr * 12, 6);
  });

  it("should list the accounts behind one movement bar", async () => {
    const metrics = await getJson("/api/revenue/metrics");
    const months = metrics.body.months as { month: string; churn: number; churnedCustomers: number }[];
    const withChurn = months.find((m) => m.churnedCustomers > 0);
    expect(withChurn).toBeDefined();
    const { body } = await getJson(`/api/revenue/movements?month=${withChurn?.month}&kind=churn`);
    const rows = body.movements as { amount: number; kind: string; accountName: string }[];
    expect(rows).toHaveLength(withChurn?.churnedCustomers ?? -1);
    expect(rows.reduce((a, r) => a + r.amount, 0)).toBeCloseTo(withChurn?.churn ?? 0, 6);
    expect(rows.every((r) => r.kind === "churn" && r.accountName.length > 0)).toBe(true);
  });

  it("should filter every report by segment", async () => {
    const all = await getJson("/api/revenue/mrr");
    const ent = await getJson("/api/revenue/mrr?segment=tier%3Denterprise");
    const lastAll = (all.body.months as { mrr: number }[]).at(-1)?.mrr ?? 0;
    const lastEnt = (ent.body.months as { mrr: number }[]).at(-1)?.mrr ?? 0;
    expect(lastEnt).toBeGreaterThan(0);
    expect(lastEnt).toBeLessThan(lastAll);
    for (const url of ["cohorts", "unit-economics", "bundles", "whatif"]) {
      const r = await getJson(`/api/revenue/${url}?segment=tier%3Denterprise`);
      expect(r.status, url).toBe(200);
    }
    const segments = await getJson("/api/segments");
    const attrs = (segments.body.attributes as { attribute: string }[]).map((a) => a.attribute);
    expect(attrs).toEqual(expect.arrayContaining(["tier", "owner", "industry", "channel", "plan"]));
  });

  it("should project what-if scenarios from the last month", async () => {
    const { body } = await getJson("/api/revenue/whatif?months=12&rates=0,0.03");
    const scenarios = body.scenarios as { rate: number; points: { mrr: number }[] }[];
    expect(scenarios.map((s) => s.rate)).toEqual([0, 0.03]);
    const start = body.startMrr as number;
    expect(scenarios[1]?.points[11]?.mrr).toBeCloseTo(start * 1.03 ** 12, 0);
  });
});

describe("accounts list", () => {
  it("should return list rows with MRR, ARR and health fields when listed", async () => {
    const { status, body } = await getJson("/api/accounts?limit=3&sort=arr&order=desc");
    expect(status).toBe(200);
    expect(body.total).toBe(300);
    const rows = body.accounts as Record<string, unknown>[];
    expect(rows).toHaveLength(3);
    expect(rows[0]).toEqual(
      expect.objectContaining({
        mrr: expect.any(Number),
        arr: expect.any(Number),
        band: "none",
        score: null,
        trend: "same",
        openSignals: 0,
        churnProbability: null,
      }),
    );
    expect((rows[0]?.arr as number) >= (rows[1]?.arr as number)).toBe(true);
  });
});

describe("import API", () => {
  it("should write nothing and list the bad row when one row is invalid", async () => {
    const csv = "account_id,name\napi_a,A Co\n,Missing Id\n";
    const res = await app.request("/api/import/accounts", {
      method: "POST",
      headers: { authorization: `Bearer ${adminKey}`, "content-type": "text/csv" },
      body: csv,
    });
    expect(res.status).toBe(422);
    const summary = (await res.json()) as { written: boolean; errors: { row: number; column: string }[] };
    expect(summary.written).toBe(false);
    expect(summary.errors).toEqual([expect.objectContaining({ row: 3, column: "account_id" })]);
    expect((await app.request("/api/accounts/api_a", auth())).status).toBe(404);
  });

  it("should import a good file and show the account", async () => {
    const res = await app.request("/api/import/accounts?fileName=accounts.csv", {
      method: "POST",
      headers: { authorization: `Bearer ${adminKey}`, "content-type": "text/csv" },
      body: "account_id,name,tier\napi_b,B Co,smb\n",
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ written: true, inserted: 1 });
    const acc = await getJson("/api/accounts/api_b");
    expect(acc.body).toMatchObject({ id: "api_b", name: "B Co", tier: "smb" });
  });
});
