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
let otherKey: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "tenure-automations-"));
  storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
  await storage.workspaces.ensure(WS, "Default");
  await storage.workspaces.ensure("other", "Other");
  await storage.accounts.upsertMany(WS, [
    { ...minimalAccount("acme"), name: "Acme", lifecycleStage: "adoption" },
    { ...minimalAccount("bolt"), name: "Bolt", lifecycleStage: "adoption" },
  ]);
  const now = new Date(Date.now() - 3_600_000).toISOString();
  // The app's day is the signals' own: a fixed day would put them in its future once the clock passed it.
  const today = now.slice(0, 10);
  await storage.signals.insertMany(
    WS,
    ["acme", "bolt"].map((a) => ({
      id: `sig-${a}`,
      accountId: a,
      type: "usage_drop",
      kind: "risk",
      severity: "high",
      status: "open",
      dedupKey: `usage_drop:${a}`,
      title: "Usage dropped",
      summary: "Usage dropped",
      evidence: {},
      openedAt: now,
      acknowledgedAt: null,
      resolvedAt: null,
      statusChangedBy: null,
    })),
  );
  key = (await storage.apiKeys.create(WS, { name: "admin", kind: "admin" })).key;
  otherKey = (await storage.apiKeys.create("other", { name: "admin", kind: "admin" })).key;
  app = createApp({
    storage,
    config: { reportingCurrency: "USD", grossMargin: 1 },
    today: () => today,
  });
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

const definition = {
  name: "Tag accounts whose usage dropped",
  enabled: true,
  trigger: { type: "signal_raised", signalTypes: ["usage_drop"] },
  conditions: null,
  actions: [{ type: "add_tag", tag: "usage-drop" }],
  options: { includeChurned: false, reentryDays: 30, holdoutPct: 0 },
};

describe("automations over HTTP", () => {
  it("should reject an automation naming an unknown playbook with the part and save nothing", async () => {
    const res = await call("POST", "/api/automations", {
      ...definition,
      actions: [{ type: "start_playbook", playbookKey: "nope" }],
    });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain('actions[0].playbookKey: unknown playbook \\"nope\\"');
    const loop = await call("POST", "/api/automations", {
      ...definition,
      trigger: { type: "stage_entered", stage: "retention" },
      actions: [{ type: "set_stage", stage: "retention" }],
    });
    expect(loop.status).toBe(400);
    expect(JSON.stringify(loop.body)).toContain("actions[0].stage");
    expect((await call("GET", "/api/automations")).body).toEqual({ automations: [] });
  });

  it("should create, dry-run, switch off, edit and show versions", async () => {
    const created = await call("POST", "/api/automations", definition);
    expect(created.status).toBe(201);
    const id = created.body.id as string;
    expect(created.body).toMatchObject({ version: 1, enabled: true, name: definition.name });

    const dry = await call("POST", "/api/automations/dry-run", { id });
    expect(dry.status).toBe(200);
    expect(dry.body).toMatchObject({ matched: 2, byOutcome: { fired: 2 } });
    expect((dry.body.rows as Json[]).map((r) => r.accountName).sort()).toEqual(["Acme", "Bolt"]);
    expect((await storage.accounts.get(WS, "acme"))?.tags).toEqual([]);

    const off = await call("POST", `/api/automations/${id}/enabled`, { enabled: false });
    expect(off.body).toMatchObject({ enabled: false, version: 1 });
    const edited = await call("PUT", `/api/automations/${id}`, { ...definition, name: "Renamed" });
    expect(edited.body).toMatchObject({ version: 2, name: "Renamed" });
    const detail = await call("GET", `/api/automations/${id}`);
    expect((detail.body.versions as Json[]).map((v) => v.version)).toEqual([2, 1]);
    expect((await call("GET", `/api/automations/${id}/log`)).body).toEqual({ entries: [] });
    // The evaluation pass is scheduled for the workspace.
    expect((await storage.jobSchedules.list(WS)).map((s) => s.name)).toContain("automations:evaluate");
  });

  it("should keep workspaces apart and answer 404 for an unknown automation", async () => {
    expect((await call("GET", "/api/automations", undefined, otherKey)).body).toEqual({ automations: [] });
    expect((await call("GET", "/api/automations/auto_missing")).status).toBe(404);
    const snooze = await call("POST", "/api/automations/auto_missing/snooze", {
      accountId: "acme",
      until: null,
    });
    expect(snooze.status).toBe(404);
  });
});
