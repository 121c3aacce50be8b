import { openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createApp } from "../src/app";

const WS = "default";
type Json = Record<string, unknown>;

describe.each(testDialects())("API keys and the audit log over HTTP on %s", (dialect) => {
  let t: TestStorage;
  let app: ReturnType<typeof createApp>;
  let admin: string;
  let read: string;

  beforeAll(async () => {
    t = await openTestStorage(dialect);
    await t.storage.workspaces.ensure(WS, "Default");
    admin = (await t.storage.apiKeys.create(WS, { name: "ops admin", scope: "admin" })).key;
    read = (await t.storage.apiKeys.create(WS, { name: "reader", scope: "read" })).key;
    app = createApp({ storage: t.storage, config: { reportingCurrency: "USD", grossMargin: 1 } });
  });
  afterAll(async () => {
    await t.cleanup();
  });

  const call = async (method: string, url: string, body?: unknown, key = admin) => {
    const res = await app.request(url, {
      method,
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    const type = res.headers.get("content-type") ?? "";
    return {
      res,
      status: res.status,
      body: (type.includes("application/json") && text ? JSON.parse(text) : text) as Json,
    };
  };

  it("should show a new key once and list it without the key when created by an admin", async () => {
    const created = await call("POST", "/api/keys", { scope: "read", name: "bi tool" });
    expect(created.status).toBe(201);
    const { key, info } = created.body as { key: string; info: Json };
    expect(key).toMatch(/^tk_/);
    expect(info).toMatchObject({ name: "bi tool", scope: "read", teamId: null, lastUsedAt: null });
    const listed = await call("GET", "/api/keys");
    expect(JSON.stringify(listed.body)).not.toContain(key);
    expect((listed.body.keys as Json[]).map((k) => k.name)).toContain("bi tool");
    // The new key works, as a read key.
    expect((await call("GET", "/api/keys", undefined, key)).status).toBe(403);
    expect((await call("GET", "/api/audit", undefined, key)).status).toBe(403);
  });

  it("should refuse key management to a read key and a team that does not exist when asked", async () => {
    expect((await call("POST", "/api/keys", { scope: "admin" }, read)).status).toBe(403);
    const noTeam = await call("POST", "/api/keys", { scope: "read", teamId: "nope" });
    expect(noTeam.status).toBe(400);
    expect(JSON.stringify(noTeam.body)).toContain("team");
    const badScope = await call("POST", "/api/keys", { scope: "write-all" });
    expect(badScope.status).toBe(400);
    expect(JSON.stringify(badScope.body)).toContain("scope");
  });

  it("should keep the old key working during the overlap and refuse it after a rotation without one", async () => {
    const a = (await call("POST", "/api/keys", { scope: "admin", name: "ci" })).body as {
      key: string;
      info: Json;
    };
    const r1 = await call("POST", `/api/keys/${a.info.id}/rotate`, { overlap: "1h" });
    expect(r1.status).toBe(201);
    const r1Key = (r1.body as { key: string }).key;
    expect((await call("GET", "/api/keys", undefined, a.key)).status).toBe(200);
    expect((await call("GET", "/api/keys", undefined, r1Key)).status).toBe(200);
    const r2 = await call("POST", `/api/keys/${(r1.body.info as Json).id}/rotate`, { overlap: "0" });
    expect(r2.status).toBe(201);
    expect((await call("GET", "/api/keys", undefined, r1Key)).status).toBe(401);
    expect((await call("POST", "/api/keys/no-such/rotate", {})).status).toBe(404);
    expect((await call("POST", `/api/keys/${a.info.id}/rotate`, { overlap: "forever" })).status).toBe(400);
  });

  it("should revoke a key at once and answer 404 for an unknown id", async () => {
    const a = (await call("POST", "/api/keys", { scope: "read" })).body as { key: string; info: Json };
    const revoked = await call("DELETE", `/api/keys/${a.info.id}`);
    expect(revoked.status).toBe(200);
    expect(revoked.body.revokedAt).toEqual(expect.any(String));
    expect((await call("GET", "/api/health", undefined, a.key)).status).toBe(200);
    expect((await call("GET", "/api/keys", undefined, a.key)).status).toBe(401);
    expect((await call("DELETE", "/api/keys/no-such-id")).status).toBe(404);
  });

  it("should refuse a tracking key on /api when used there", async () => {
    const tracking = (await call("POST", "/api/keys", { scope: "tracking" })).body as { key: string };
    expect((await call("GET", "/api/accounts", undefined, tracking.key)).status).toBe(403);
  });

  it("should record who changed what with the request id, and nothing for a refused change", async () => {
    const made = await call("POST", "/api/views", { name: "Big ones", filters: { tier: "enterprise" } });
    expect(made.status).toBe(201);
    const requestId = made.res.headers.get("x-request-id");
    const refused = await call("POST", "/api/views", { name: "", filters: {} });
    expect(refused.status).toBe(400);
    const page = await call("GET", "/api/audit?entityType=saved_view");
    const entries = page.body.entries as Json[];
    expect(entries).toHaveLength(1);
    expect(entries[0]).toMatchObject({
      actor: { type: "key", label: "ops admin" },
      action: "saved_view.create",
      entityId: made.body.id,
      requestId,
      after: expect.objectContaining({ name: "Big ones" }),
    });
    const deleted = await call("DELETE", `/api/views/${made.body.id}`);
    expect(deleted.status).toBe(204);
    const byEntity = await call("GET", `/api/audit?entityId=${made.body.id}`);
    expect((byEntity.body.entries as Json[]).map((e) => e.action)).toEqual([
      "saved_view.delete",
      "saved_view.create",
    ]);
    const rotations = await call("GET", "/api/audit?action=api_key.rotate");
    expect((rotations.body.entries as Json[])[0]).toMatchObject({
      before: expect.objectContaining({ expiresAt: null }),
      after: expect.objectContaining({ expiresAt: expect.any(String) }),
    });
    // Keys created above are in the log too, never with the key itself.
    const keys = await call("GET", "/api/audit?entityType=api_key&limit=2");
    expect((keys.body.entries as Json[]).length).toBe(2);
    expect(keys.body.next).toEqual(expect.any(String));
    expect(JSON.stringify(keys.body)).not.toMatch(/tk_[A-Za-z0-9_-]{20}/);
    expect((await call("GET", "/api/audit?from=2026-13-01")).status).toBe(400);
  });

  it("should answer 400, not 500, when a changed entity's id holds a NUL (fuzz: the audit's before-read failed on PostgreSQL)", async () => {
    const res = await call("PUT", "/api/deliveries/endpoints/%00", {
      name: "x",
      url: "https://example.com/h",
    });
    expect(res.status).toBeLessThan(500);
    const res2 = await call("DELETE", "/api/views/%ED%A0%80");
    expect(res2.status).toBeLessThan(500);
  });

  it("should stream the log as CSV with formula cells neutralised and as JSON lines when exported", async () => {
    await call("POST", "/api/views", { name: '=HYPERLINK("http://x")', filters: {} });
    const csv = await call("GET", "/api/audit/export?format=csv&entityType=saved_view");
    expect(csv.status).toBe(200);
    expect(csv.res.headers.get("content-type")).toContain("text/csv");
    const text = String(csv.body);
    expect(text.split("\r\n")[0]).toBe(
      "at,actor_type,actor_id,actor,action,entity_type,entity_id,ip,request_id,before,after",
    );
    expect(text).not.toMatch(/(^|,)"?=HYPERLINK/m);
    const lines = String((await call("GET", "/api/audit/export?format=jsonl&entityType=saved_view")).body)
      .trim()
      .split("\n");
    expect(lines.length).toBe(3);
    expect(JSON.parse(lines[0] ?? "")).toMatchObject({ action: "saved_view.create" });
    expect((await call("GET", "/api/audit/export?format=csv", undefined, read)).status).toBe(403);
  });
});

describe("rate limits", () => {
  let t: TestStorage;
  let app: ReturnType<typeof createApp>;
  let key: string;
  beforeAll(async () => {
    t = await openTestStorage("sqlite");
    await t.storage.workspaces.ensure(WS, "Default");
    key = (await t.storage.apiKeys.create(WS, { name: "k", scope: "admin" })).key;
    app = createApp({
      storage: t.storage,
      config: { reportingCurrency: "USD", grossMargin: 1 },
      rateLimits: { keyPerMinute: 1, keyBurst: 2, ipPerMinute: 1, ipBurst: 2, trustProxy: true },
    });
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("should answer 429 with Retry-After once a key's bucket is empty", async () => {
    const get = () => app.request("/api/keys", { headers: { authorization: `Bearer ${key}` } });
    const first = await get();
    expect(first.status).toBe(200);
    expect(first.headers.get("x-ratelimit-limit")).toBe("2");
    expect(first.headers.get("x-ratelimit-remaining")).toBe("1");
    expect((await get()).status).toBe(200);
    const third = await get();
    expect(third.status).toBe(429);
    expect(Number(third.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await third.json()) as { error: { code: string } }).error.code).toBe("rate_limited");
  });

  it("should limit unauthenticated calls and wrong keys per IP, apart from other IPs", async () => {
    const from = (ip: string, auth?: string) =>
      app.request("/api/health", {
        headers: { "x-forwarded-for": ip, ...(auth ? { authorization: `Bearer ${auth}` } : {}) },
      });
    expect((await from("203.0.113.5")).status).toBe(200);
    expect((await from("203.0.113.5")).status).toBe(200);
    expect((await from("203.0.113.5")).status).toBe(429);
    expect((await from("203.0.113.6")).status).toBe(200);
    // Guessing keys from one IP: each 401 takes a token, then the IP is refused before checking.
    const guess = () =>
      app.request("/api/accounts", {
        headers: { "x-forwarded-for": "198.51.100.7", authorization: "Bearer tk_guess" },
      });
    expect((await guess()).status).toBe(401);
    expect((await guess()).status).toBe(401);
    expect((await guess()).status).toBe(429);
    // The right key from that IP is refused too while the bucket is empty: a guess cannot tell.
    const right = await app.request("/api/accounts", {
      headers: { "x-forwarded-for": "198.51.100.7", authorization: `Bearer ${key}` },
    });
    expect(right.status).toBe(429);
  });

  it("should read the IP bucket for a credentialed call only when this process took from it lately", async () => {
    const peek = vi.spyOn(t.storage.rateLimits, "peek");
    try {
      const ok = await app.request("/api/health", {
        headers: { "x-forwarded-for": "192.0.2.40", authorization: `Bearer ${key}` },
      });
      expect(ok.status).toBe(200);
      expect(peek).not.toHaveBeenCalled();
      // A wrong key takes a token and marks the IP: its next calls read the bucket first.
      const wrong = await app.request("/api/accounts", {
        headers: { "x-forwarded-for": "192.0.2.40", authorization: "Bearer tk_wrong" },
      });
      expect(wrong.status).toBe(401);
      await app.request("/api/health", {
        headers: { "x-forwarded-for": "192.0.2.40", authorization: `Bearer ${key}` },
      });
      expect(peek).toHaveBeenCalledTimes(1);
    } finally {
      peek.mockRestore();
    }
  });

  it("should refuse an IP drained through another process after one more credential check", async () => {
    const other = createApp({
      storage: t.storage,
      config: { reportingCurrency: "USD", grossMargin: 1 },
      rateLimits: { keyPerMinute: 0, keyBurst: 2, ipPerMinute: 1, ipBurst: 2, trustProxy: true },
    });
    const guess = (a: typeof app) =>
      a.request("/api/accounts", {
        headers: { "x-forwarded-for": "198.51.100.99", authorization: "Bearer tk_guess" },
      });
    expect((await guess(app)).status).toBe(401);
    expect((await guess(app)).status).toBe(401);
    expect((await guess(app)).status).toBe(429);
    // The other process has not taken for this IP: one check (401, which takes), then refused.
    expect((await guess(other)).status).toBe(401);
    expect((await guess(other)).status).toBe(429);
    const right = await other.request("/api/accounts", {
      headers: { "x-forwarded-for": "198.51.100.99", authorization: `Bearer ${key}` },
    });
    expect(right.status).toBe(429);
  });
});
