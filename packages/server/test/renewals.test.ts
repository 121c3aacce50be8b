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
  dir = mkdtempSync(path.join(tmpdir(), "tenure-renewals-"));
  storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
  await seedDemo(storage, { workspaceId: WS, accounts: 120, seed: 5, asOf: TODAY });
  key = (await storage.apiKeys.create(WS, { name: "admin", kind: "admin" })).key;
  app = createApp({ storage, config: { reportingCurrency: "USD", grossMargin: 1 }, today: () => TODAY });
}, 240_000);

afterAll(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

// biome-ignore lint/suspicious/noExplicitAny: JSON answers are read field by field below.
type Json = any;
const call = async (method: string, url: string, body?: unknown): Promise<{ status: number; body: Json }> => {
  const res = await app.request(url, {
    method,
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "x-tenure-member": "m-1" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: await res.json() };
};

describe("renewal and advocacy routes", () => {
  it("should list the renewal calendar with the same probability as the renewal forecast", async () => {
    const cal = await call("GET", "/api/renewals/calendar?months=3");
    expect(cal.status).toBe(200);
    expect(cal.body.until).toBe("2027-01-31");
    const f = await call("GET", "/api/predictions/renewals?days=77");
    const p = new Map<string, number | null>(
      f.body.rows.map((r: Json) => [`${r.accountId} ${r.renewalDate}`, r.renewalProbability]),
    );
    expect(cal.body.rows.length).toBeGreaterThan(0);
    for (const r of cal.body.rows)
      expect(r.renewalProbability).toBe(p.get(`${r.accountId} ${r.renewalDate}`));
    expect((await call("GET", "/api/renewals/calendar?months=30")).body.error.message).toContain("months");
  });

  it("should record an outcome, naming the field of a bad one, and count it in the churn-reason analysis", async () => {
    const cal = await call("GET", "/api/renewals/calendar?months=3");
    const row = cal.body.rows[0];
    const before = await call("GET", "/api/renewals/churn-reasons");
    const bad = await call("POST", "/api/renewals/outcomes", {
      accountId: row.accountId,
      renewalDate: row.renewalDate,
      outcome: "churned",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^reasonKey/);
    const badDate = await call("POST", "/api/renewals/outcomes", {
      accountId: row.accountId,
      renewalDate: "15/01/2027",
      outcome: "renewed",
    });
    expect(badDate.status).toBe(400);
    expect(badDate.body.error.message).toContain("renewalDate");
    const ok = await call("POST", "/api/renewals/outcomes", {
      accountId: row.accountId,
      renewalDate: row.renewalDate,
      outcome: "churned",
      reasonKey: "needs_not_met",
    });
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ outcome: "churned", arrBefore: row.arr, arrAfter: 0, recordedBy: "m-1" });
    const after = await call("GET", "/api/renewals/churn-reasons");
    expect(after.body.churned).toBe(before.body.churned + 1);
    expect(after.body.lostArr).toBeCloseTo(before.body.lostArr + row.arr, 6);
    expect(after.body.manageableShare).toBeGreaterThan(0);
  });

  it("should report the demo's save campaign ROI and start a new campaign", async () => {
    const c = await call("GET", "/api/renewals/campaigns");
    expect(c.status).toBe(200);
    expect(c.body.campaigns[0].roi).toBeCloseTo(2.23, 2);
    const cal = await call("GET", "/api/renewals/calendar?months=3");
    const created = await call("POST", "/api/renewals/campaigns", {
      name: "Winter saves",
      startedOn: TODAY,
      cost: 1000,
      accounts: [{ accountId: cal.body.rows[1].accountId }],
    });
    expect(created.status).toBe(201);
    expect(created.body.atRiskArrWorked).toBeCloseTo(cal.body.rows[1].arr, 6);
    const costed = await call("PATCH", `/api/renewals/campaigns/${created.body.id}`, { cost: 2500 });
    expect(costed.body).toMatchObject({ id: created.body.id, cost: 2500 });
    const bad = await call("PATCH", `/api/renewals/campaigns/${created.body.id}`, { endedOn: "2020-01-01" });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toMatch(/^endedOn/);
    expect((await call("PATCH", "/api/renewals/campaigns/nope", { cost: 1 })).status).toBe(404);
  });

  it("should take NPS and CSAT answers as JSON and CSV and summarise them, and record referrals", async () => {
    const [a, b] = (await storage.accounts.list(WS)).map((x) => x.id);
    const json = await call("POST", "/api/surveys/responses", {
      responses: [{ accountId: a, kind: "nps", score: 10, respondedAt: "2027-02-01" }],
    });
    expect(json).toEqual({ status: 201, body: { recorded: 1 } });
    const bad = await call("POST", "/api/surveys/responses", {
      csv: `account_id,score,kind,date\n${b},6,csat,2027-02-01\n`,
      fileName: "csat.csv",
    });
    expect(bad.status).toBe(400);
    expect(bad.body.error.message).toBe(
      "csv: csat.csv row 2, column score: a CSAT score is a whole number from 1 to 5, got 6",
    );
    const csv = await call("POST", "/api/surveys/responses", {
      csv: `account_id,score,kind,date\n${b},2,nps,2027-02-02\n`,
    });
    expect(csv.body).toEqual({ recorded: 1 });
    const s = await call("GET", "/api/surveys?from=2027-02-01&to=2027-02-28");
    expect(s.body.nps).toEqual({ responses: 2, promoters: 1, passives: 0, detractors: 1, score: 0 });
    const r = await call("POST", "/api/referrals", {
      advocateAccountId: a,
      referredName: "Kestrel Labs",
      referredOn: TODAY,
      referredArr: 24000,
    });
    expect(r.status).toBe(201);
    expect(r.body.status).toBe("referred");
    const list = await call("GET", "/api/referrals");
    expect(list.body.referrals.some((x: Json) => x.id === r.body.id && x.advocateName !== null)).toBe(true);
  });
});
