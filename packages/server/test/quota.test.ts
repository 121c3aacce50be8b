import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { recomputeHealth } from "@tenure/services";
import { bareUsageUser, openStorage, type Storage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";

const WS = "default";
const TODAY = "2026-06-30";
let dir: string;
let storage: Storage;
let app: ReturnType<typeof createApp>;
let key: string;

type Json = Record<string, unknown>;
const call = async (method: string, url: string, body?: string, type = "application/json") => {
  const res = await app.request(url, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": type },
    body,
  });
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Json };
};

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "tenure-quota-"));
  storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
  key = (await storage.apiKeys.create(WS, { name: "admin", kind: "admin" })).key;
  app = createApp({ storage, config: { reportingCurrency: "USD", grossMargin: 1 }, today: () => TODAY });
  await storage.usageUsers.upsertMany(WS, [{ ...bareUsageUser("u1", "u1", null), accountId: "acme" }]);
  // 4 exports a day from 2026-04-01 through 2026-06-30: 91 days, 364 units.
  const rollups = [];
  for (let d = Date.UTC(2026, 3, 1); d <= Date.UTC(2026, 5, 30); d += 86_400_000)
    rollups.push({ userKey: "u1", day: new Date(d).toISOString().slice(0, 10), event: "Export", count: 4 });
  await storage.usageRollups.addCounts(WS, rollups);
});

afterAll(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("quota and contacts who left over the API", () => {
  it("should import entitlements and show their pace in the usage summary", async () => {
    const csv = "account_id,metric,quota,period_start,period_end\nacme,Export,500,2026-04-01,2027-04-01\n";
    const imported = await call("POST", "/api/import/entitlements", csv, "text/csv");
    expect(imported.status).toBe(200);
    expect(imported.body).toMatchObject({ kind: "entitlements", inserted: 1, createdAccounts: ["acme"] });

    const res = await call("GET", "/api/accounts/acme/usage/summary");
    expect(res.status).toBe(200);
    const quota = res.body.quota as Json;
    // 364 of 500 used in 91 days (4/day): 136 left → 34 days → 2026-08-03, long before 2027-04-01.
    expect(quota).toMatchObject({
      metric: "Export",
      used: 364,
      entitled: 500,
      usedRatio: 0.728,
      dailyRunRate: 4,
      status: "exhausts_early",
      projectedExhaustion: "2026-08-03",
      contractEnd: "2027-04-01",
    });
    expect((quota.cumulative as unknown[]).length).toBe(91);
    expect(res.body.quotas).toHaveLength(1);
  });

  it("should reject a zero entitlement naming the row and column", async () => {
    const csv = "account_id,metric,quota,period_start,period_end\nacme,Export,0,2026-04-01,2027-04-01\n";
    const res = await call("POST", "/api/import/entitlements", csv, "text/csv");
    expect(res.status).toBe(422);
    expect(res.body.errors).toEqual([
      expect.objectContaining({ row: 2, column: "quota", reason: "quantity must be > 0" }),
    ]);
  });

  it("should record that a champion left, show it in the overview and raise champion_left", async () => {
    const csv = "contact_id,account_id,name,role\nc1,acme,Mei Lin,champion\nc2,acme,Bo,admin\n";
    expect((await call("POST", "/api/import/contacts", csv, "text/csv")).status).toBe(200);

    const bad = await call("PUT", "/api/accounts/acme/contacts/c1/left", JSON.stringify({ leftAt: "June" }));
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("leftAt");
    const elsewhere = await call("PUT", "/api/accounts/acme/contacts/nope/left", '{"leftAt":"2026-06-20"}');
    expect(elsewhere.status).toBe(404);

    const res = await call("PUT", "/api/accounts/acme/contacts/c1/left", '{"leftAt":"2026-06-20"}');
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({ id: "c1", leftAt: "2026-06-20" });
    // No scheduler runs in this app, so the change recomputed health at once.
    const overview = await call("GET", "/api/accounts/acme/overview");
    const contacts = overview.body.contacts as Json[];
    expect(contacts.find((c) => c.id === "c1")?.leftAt).toBe("2026-06-20");
    expect(contacts.find((c) => c.id === "c2")?.leftAt).toBeNull();
    const signals = overview.body.signals as Json[];
    const left = signals.find((s) => s.type === "champion_left");
    expect(left?.evidence).toMatchObject({ contactName: "Mei Lin", leftAt: "2026-06-20", daysAgo: 10 });
    expect(signals.some((s) => s.type === "quota_expansion")).toBe(true);

    // Back at the company: the next recompute resolves the signal.
    await call("PUT", "/api/accounts/acme/contacts/c1/left", '{"leftAt":null}');
    await recomputeHealth(storage, WS, { asOf: TODAY });
    const after = await call("GET", "/api/signals?accountId=acme");
    expect(after.status).toBe(200);
    const champion = (after.body.signals as Json[]).filter((s) => s.type === "champion_left");
    expect(champion.map((s) => s.status)).toEqual(["resolved"]);
  });
});
