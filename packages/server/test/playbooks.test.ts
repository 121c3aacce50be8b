import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { STARTER_PLAYBOOKS } from "@tenure/core";
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
  dir = mkdtempSync(path.join(tmpdir(), "tenure-playbooks-"));
  storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
  await storage.workspaces.ensure(WS, "Default");
  await storage.workspaces.ensure("other", "Other");
  await storage.accounts.upsertMany(WS, [{ ...minimalAccount("acme"), segment: "smb" }]);
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

const champion = STARTER_PLAYBOOKS.find((p) => p.key === "champion-left")?.definition;

describe("playbooks over HTTP", () => {
  it("should give a workspace the starter library on first use", async () => {
    const res = await call("GET", "/api/playbooks");
    expect(res.status).toBe(200);
    const keys = (res.body.playbooks as Json[]).map((p) => p.key);
    expect(keys).toHaveLength(10);
    expect(keys).toContain("low-adoption-rescue");
  });

  it("should create a playbook and save an edit as version 2", async () => {
    const created = await call("POST", "/api/playbooks", { key: "exec-check-in", definition: champion });
    expect(created.status).toBe(201);
    expect((created.body.playbook as Json).origin).toBe("custom");
    const edited = await call("PUT", "/api/playbooks/exec-check-in", {
      definition: { ...champion, windowDays: 14 },
    });
    expect(edited.status).toBe(200);
    expect((edited.body.versions as Json[]).map((v) => v.version)).toEqual([2, 1]);
    const again = await call("POST", "/api/playbooks", { key: "exec-check-in", definition: champion });
    expect(again.status).toBe(409);
  });

  it("should name the bad part of a definition", async () => {
    const bad = { ...champion, steps: [], signalTypes: ["usage_drop"] };
    const res = await call("POST", "/api/playbooks", { key: "broken", definition: bad });
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain("steps: must have at least one step");
    const shape = await call("POST", "/api/playbooks", {
      key: "broken",
      definition: { ...champion, audience: { colour: "red" } },
    });
    expect(shape.status).toBe(400);
    expect(JSON.stringify(shape.body)).toContain("colour");
    expect((await call("GET", "/api/playbooks/broken")).status).toBe(404);
  });

  it("should start a run once, list it on the account and move it", async () => {
    const first = await call("POST", "/api/playbooks/exec-check-in/runs", { accountId: "acme" });
    expect(first.status).toBe(201);
    const run = first.body.run as Json;
    expect(run).toMatchObject({ version: 2, startDate: TODAY, windowEnd: "2026-07-14", holdout: false });
    expect(run.progress).toEqual({ done: 0, skipped: 0, total: 4 });
    const second = await call("POST", "/api/playbooks/exec-check-in/runs", { accountId: "acme" });
    expect(second.status).toBe(200);
    expect((second.body.run as Json).id).toBe(run.id);
    const moved = await call("POST", `/api/playbook-runs/${run.id}/reschedule`, { days: 3 });
    expect(moved.status).toBe(200);
    expect(moved.body.windowEnd).toBe("2026-07-17");
    // "For N days" counts from the server's today, and the run says it is snoozed on that day.
    const forDays = await call("POST", `/api/playbook-runs/${run.id}/snooze`, { days: 14 });
    expect(forDays.status).toBe(200);
    expect(forDays.body).toMatchObject({ snoozedUntil: "2026-07-14", snoozed: true });
    const both = await call("POST", `/api/playbook-runs/${run.id}/snooze`, { days: 3, until: "2026-07-10" });
    expect(both.status).toBe(400);
    const snoozed = await call("POST", `/api/playbook-runs/${run.id}/snooze`, { until: "2026-07-10" });
    expect(snoozed.body.snoozedUntil).toBe("2026-07-10");
    const woken = await call("POST", `/api/playbook-runs/${run.id}/snooze`, { until: null });
    expect(woken.body).toMatchObject({ snoozedUntil: null, snoozed: false });
    await call("POST", `/api/playbook-runs/${run.id}/snooze`, { until: "2026-07-10" });
    const listed = await call("GET", "/api/accounts/acme/playbook-runs");
    expect((listed.body.runs as Json[]).map((r) => r.id)).toEqual([run.id]);
    const byPlaybook = await call("GET", "/api/playbooks/exec-check-in/runs");
    expect((byPlaybook.body.runs as Json[]).map((r) => r.id)).toEqual([run.id]);
    const missing = await call("POST", "/api/playbooks/exec-check-in/runs", { accountId: "nobody" });
    expect(missing.status).toBe(404);
  });

  it("should archive a playbook, refuse new runs of it and keep other workspaces apart", async () => {
    const archived = await call("POST", "/api/playbooks/exec-check-in/archive", { archived: true });
    expect(archived.status).toBe(200);
    expect(archived.body.archivedAt).not.toBeNull();
    const listed = await call("GET", "/api/playbooks");
    expect((listed.body.playbooks as Json[]).some((p) => p.key === "exec-check-in")).toBe(false);
    const withArchived = await call("GET", "/api/playbooks?archived=true");
    expect((withArchived.body.playbooks as Json[]).some((p) => p.key === "exec-check-in")).toBe(true);
    expect((await call("GET", "/api/playbooks/exec-check-in", undefined, otherKey)).status).toBe(404);
    expect((await call("GET", "/api/playbook-runs/x/snooze")).status).toBe(404);
  });
});
