import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openStorage, type Storage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";

// Issue 14 §6: the exchange-rate import names its direction and warns on an implausible rate.
describe("POST /api/import/exchange-rates with CNY as reporting currency", () => {
  let dir: string;
  let storage: Storage;
  let app: ReturnType<typeof createApp>;
  let key: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "tenure-rates-"));
    storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
    key = (await storage.apiKeys.create("default", { name: "admin", kind: "admin" })).key;
    app = createApp({ storage, config: { reportingCurrency: "CNY", grossMargin: 1 } });
  });
  afterAll(async () => {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const upload = async (csv: string) => {
    const res = await app.request("/api/import/exchange-rates", {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "text/csv" },
      body: csv,
    });
    return { status: res.status, body: (await res.json()) as Record<string, unknown> };
  };

  it("should refuse amount 1e309 naming row and column, and revenue, accounts and worklist keep answering", async () => {
    const csv =
      "account_id,subscription_id,start_date,amount,currency\nacc-1,s1,2026-01-01,100,CNY\nacc-1,s2,2026-01-01,1e309,CNY\n";
    const res = await app.request("/api/import/subscriptions", {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "text/csv" },
      body: csv,
    });
    expect(res.status).toBe(422);
    expect(((await res.json()) as { errors: unknown[] }).errors).toMatchObject([
      { row: 3, column: "amount", value: "1e309", reason: "must be a finite number (it overflows)" },
    ]);
    for (const url of ["/api/revenue/mrr", "/api/accounts", "/api/worklist"]) {
      const r = await app.request(url, { headers: { authorization: `Bearer ${key}` } });
      expect([url, r.status]).toEqual([url, 200]);
    }
  });

  it("should read units_per_cny as quoted, refuse a USD-named column and warn on a jump", async () => {
    const first = await upload("date,currency,units_per_cny\n2026-01-01,USD,0.139\n");
    expect(first).toMatchObject({ status: 200, body: { written: true, errors: [], warnings: [] } });
    expect(await storage.exchangeRates.list("default")).toEqual([
      { date: "2026-01-01", currency: "USD", rate: 1 / 0.139 },
    ]);

    const wrong = await upload("date,currency,usd_per_unit\n2026-02-01,EUR,1.08\n");
    expect(wrong.status).toBe(422);
    expect(wrong.body.errors).toMatchObject([
      { row: 2, column: "usd_per_unit", reason: expect.stringMatching(/reporting currency is CNY/) },
    ]);

    // 1 USD = 7.2 CNY typed into the reporting-per-unit column: CNY per USD, the intended meaning.
    const jump = await upload("date,currency,cny_per_unit\n2026-02-01,USD,7.2\n");
    expect(jump).toMatchObject({ status: 200, body: { written: true, warnings: [] } });
    const back = await upload("date,currency,rate\n2026-03-01,USD,0.139\n");
    expect(back.status).toBe(200);
    expect(back.body.warnings).toMatchObject([
      {
        row: 2,
        column: "rate",
        value: "0.139",
        reason: expect.stringMatching(
          /^USD rate 0\.139 CNY per USD on 2026-03-01 is 1\/51\.8 of the previous rate 7\.2 CNY per USD/,
        ),
      },
    ]);
  });
});
