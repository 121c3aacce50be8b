import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { minimalAccount, openStorage, type Storage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";

const WS = "default";
const TODAY = "2026-06-30";
let dir: string;
let storage: Storage;
let app: ReturnType<typeof createApp>;
let key: string;
let otherKey: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "tenure-plans-"));
  storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
  await storage.workspaces.ensure(WS, "Default");
  await storage.workspaces.ensure("other", "Other");
  await storage.accounts.upsertMany(WS, [{ ...minimalAccount("acme"), segment: "smb" }]);
  await storage.subscriptions.upsertMany(WS, [
    {
      id: "s1",
      accountId: "acme",
      plan: "pro",
      startDate: "2026-06-01",
      endDate: null,
      amount: 400,
      currency: "USD",
      interval: "month",
      quantity: 1,
      discountPct: 0,
      trial: false,
    },
  ]);
  key = (await storage.apiKeys.create(WS, { name: "admin", kind: "admin" })).key;
  otherKey = (await storage.apiKeys.create("other", { name: "admin", kind: "admin" })).key;
  app = createApp({ storage, config: { reportingCurrency: "USD", grossMargin: 1 }, today: () => TODAY });
});

afterAll(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

type Json = Record<string, unknown>;
const call = async (method: string, url: string, body?: unknown, k = key) => {
  const res = await app.request(url, {
    method,
    headers: { authorization: `Bearer ${k}`, "content-type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (res.status === 204 ? {} : await res.json()) as Json };
};

describe("success plans over HTTP", () => {
  it("should list the templates in Chinese", async () => {
    const res = await call("GET", "/api/success-plans/templates?locale=zh-CN");
    expect(res.status).toBe(200);
    const templates = res.body.templates as { key: string; title: string }[];
    expect(templates.find((t) => t.key === "onboarding-tech-touch")?.title).toBe("签约后 30 天上手(低接触)");
  });

  it("should start an onboarding checklist, tick milestones and report time to first value by segment", async () => {
    const created = await call("POST", "/api/accounts/acme/success-plans", {
      templateKey: "onboarding-tech-touch",
    });
    expect(created.status).toBe(201);
    const plan = created.body as {
      id: string;
      startedOn: string;
      milestones: { id: string; valueMilestone: boolean }[];
    };
    expect(plan.startedOn).toBe("2026-06-01");
    const value = plan.milestones.find((m) => m.valueMilestone);
    const ticked = await call("PUT", `/api/success-plans/${plan.id}/milestones/${value?.id}`, { done: true });
    expect(ticked.status).toBe(200);
    expect((ticked.body.progress as Json).done).toBe(1);
    expect(ticked.body.timeToFirstValueDays).toBe(29);
    const ttfv = await call("GET", "/api/onboarding/time-to-first-value?by=segment");
    expect(ttfv.body).toEqual({
      by: "segment",
      groups: [
        { group: "smb", accounts: 1, reached: 1, medianDays: 29, meanDays: 29, p25Days: 29, p75Days: 29 },
      ],
    });
    const progress = await call("GET", "/api/onboarding/progress");
    expect(progress.body.accounts).toEqual([
      {
        accountId: "acme",
        accountName: "acme",
        segment: "smb",
        tier: null,
        owner: null,
        planId: plan.id,
        startedOn: "2026-06-01",
        done: 1,
        total: 5,
        share: 0.2,
        timeToFirstValueDays: 29,
      },
    ]);
  });

  it("should refuse bad input naming the field, and unknown plans, accounts and other workspaces' plans with 404", async () => {
    const bad = await call("POST", "/api/accounts/acme/success-plans", {
      title: "x",
      goals: [{ title: "g", metric: "logins" }],
    });
    expect(bad.status).toBe(400);
    expect(String((bad.body.error as Json).message)).toContain("goals[0].metric");
    const unknownTpl = await call("POST", "/api/accounts/acme/success-plans", { templateKey: "nope" });
    expect(unknownTpl.status).toBe(400);
    expect(String((unknownTpl.body.error as Json).message)).toContain('templateKey: no template "nope"');
    expect(
      (await call("POST", "/api/accounts/ghost/success-plans", { templateKey: "success-plan-gpct" })).status,
    ).toBe(404);
    const mine = (await call("GET", "/api/accounts/acme/success-plans")).body.plans as { id: string }[];
    const id = mine[0]?.id as string;
    expect((await call("PATCH", `/api/success-plans/${id}`, { status: "abandoned" }, otherKey)).status).toBe(
      404,
    );
    expect((await call("DELETE", `/api/success-plans/${id}`, undefined, otherKey)).status).toBe(404);
    expect((await call("PATCH", `/api/success-plans/${id}`, { status: "abandoned" })).body.status).toBe(
      "abandoned",
    );
    expect((await call("DELETE", `/api/success-plans/${id}`)).status).toBe(204);
    expect((await call("DELETE", `/api/success-plans/${id}`)).status).toBe(404);
  });
});
