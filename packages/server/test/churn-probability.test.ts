import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seedPlantedChurn, trainAndBacktest } from "@tenure/services";
import { openStorage, type Storage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";

const WS = "default";
const TODAY = "2025-12-31";
let dir: string;
let storage: Storage;
let app: ReturnType<typeof createApp>;
let key: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "tenure-churn-probability-"));
  storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
  await storage.workspaces.ensure(WS, "Planted");
  await seedPlantedChurn(storage, WS, { accounts: 60, asOf: TODAY });
  // a0 churned (one in three planted accounts leaves); give it a recorded reason.
  const a0 = await storage.accounts.get(WS, "a0");
  await storage.accounts.upsertMany(WS, [{ ...a0!, customFields: { churn_reason: "budget_cut" } }]);
  await trainAndBacktest(storage, WS, { asOf: TODAY, target: "churn", reportingCurrency: "USD" });
  key = (await storage.apiKeys.create(WS, { name: "read", kind: "read" })).key;
  app = createApp({ storage, config: { reportingCurrency: "USD", grossMargin: 1 }, today: () => TODAY });
}, 120_000);

afterAll(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

type Json = Record<string, unknown>;
const get = async (url: string) => {
  const res = await app.request(url, { headers: { authorization: `Bearer ${key}` } });
  return { status: res.status, body: (await res.json()) as Json };
};

describe("one churn probability", () => {
  it("should show the model's probability in the list, the worklist and the account's predictions alike", async () => {
    const list = (await get("/api/accounts?limit=5000&sort=churnProbability&order=desc")).body
      .accounts as Json[];
    const paying = list.filter((r) => (r.arr as number) > 0);
    expect(paying).toHaveLength(40);
    const top = paying[0]!;
    expect(typeof top.churnProbability).toBe("number");
    const probs = paying.map((r) => r.churnProbability as number);
    expect(probs).toEqual([...probs].sort((a, b) => b - a));
    const res = await get(`/api/accounts/${top.id}/predictions`);
    expect(res.status, JSON.stringify(res.body)).toBe(200);
    const one = res.body;
    expect((one.churn as Json).probability).toBe(top.churnProbability);
    expect(one.churned).toBeNull();
    const reasons = (one.churn as Json).reasons as Json[];
    expect(reasons.length).toBeGreaterThan(0);
    for (const r of reasons) {
      expect(typeof r.key).toBe("string");
      expect(r.text).not.toMatch(/—|\{\{|undefined/);
    }
    const worklist = (await get("/api/worklist")).body.accounts as Json[];
    for (const w of worklist)
      expect(w.priority).toBeCloseTo(((w.churnProbability as number | null) ?? 0) * (w.arr as number), 1);
    const priorities = worklist.map((w) => w.priority as number);
    expect(priorities).toEqual([...priorities].sort((a, b) => b - a));
  });

  it("should show churn date, reason and last MRR instead of a probability when the account churned", async () => {
    const list = (await get("/api/accounts?limit=5000&search=a0")).body.accounts as Json[];
    const row = list.find((r) => r.id === "a0")!;
    expect(row.churnProbability).toBeNull();
    expect(row.churned).toEqual({
      churnedAt: expect.stringMatching(/^\d{4}-\d{2}-01$/),
      reason: "budget_cut",
      lastMrr: 500,
    });
    const p = (await get("/api/accounts/a0/predictions")).body;
    expect(p.churn).toBeNull();
    expect(p.expansion).toBeNull();
    expect(p.churned).toEqual(row.churned);
    const stayed = list.find((r) => r.id === "a1");
    expect(stayed === undefined || stayed.churned === null).toBe(true);
  });
});
