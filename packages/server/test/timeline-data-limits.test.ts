import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openStorage, type Storage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";

const WS = "default";
let dir: string;
let storage: Storage;
let app: ReturnType<typeof createApp>;
let key: string;
const ACCOUNT = "acc_timeline_1";

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "tenure-timeline-"));
  storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
  key = (await storage.apiKeys.create(WS, { name: "admin", kind: "admin" })).key;
  app = createApp({
    storage,
    config: { reportingCurrency: "USD", grossMargin: 1 },
    today: () => "2026-11-15",
  });
  const imported = await app.request("/api/import/accounts", {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "text/csv" },
    body: `id,name\n${ACCOUNT},Timeline Test\n`,
  });
  expect(imported.status).toBe(200);
});

afterAll(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Posts raw JSON text (so depth and size are exactly what a client could send). */
const postEntry = async (json: string) => {
  const res = await app.request(`/api/accounts/${ACCOUNT}/timeline`, {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
    body: json,
  });
  return { status: res.status, body: (await res.json()) as { error?: { message: string } } };
};
const entries = async () => {
  const res = await app.request(`/api/accounts/${ACCOUNT}/timeline?limit=1000`, {
    headers: { authorization: `Bearer ${key}` },
  });
  return ((await res.json()) as { entries: unknown[] }).entries.length;
};
/** `{"v":{"v":...1...}}`: `levels` objects inside one another. */
const nested = (levels: number) => `${'{"v":'.repeat(levels - 1)}{"v":1}${"}".repeat(levels - 1)}`;

describe("timeline data limits (issue 14 §7: timeline data has no size or depth limit)", () => {
  it("should store a note whose data is 10 levels deep and under 64 KB", async () => {
    const before = await entries();
    const ok = await postEntry(`{"type":"note","title":"ok","data":${nested(10)}}`);
    expect(ok.status).toBe(201);
    expect(await entries()).toBe(before + 1);
  });

  it("should answer 400 naming data when it is nested 11 levels deep", async () => {
    const r = await postEntry(`{"type":"observation","title":"deep","data":${nested(11)}}`);
    expect(r.status).toBe(400);
    expect(r.body.error?.message).toBe("Invalid json: data: must not be nested deeper than 10 levels");
  });

  it("should answer 400, not 500, when data is 50,000 levels deep", async () => {
    const before = await entries();
    const r = await postEntry(`{"type":"note","title":"very deep","data":${nested(50_000)}}`);
    expect(r.status).toBe(400);
    expect(r.body.error?.message).toContain("data: must not be nested deeper than 10 levels");
    expect(await entries()).toBe(before);
  });

  it("should answer 400 naming data and the size when data is over 64 KB", async () => {
    const before = await entries();
    const big = JSON.stringify({ type: "note", title: "big", data: { notes: "x".repeat(70 * 1024) } });
    const r = await postEntry(big);
    expect(r.status).toBe(400);
    expect(r.body.error?.message).toBe("Invalid json: data: must be at most 64 KB as JSON (got 71 KB)");
    expect(await entries()).toBe(before);
  });
});
