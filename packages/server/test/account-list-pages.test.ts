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
  dir = mkdtempSync(path.join(tmpdir(), "tenure-list-pages-"));
  storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
  await seedDemo(storage, { workspaceId: WS, accounts: 50, seed: 9, asOf: TODAY });
  key = (await storage.apiKeys.create(WS, { name: "admin", kind: "admin" })).key;
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

describe("GET /api/accounts pages from the stored rows", () => {
  it("should walk every account once by cursor, in the order of one large page", async () => {
    const whole = await get("/api/accounts?sort=arr&order=desc&limit=5000");
    expect(whole.status).toBe(200);
    expect(whole.body.nextCursor).toBeNull();
    const expected = (whole.body.accounts as Json[]).map((r) => r.id);
    expect(expected).toHaveLength(50);
    const seen: unknown[] = [];
    let url = "/api/accounts?sort=arr&order=desc&limit=8";
    for (;;) {
      const page = await get(url);
      expect(page.status).toBe(200);
      expect(page.body.total).toBe(50);
      seen.push(...(page.body.accounts as Json[]).map((r) => r.id));
      const next = page.body.nextCursor;
      if (next === null) break;
      url = `/api/accounts?sort=arr&order=desc&limit=8&cursor=${encodeURIComponent(String(next))}`;
    }
    expect(seen).toEqual(expected);
  });

  it("should answer 400 naming the cursor when it belongs to another sort or is not one", async () => {
    const first = await get("/api/accounts?sort=score&limit=3");
    const cursor = encodeURIComponent(String(first.body.nextCursor));
    const other = await get(`/api/accounts?sort=name&limit=3&cursor=${cursor}`);
    expect(other.status).toBe(400);
    expect(JSON.stringify(other.body)).toContain("cursor: it continues the list sorted by score desc");
    const bad = await get("/api/accounts?cursor=abc");
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("cursor:");
  });

  it("should see a stage set by hand in the list at once", async () => {
    const id = String(((await get("/api/accounts?limit=1")).body.accounts as Json[])[0]?.id);
    const res = await app.request(`/api/accounts/${encodeURIComponent(id)}/stage`, {
      method: "PUT",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ stage: "advocacy" }),
    });
    expect(res.status).toBe(200);
    const listed = await get("/api/accounts?stage=ADVOCACY&limit=5000");
    expect((listed.body.accounts as Json[]).map((r) => r.id)).toContain(id);
  });
});
