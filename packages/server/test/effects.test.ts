import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { STARTER_PLAYBOOKS } from "@tenure/core";
import { openStorage, type PlaybookRunRecord, type Storage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";

const WS = "default";
const AT = "2026-03-02T09:00:00.000Z";
let dir: string;
let storage: Storage;
let app: ReturnType<typeof createApp>;
let key: string;
let otherKey: string;

function run(i: number, holdout: boolean): PlaybookRunRecord {
  const pre = 40 + (i % 7);
  const wobble = ((i * 13) % 9) / 3 - 1.3;
  return {
    id: `r${i}`,
    playbookKey: "save-campaign",
    version: 1,
    accountId: `a${i}`,
    status: holdout ? "active" : "completed",
    holdout,
    source: "automation",
    triggerAutomationId: "auto",
    triggerSignalId: null,
    idempotencyKey: null,
    startedAt: AT,
    startDate: "2026-03-02",
    windowEnd: "2026-05-01",
    metric: { kind: "health_score" },
    startValue: pre,
    // No planted effect: the interval must include 0.
    endValue: pre + wobble,
    measuredAt: "2026-05-01T00:00:00.000Z",
    baseline: { segment: null, tier: null, band: "none", arr: 0 },
    steps: [],
    snoozedUntil: null,
    startedBy: null,
    completedAt: null,
    updatedAt: AT,
  };
}

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "tenure-effects-"));
  storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
  await storage.workspaces.ensure(WS, "Default");
  await storage.workspaces.ensure("other", "Other");
  const def = STARTER_PLAYBOOKS.find((p) => p.key === "save-campaign")?.definition;
  if (!def) throw new Error("no save-campaign starter");
  await storage.playbooks.create(WS, {
    key: "save-campaign",
    origin: "starter",
    definition: def,
    createdBy: null,
    at: AT,
  });
  for (let i = 0; i < 30; i++) await storage.playbooks.insertRun(WS, run(i, i % 3 === 0));
  key = (await storage.apiKeys.create(WS, { name: "admin", kind: "admin" })).key;
  otherKey = (await storage.apiKeys.create("other", { name: "admin", kind: "admin" })).key;
  app = createApp({
    storage,
    config: { reportingCurrency: "USD", grossMargin: 1 },
    today: () => "2026-06-30",
  });
});

afterAll(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = async (url: string, k = key) => {
  const res = await app.request(url, { headers: { authorization: `Bearer ${k}` } });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> };
};

describe("GET /api/effects/report", () => {
  it("should report the playbook's effect against its hold-outs with an interval that includes 0", async () => {
    const res = await get("/api/effects/report");
    expect(res.status).toBe(200);
    const playbooks = res.body.playbooks as Record<string, unknown>[];
    expect(playbooks).toHaveLength(1);
    const p = playbooks[0] ?? {};
    expect(p).toMatchObject({
      key: "save-campaign",
      version: 1,
      runs: 20,
      nTreated: 20,
      nControl: 10,
      control: "holdout",
      matched: null,
      reason: null,
    });
    expect(p.ciLow as number).toBeLessThan(0);
    expect(p.ciHigh as number).toBeGreaterThan(0);
    expect((p.name as Record<string, string>)["zh-CN"]).toBeTruthy();
    const success = res.body.success as Record<string, unknown>[];
    expect(success[0]).toMatchObject({ key: "save-campaign", runs: 20, measured: 20, completed: 20 });
  });

  it("should show another workspace only its own playbooks", async () => {
    const res = await get("/api/effects/report", otherKey);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ playbooks: [], success: [] });
  });

  it("should answer CS ROI per team and CSM, empty when the workspace has no accounts", async () => {
    const res = await get("/api/effects/roi");
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ teams: [], members: [] });
  });

  it("should refuse a request without an API key", async () => {
    const res = await app.request("/api/effects/report");
    expect(res.status).toBe(401);
  });
});
