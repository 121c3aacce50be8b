import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seedDemo } from "@tenure/services";
import { openStorage, type Storage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";

const WS = "default";
const TODAY = "2026-11-15";
let dir: string;
let storage: Storage;
let app: ReturnType<typeof createApp>;
let key: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "tenure-facts-"));
  storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
  await seedDemo(storage, { workspaceId: WS, accounts: 120, seed: 7, asOf: TODAY });
  key = (await storage.apiKeys.create(WS, { name: "admin", kind: "admin" })).key;
  app = createApp({ storage, config: { reportingCurrency: "USD", grossMargin: 1 }, today: () => TODAY });
}, 120_000);

afterAll(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = async <T>(url: string): Promise<T> => {
  const res = await app.request(url, { headers: { authorization: `Bearer ${key}` } });
  expect(res.status, url).toBe(200);
  return (await res.json()) as T;
};

describe("one definition per fact", () => {
  it("should show the same health trend in the list and on the account page for every account", async () => {
    // Two accounts fell 30 points: one since 8 days ago (a falling arrow everywhere), one since 21 days
    // ago with nothing in between (too old to compare with: a level arrow everywhere, never ▼ on one page
    // and → on the other).
    const today = (await storage.healthScores.onDate(WS, TODAY)).filter((r) => r.score !== null);
    const [recent, old] = today;
    if (!recent || !old) throw new Error("the demo should have scored accounts");
    const earlier = (r: typeof recent, date: string) => ({
      ...r,
      date,
      score: Math.min(100, (r.score ?? 0) + 30),
    });
    await storage.healthScores.upsertMany(WS, [earlier(recent, "2026-11-07"), earlier(old, "2026-10-25")]);

    const list = await get<{ accounts: { id: string; trend: string; score: number | null }[] }>(
      "/api/accounts?limit=5000",
    );
    expect(list.accounts.length).toBe(120);
    const mismatches: string[] = [];
    for (const row of list.accounts) {
      const overview = await get<{ health: { trend: string; score: number | null } | null }>(
        `/api/accounts/${encodeURIComponent(row.id)}/overview`,
      );
      const pageTrend = overview.health?.trend ?? "same";
      if (pageTrend !== row.trend) mismatches.push(`${row.id}: list ${row.trend}, page ${pageTrend}`);
    }
    expect(mismatches).toEqual([]);
    const trendOf = (id: string) => list.accounts.find((r) => r.id === id)?.trend;
    expect(trendOf(recent.accountId)).toBe("down");
    expect(trendOf(old.accountId)).toBe("same");
  });

  it("should count active users over the same 28 days on the account page, in the health metric and in seats", async () => {
    const list = await get<{ accounts: { id: string }[] }>("/api/accounts?sort=arr&order=desc&limit=40");
    let withUsers = 0;
    for (const { id } of list.accounts) {
      const overview = await get<{ health: { metrics: Record<string, number | null> } | null }>(
        `/api/accounts/${encodeURIComponent(id)}/overview`,
      );
      const usage = await get<{ mau: number; seats: { used: number } | null }>(
        `/api/accounts/${encodeURIComponent(id)}/usage/summary`,
      );
      const metric = overview.health?.metrics.activeUsers30d;
      if (metric === undefined || metric === null) continue;
      expect(usage.mau, id).toBe(metric);
      if (usage.seats) expect(usage.seats.used, id).toBe(metric);
      if (metric > 0) withUsers++;
    }
    expect(withUsers).toBeGreaterThan(5);
  });

  it("should name the running month in every monthly report and compare KPIs on the last complete month", async () => {
    const kpis = await get<{ month: string; previousMonth: string; monthToDate: string; partial: boolean }>(
      "/api/revenue/kpis",
    );
    expect(kpis).toMatchObject({
      month: "2026-10",
      previousMonth: "2026-09",
      monthToDate: "2026-11",
      partial: false,
    });
    const metrics = await get<{ monthToDate: string; months: { month: string }[] }>("/api/revenue/metrics");
    expect(metrics.monthToDate).toBe("2026-11");
    expect(metrics.months.at(-1)?.month).toBe("2026-11");
    const cohorts = await get<{ monthToDate: string }>("/api/revenue/cohorts");
    expect(cohorts.monthToDate).toBe("2026-11");
    const list = await get<{ accounts: { id: string }[] }>("/api/accounts?sort=arr&order=desc&limit=1");
    const overview = await get<{ revenue: { monthToDate: string; months: { month: string }[] } }>(
      `/api/accounts/${encodeURIComponent(list.accounts[0]?.id ?? "")}/overview`,
    );
    expect(overview.revenue.monthToDate).toBe("2026-11");
    expect(overview.revenue.months.at(-1)?.month).toBe("2026-11");
  });
});
