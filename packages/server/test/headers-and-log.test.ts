import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seedDemoUsers } from "@tenure/services";
import { openStorage, type Storage } from "@tenure/storage";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";

const PASSWORD = "never-logged-password-1";
const INVITE_TOKEN = "tl_never-logged-invite-token";

const WS = "default";
let dir: string;
let storage: Storage;
let app: ReturnType<typeof createApp>;
let adminKey: string;
let writeKey: string;
const logged: Record<string, unknown>[] = [];
const rawLog: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "tenure-headers-"));
  storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
  adminKey = (await storage.apiKeys.create(WS, { name: "admin", kind: "admin" })).key;
  writeKey = (await storage.apiKeys.create(WS, { name: "w", kind: "write" })).key;
  const web = path.join(dir, "web");
  mkdirSync(web);
  writeFileSync(path.join(web, "index.html"), "<!doctype html><title>Tenure</title>");
  // debug, so that accepted tracking calls are logged too and checked for keys.
  const logger = pino(
    { level: "debug" },
    {
      write: (line: string) => {
        rawLog.push(line);
        logged.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  );
  app = createApp({
    storage,
    config: { reportingCurrency: "USD", grossMargin: 1 },
    today: () => "2026-11-15",
    logger,
    webRoot: web,
    demo: true,
  });
  await seedDemoUsers(storage, WS);
});

afterAll(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString("base64")}`;

/** One request of each kind a client can make: page, API, 401, 404, 413, 415, tracking, sign-in. */
const everyKind = (): [string, RequestInit][] => [
  ["/", {}],
  ["/accounts/acc_1", {}],
  ["/api/health", {}],
  ["/api/openapi.json", {}],
  ["/api/accounts", { headers: { authorization: `Bearer ${adminKey}` } }],
  ["/api/accounts", { headers: { cookie: "tenure.session_token=not-a-session" } }],
  [`/invite/${INVITE_TOKEN}`, {}],
  ["/api/accounts", {}],
  ["/api/nope", { headers: { authorization: `Bearer ${adminKey}` } }],
  [
    "/api/views",
    {
      method: "POST",
      headers: { authorization: `Bearer ${adminKey}`, "content-type": "text/plain" },
      body: "x",
    },
  ],
  [
    "/api/views",
    {
      method: "POST",
      headers: { authorization: `Bearer ${adminKey}`, "content-length": String(2 * 1024 * 1024) },
    },
  ],
  [
    "/api/auth/sign-in/email",
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ email: "nobody@example.com", password: PASSWORD }),
    },
  ],
  ["/api/auth/demo", { method: "POST" }],
  [
    "/v1/track",
    {
      method: "POST",
      headers: { authorization: basic(writeKey), "content-type": "application/json" },
      body: JSON.stringify({ userId: "u1", event: "E" }),
    },
  ],
  [
    "/v1/track",
    {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ writeKey, userId: "u2", event: "E" }),
    },
  ],
  ["/v1/batch", {}],
];

describe("security headers on every response (issue 14 §7)", () => {
  it("should send a CSP without inline script, nosniff and frame-ancestors 'none' when answering any request", async () => {
    for (const [url, init] of everyKind()) {
      const res = await app.request(url, init);
      const csp = res.headers.get("content-security-policy") ?? "";
      const where = `${init.method ?? "GET"} ${url} (${res.status})`;
      expect(csp, where).toContain("frame-ancestors 'none'");
      expect(csp, where).toContain("script-src 'self'");
      expect(csp, where).toContain("default-src 'self'");
      expect(csp, where).toContain("object-src 'none'");
      const scripts = /script-src ([^;]*)/.exec(csp)?.[1] ?? "";
      expect(scripts, where).not.toContain("unsafe-inline");
      expect(scripts, where).not.toContain("unsafe-eval");
      expect(res.headers.get("x-content-type-options"), where).toBe("nosniff");
      expect(res.headers.get("x-frame-options"), where).toBe("DENY");
      expect(res.headers.get("referrer-policy"), where).toBe("no-referrer");
      expect(res.headers.get("x-request-id"), where).toMatch(/^[\w-]{8,}$/);
    }
  });
});

describe("request log (issue 14 §7)", () => {
  it("should log one line per request with the id returned in X-Request-Id and never a key or cookie", async () => {
    logged.length = 0;
    rawLog.length = 0;
    const ids: string[] = [];
    for (const [url, init] of everyKind()) {
      const res = await app.request(url, init);
      ids.push(res.headers.get("x-request-id") ?? "");
    }
    const lines = logged.filter((l) => l.msg === "request");
    expect(lines.map((l) => l.reqId)).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    const statuses = lines.map((l) => l.status);
    expect(statuses).toEqual(expect.arrayContaining([200, 401, 404, 405, 413, 415]));
    for (const line of lines) {
      expect(Object.keys(line).sort()).toEqual(
        expect.arrayContaining(["method", "ms", "path", "reqId", "status"]),
      );
    }
    const all = rawLog.join("\n");
    expect(all).not.toContain(adminKey);
    expect(all).not.toContain(PASSWORD);
    expect(all).not.toContain(INVITE_TOKEN);
    expect(all).not.toContain(writeKey);
    expect(all).not.toContain(basic(writeKey).slice(6));
    expect(all.toLowerCase()).not.toContain("authorization");
    expect(all.toLowerCase()).not.toContain("cookie");
  });

  it("should keep a client's X-Request-Id when it is a plain token", async () => {
    const res = await app.request("/api/health", { headers: { "x-request-id": "proxy-abc-123" } });
    expect(res.headers.get("x-request-id")).toBe("proxy-abc-123");
    const odd = await app.request("/api/health", { headers: { "x-request-id": "bad id\u0007" } });
    expect(odd.headers.get("x-request-id")).not.toContain("bad");
  });
});
