import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { DEFAULT_SCORECARD, type Scorecard } from "@tenure/core";
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
  dir = mkdtempSync(path.join(tmpdir(), "tenure-scorecard-"));
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
  return { status: res.status, body: (await res.json()) as Json };
};

type Totals = { band: string; accounts: number; arr: number }[];
const sum = (t: Totals, k: "accounts" | "arr") => t.reduce((s, x) => s + x[k], 0);

describe("scorecard preview and save", () => {
  const stricter = (): Scorecard => ({
    ...structuredClone(DEFAULT_SCORECARD),
    bands: { red: 60, yellow: 85 },
  });

  it("should preview band changes and ARR by band without saving when the bands move", async () => {
    const scoresBefore = await storage.healthScores.onDate(WS, TODAY);
    const res = await call("POST", "/api/scorecard/preview", stricter());
    expect(res.status).toBe(200);
    const p = res.body as Json & { before: Totals; after: Totals; moves: Json[] };
    expect(p.scoredOn).toBe(TODAY);
    expect(p.currentVersion).toBe(1);
    expect(p.changedBand as number).toBeGreaterThan(0);
    // Stricter bands only move accounts down.
    expect(p.better).toBe(0);
    expect(p.worse).toBe(p.changedBand);
    expect(sum(p.after, "accounts")).toBe(p.accounts);
    expect(sum(p.after, "arr")).toBeCloseTo(sum(p.before, "arr"), 1);
    const red = (t: Totals) => t.find((x) => x.band === "red")?.accounts ?? 0;
    expect(red(p.after)).toBeGreaterThan(red(p.before));
    expect(p.changes).toEqual([
      { path: "bands.red", where: [], property: "redBelow", before: 40, after: 60 },
      { path: "bands.yellow", where: [], property: "yellowBelow", before: 70, after: 85 },
    ]);
    // Nothing was saved or rescored.
    expect((await call("GET", "/api/scorecard")).body).toMatchObject({ version: 1, bands: { red: 40 } });
    expect(await storage.healthScores.onDate(WS, TODAY)).toEqual(scoresBefore);
  });

  it("should answer 400 naming the field when the proposed scorecard is invalid", async () => {
    const bad = stricter();
    (bad.profiles[0]?.dimensions[0] as { weight: number }).weight = -1;
    const res = await call("POST", "/api/scorecard/preview", bad);
    expect(res.status).toBe(400);
    expect(JSON.stringify(res.body)).toContain("profiles[0].dimensions[0].weight");
  });

  it("should save with the next version and list what changed when a weight changes", async () => {
    const next = stricter();
    (next.profiles[0]?.dimensions[1] as { weight: number }).weight = 9;
    const res = await call("PUT", "/api/scorecard", next);
    expect(res.status).toBe(200);
    expect(res.body.previousVersion).toBe(1);
    expect(res.body.scorecard).toMatchObject({ version: 2, bands: { red: 60, yellow: 85 } });
    const changes = res.body.changes as { property: string; after: unknown }[];
    expect(changes.map((c) => [c.property, c.after])).toContainEqual(["weight", 9]);
    expect((await call("GET", "/api/scorecard")).body).toMatchObject({ version: 2 });

    // Saving the same content again keeps the version and reports no change.
    const again = await call("PUT", "/api/scorecard", { ...next, version: 2 });
    expect(again.body).toMatchObject({ previousVersion: 2, scorecard: { version: 2 }, changes: [] });
  });
});
