import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DEFAULT_SCORECARD } from "@tenure/core";
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
  dir = mkdtempSync(path.join(tmpdir(), "tenure-accounts-"));
  storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
  await seedDemo(storage, { workspaceId: WS, accounts: 120, seed: 5, asOf: TODAY });
  key = (await storage.apiKeys.create(WS, { name: "admin", kind: "admin" })).key;
  app = createApp({ storage, config: { reportingCurrency: "USD", grossMargin: 1 }, today: () => TODAY });
}, 120_000);

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
  const text = await res.text();
  return { status: res.status, body: (text ? JSON.parse(text) : null) as Json };
};
const get = (url: string) => call("GET", url);

describe("accounts list and worklist", () => {
  it("should list rows with health, ARR and signals when sorted and filtered", async () => {
    const all = await get("/api/accounts?limit=5000");
    expect(all.status).toBe(200);
    const rows = all.body.accounts as Json[];
    expect(all.body.total).toBe(120);
    expect(rows[0]).toEqual(
      expect.objectContaining({
        id: expect.any(String),
        band: expect.any(String),
        trend: expect.any(String),
        churnProbability: null,
      }),
    );
    expect(rows.some((r) => typeof r.score === "number")).toBe(true);
    const byArr = await get("/api/accounts?sort=arr&order=desc&limit=10");
    const arrs = (byArr.body.accounts as Json[]).map((r) => r.arr as number);
    expect(arrs).toEqual([...arrs].sort((a, b) => b - a));
    const red = await get("/api/accounts?band=red&limit=5000");
    expect((red.body.accounts as Json[]).every((r) => r.band === "red")).toBe(true);
    const first = rows[0] as Json;
    const search = await get(`/api/accounts?search=${encodeURIComponent(String(first.name))}`);
    expect((search.body.accounts as Json[]).map((r) => r.id)).toContain(first.id);
    const tier = first.tier as string | null;
    if (tier) {
      const seg = await get(`/api/accounts?segment=${encodeURIComponent(`tier=${tier}`)}&limit=5000`);
      expect((seg.body.accounts as Json[]).every((r) => r.tier === tier)).toBe(true);
    }
  });

  it("should reject a bad query naming the field", async () => {
    const bad = await get("/api/accounts?sort=nope&limit=0");
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("sort");
    expect(JSON.stringify(bad.body)).toContain("limit");
    expect((await get("/api/accounts?segment=novalue")).status).toBe(400);
  });

  it("should order the worklist by priority when accounts need attention", async () => {
    const w = await get("/api/worklist");
    expect(w.status).toBe(200);
    const rows = w.body.accounts as Json[];
    expect(rows.length).toBeGreaterThan(0);
    const p = rows.map((r) => r.priority as number);
    expect(p).toEqual([...p].sort((a, b) => b - a));
    for (const r of rows) {
      expect(r.band === "red" || r.band === "yellow" || (r.riskSignals as number) > 0).toBe(true);
      expect((r.reasons as string[]).length).toBeGreaterThan(0);
    }
  });
});

describe("account page", () => {
  let id: string;
  beforeAll(async () => {
    const rows = (await get("/api/accounts?sort=arr&order=desc&limit=1")).body.accounts as Json[];
    id = String(rows[0]?.id);
  });

  it("should return the overview with health breakdown and history", async () => {
    const o = await get(`/api/accounts/${id}/overview`);
    expect(o.status).toBe(200);
    expect(o.body.account).toMatchObject({ id });
    const health = o.body.health as Json;
    expect(health).toEqual(
      expect.objectContaining({ band: expect.any(String), explanation: expect.any(Array) }),
    );
    expect((o.body.scoreHistory as unknown[]).length).toBeGreaterThan(1);
    expect((o.body.revenue as Json).months).toEqual(expect.any(Array));
    expect((await get("/api/accounts/nope/overview")).status).toBe(404);
  });

  it("should summarise usage when the account has usage", async () => {
    const s = await get(`/api/accounts/${id}/usage/summary`);
    expect(s.status).toBe(200);
    expect(s.body).toEqual(expect.objectContaining({ mau: expect.any(Number), weekly: expect.any(Array) }));
    expect((s.body.weekly as unknown[]).length).toBe(26);
    expect((await get("/api/accounts/nope/usage/summary")).status).toBe(404);
  });

  it("should add timeline entries, validate observations and filter by type", async () => {
    const note = await call("POST", `/api/accounts/${id}/timeline`, {
      type: "note",
      title: "Called the CFO",
      body: "ok",
    });
    expect(note.status).toBe(201);
    expect(note.body).toMatchObject({ type: "note", title: "Called the CFO", accountId: id });
    const obs = await call("POST", `/api/accounts/${id}/timeline`, {
      type: "observation",
      title: "Mood",
      data: { cooperationWillingness: 4, sentiment: "positive" },
    });
    expect(obs.status).toBe(201);
    const bad = await call("POST", `/api/accounts/${id}/timeline`, {
      type: "observation",
      title: "Mood",
      data: { cooperationWillingness: 9 },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("cooperationWillingness");
    const badType = await call("POST", `/api/accounts/${id}/timeline`, { type: "ticket", title: "x" });
    expect(badType.status).toBe(400);
    expect(JSON.stringify(badType.body)).toContain("type");
    const list = await get(`/api/accounts/${id}/timeline?types=note,observation&limit=10`);
    expect(list.status).toBe(200);
    const entries = list.body.entries as Json[];
    expect(entries.every((e) => e.type === "note" || e.type === "observation")).toBe(true);
    expect(entries.map((e) => e.id)).toContain(note.body.id);
    expect((await get(`/api/accounts/${id}/timeline?types=bogus`)).status).toBe(400);
    expect((await call("POST", "/api/accounts/nope/timeline", { type: "note", title: "x" })).status).toBe(
      404,
    );
  });

  it("should set the stage by hand and record it", async () => {
    const r = await call("PUT", `/api/accounts/${id}/stage`, { stage: "expansion", note: "upsell" });
    expect(r.status).toBe(200);
    expect(r.body.stage).toBe("expansion");
    expect((r.body.history as Json[]).at(-1)).toMatchObject({
      stage: "expansion",
      source: "manual",
      note: "upsell",
    });
    expect((await call("PUT", `/api/accounts/${id}/stage`, { stage: "bogus" })).status).toBe(400);
    expect((await call("PUT", "/api/accounts/nope/stage", { stage: "adoption" })).status).toBe(404);
  });
});

describe("signals", () => {
  it("should list signals and move one through its statuses", async () => {
    const open = await get("/api/signals?status=open");
    expect(open.status).toBe(200);
    const signals = open.body.signals as Json[];
    expect(signals.length).toBeGreaterThan(0);
    const s = signals[0] as Json;
    expect(s).toEqual(expect.objectContaining({ accountName: expect.any(String), status: "open" }));
    const ack = await call("POST", `/api/signals/${s.id}/status`, { status: "acknowledged" });
    expect(ack.status).toBe(200);
    expect(ack.body).toMatchObject({ status: "acknowledged" });
    const done = await call("POST", `/api/signals/${s.id}/status`, { status: "resolved" });
    expect(done.body).toMatchObject({ status: "resolved" });
    const again = await call("POST", `/api/signals/${s.id}/status`, { status: "open" });
    expect(again.status).toBe(400);
    expect((await call("POST", "/api/signals/nope/status", { status: "resolved" })).status).toBe(404);
    expect((await get("/api/signals?kind=bogus")).status).toBe(400);
    const mine = await get(`/api/signals?accountId=${s.accountId}`);
    expect((mine.body.signals as Json[]).every((x) => x.accountId === s.accountId)).toBe(true);
  });

  it("should show who acknowledged and resolved a signal (X-Tenure-Member), in every signal view", async () => {
    const member = (await storage.team.listMembers(WS))[0];
    if (member === undefined) throw new Error("the demo has no team members");
    const s = ((await get("/api/signals?status=open")).body.signals as Json[])[0] as Json;
    expect(s.actor).toBeNull();
    const as = async (status: string) => {
      const res = await app.request(`/api/signals/${s.id}/status`, {
        method: "POST",
        headers: {
          authorization: `Bearer ${key}`,
          "content-type": "application/json",
          "X-Tenure-Member": member.id,
        },
        body: JSON.stringify({ status }),
      });
      return (await res.json()) as Json;
    };
    const actor = { id: member.id, name: member.name };
    expect(await as("acknowledged")).toMatchObject({ status: "acknowledged", actor });
    const listed = (await get(`/api/signals?accountId=${s.accountId}`)).body.signals as Json[];
    expect(listed.find((x) => x.id === s.id)).toMatchObject({ actor });
    const overview = (await get(`/api/accounts/${s.accountId}/overview`)).body.signals as Json[];
    expect(overview.find((x) => x.id === s.id)).toMatchObject({ status: "acknowledged", actor });
    expect(await as("resolved")).toMatchObject({ status: "resolved", actor });
    // A change without a member (an API key alone) records no one.
    const other = ((await get("/api/signals?status=open")).body.signals as Json[])[0] as Json;
    const ack = await call("POST", `/api/signals/${other.id}/status`, { status: "acknowledged" });
    expect(ack.body).toMatchObject({ status: "acknowledged", actor: null });
  });

  it("should create, list and delete signal rules and validate them", async () => {
    const rule = {
      id: "big-drop",
      name: "Big drop",
      kind: "risk",
      severity: "high",
      when: { metric: "activeUsersTrend", op: "lt", value: 0.3 },
    };
    const created = await call("POST", "/api/signal-rules", rule);
    expect(created.status).toBe(201);
    expect(((await get("/api/signal-rules")).body.rules as Json[]).map((r) => r.id)).toContain("big-drop");
    const bad = await call("POST", "/api/signal-rules", {
      ...rule,
      when: { metric: "nope", op: "lt", value: 1 },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("when.metric");
    expect((await call("DELETE", "/api/signal-rules/big-drop")).status).toBe(204);
    expect((await call("DELETE", "/api/signal-rules/big-drop")).status).toBe(404);
  });
});

describe("scorecard and comparisons", () => {
  it("should return the default scorecard, save a valid one and reject an invalid one", async () => {
    const sc = await get("/api/scorecard");
    expect(sc.body).toMatchObject({ id: DEFAULT_SCORECARD.id });
    const next = { ...DEFAULT_SCORECARD, id: "custom", bands: { red: 50, yellow: 75 } };
    const put = await call("PUT", "/api/scorecard", next);
    expect(put.status).toBe(200);
    expect((await get("/api/scorecard")).body).toMatchObject({
      id: "custom",
      bands: { red: 50, yellow: 75 },
    });
    const bad = await call("PUT", "/api/scorecard", { ...next, bands: { red: "x" } });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("bands");
  });

  it("should compare segments by an attribute and reject unknown ones", async () => {
    const c = await get("/api/scores/compare?attribute=tier");
    expect(c.status).toBe(200);
    const segs = c.body.segments as Json[];
    expect(segs.length).toBeGreaterThan(0);
    expect(segs.reduce((n, s) => n + (s.accounts as number), 0)).toBe(120);
    expect((await get("/api/scores/compare?attribute=bogus")).status).toBe(400);
  });
});

describe("saved views", () => {
  it("should save, list and delete a view", async () => {
    const v = await call("POST", "/api/views", {
      name: "Red ones",
      filters: { band: "red" },
      sort: "arr",
      order: "desc",
    });
    expect(v.status).toBe(201);
    expect(((await get("/api/views")).body.views as Json[]).map((x) => x.id)).toContain(v.body.id);
    expect((await call("POST", "/api/views", { name: "", filters: {} })).status).toBe(400);
    expect((await call("DELETE", `/api/views/${v.body.id}`)).status).toBe(204);
    expect((await call("DELETE", `/api/views/${v.body.id}`)).status).toBe(404);
  });

  it("should document every new route in the OpenAPI document", async () => {
    const doc = (await (await app.request("/api/openapi.json")).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toEqual(
      expect.arrayContaining([
        "/accounts",
        "/worklist",
        "/accounts/{id}/overview",
        "/accounts/{id}/usage/summary",
        "/accounts/{id}/timeline",
        "/accounts/{id}/stage",
        "/signals",
        "/signals/{id}/status",
        "/scorecard",
        "/scores/compare",
        "/signal-rules",
        "/signal-rules/{id}",
        "/views",
        "/views/{id}",
      ]),
    );
  });
});
