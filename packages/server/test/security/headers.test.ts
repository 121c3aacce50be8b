import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openStorage, type Storage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import type { OpenApiDocument } from "../support/openapi-arbitraries";
import { operationsOf } from "./support";

/**
 * Security headers on EVERY response (issue 16 §7): each operation of the OpenAPI document (with and
 * without a key, so 2xx and 401), unknown routes and methods, 413 and 415, a 500, the tracking API,
 * the docs, the web app's page and its static files.
 */
const WS = "default";
const config = { reportingCurrency: "USD", grossMargin: 1 };
let dir: string;
let storage: Storage;
let app: ReturnType<typeof createApp>;
let key: string;
let writeKey: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "tenure-sec-headers-"));
  storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
  key = (await storage.apiKeys.create(WS, { name: "admin", kind: "admin" })).key;
  writeKey = (await storage.apiKeys.create(WS, { name: "w", kind: "write" })).key;
  const web = path.join(dir, "web");
  mkdirSync(path.join(web, "assets"), { recursive: true });
  writeFileSync(
    path.join(web, "index.html"),
    '<!doctype html><title>Tenure</title><script src="/assets/a.js"></script>',
  );
  writeFileSync(path.join(web, "assets", "a.js"), "console.log(1)");
  writeFileSync(path.join(web, "assets", "a.css"), "body{}");
  writeFileSync(path.join(web, "favicon.svg"), "<svg xmlns='http://www.w3.org/2000/svg'/>");
  app = createApp({ storage, config, today: () => "2026-11-15", webRoot: web });
});

afterAll(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

/** What every answer must carry, whatever its status or type. */
function expectSecurityHeaders(res: Response, where: string) {
  const csp = res.headers.get("content-security-policy") ?? "";
  expect(csp, where).toContain("default-src 'self'");
  expect(csp, where).toContain("frame-ancestors 'none'");
  expect(csp, where).toContain("object-src 'none'");
  expect(csp, where).toContain("base-uri 'self'");
  const scripts = /script-src ([^;]*)/.exec(csp)?.[1] ?? "";
  expect(scripts, where).toBe("'self'");
  expect(res.headers.get("x-content-type-options"), where).toBe("nosniff");
  expect(res.headers.get("x-frame-options"), where).toBe("DENY");
  expect(res.headers.get("referrer-policy"), where).toBe("no-referrer");
  expect(res.headers.get("cross-origin-opener-policy"), where).toBe("same-origin");
}

describe("security headers on every response", () => {
  it("should carry the security headers on every operation of the OpenAPI document, with and without a key", async () => {
    const doc = (await (await app.request("/api/openapi.json")).json()) as OpenApiDocument;
    const ops = operationsOf(doc);
    const statuses = new Map<number, number>();
    for (const { path: p, method, op } of ops) {
      const url = `/api${p.replace(/\{\w+\}/g, "x")}`;
      const body = op.requestBody?.content["application/json"] ? "{}" : undefined;
      const auths: Record<string, string>[] = [{ authorization: `Bearer ${key}` }, {}];
      for (const auth of auths) {
        const res = await app.request(url, {
          method: method.toUpperCase(),
          headers: { ...auth, ...(body ? { "content-type": "application/json" } : {}) },
          body,
        });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
        expectSecurityHeaders(res, `${method.toUpperCase()} ${url} (${res.status})`);
      }
    }
    console.log(
      `security headers: ${ops.length} operations × 2 (with and without a key); statuses ${JSON.stringify(Object.fromEntries(statuses))}`,
    );
    expect([...statuses.keys()]).toEqual(expect.arrayContaining([200, 400, 401, 404]));
  });

  it("should carry them on static files, the web app, the docs, tracking calls and every error status", async () => {
    const basic = `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}`;
    const cases: [string, RequestInit, number][] = [
      ["/", {}, 200],
      ["/accounts/acc_1", {}, 200],
      ["/assets/a.js", {}, 200],
      ["/assets/a.css", {}, 200],
      ["/favicon.svg", {}, 200],
      ["/assets/missing.js", {}, 200],
      ["/api/docs", {}, 200],
      ["/api/docs/swagger-ui-bundle.js", {}, 200],
      ["/api/docs/nope", {}, 404],
      ["/api/openapi.json", {}, 200],
      ["/api/nope", { headers: { authorization: `Bearer ${key}` } }, 404],
      ["/api/accounts", { method: "DELETE", headers: { authorization: `Bearer ${key}` } }, 404],
      [
        "/api/views",
        {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "text/plain" },
          body: "x",
        },
        415,
      ],
      [
        "/api/views",
        { method: "POST", headers: { authorization: `Bearer ${key}`, "content-length": String(2 ** 21) } },
        413,
      ],
      [
        "/api/views",
        {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body: "{",
        },
        400,
      ],
      ["/api/accounts", { headers: { authorization: `Bearer ${writeKey}` } }, 403],
      [
        "/v1/track",
        {
          method: "POST",
          headers: { authorization: basic, "content-type": "application/json" },
          body: JSON.stringify({ userId: "u", event: "E" }),
        },
        200,
      ],
      ["/v1/track", { method: "POST", headers: { "content-type": "application/json" }, body: "{}" }, 401],
      ["/v1/batch", {}, 405],
      ["/v1/nope", { method: "POST" }, 404],
      ["/v1/batch", { method: "POST", headers: { "content-length": String(2 ** 20) } }, 413],
    ];
    for (const [url, init, status] of cases) {
      const res = await app.request(url, init);
      const where = `${init.method ?? "GET"} ${url} (${res.status})`;
      if (url !== "/assets/missing.js") expect(res.status, where).toBe(status);
      expectSecurityHeaders(res, where);
    }
  });

  it("should carry them on a 500", async () => {
    const broken = await openStorage({ sqliteFile: path.join(dir, "broken.db") });
    const brokenKey = (await broken.apiKeys.create(WS, { name: "a", kind: "admin" })).key;
    const failing = createApp({ storage: broken, config, today: () => "2026-11-15" });
    // A storage failing under a signed-in request: the key check passes, then reading the workspace fails.
    broken.workspaces.get = () => Promise.reject(new Error("disk on fire"));
    const res = await failing.request("/api/me", { headers: { authorization: `Bearer ${brokenKey}` } });
    expect(res.status).toBe(500);
    expect(await res.text()).not.toContain("disk on fire");
    expectSecurityHeaders(res, "GET /api/me (500)");
    await broken.close();
  });
});
