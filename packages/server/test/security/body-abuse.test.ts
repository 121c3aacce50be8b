import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { openStorage, type Storage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { type RunningServer, startServer } from "../../src/serve";

/**
 * Oversized and deeply nested bodies (issue 16 §7), extending ../body-limits.test.ts: 300 MB chunked
 * uploads to an /api JSON route and to /api/import are refused without the server's memory growing,
 * and a 100,000-deep JSON array is a 400 on JSON routes, the import and the tracking API.
 */
const WS = "default";
const CHUNK = 64 * 1024;
const MB = 1024 * 1024;
const config = { reportingCurrency: "USD", grossMargin: 1 };
let dir: string;
let storage: Storage;
let app: ReturnType<typeof createApp>;
let server: RunningServer;
let key: string;
let readKey: string;
let writeKey: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "tenure-abuse-"));
  storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
  key = (await storage.apiKeys.create(WS, { name: "admin", kind: "admin" })).key;
  readKey = (await storage.apiKeys.create(WS, { name: "read", kind: "read" })).key;
  writeKey = (await storage.apiKeys.create(WS, { name: "w", kind: "write" })).key;
  const deps = { storage, config, today: () => "2026-11-15" };
  app = createApp(deps);
  server = await startServer(deps, { port: 0, host: "127.0.0.1", threads: false });
});

afterAll(async () => {
  await server.close();
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Streams up to 300 MB chunked (no Content-Length) until the server answers; what was sent by then. */
function upload(
  target: string,
  headers: Record<string, string>,
): Promise<{ status: number; sentWhenAnswered: number; rssGrowth: number }> {
  const rssBefore = process.memoryUsage().rss;
  let rssPeak = rssBefore;
  return new Promise((resolve, reject) => {
    let sent = 0;
    let answered = false;
    const req = http.request(
      { host: "127.0.0.1", port: server.port, path: target, method: "POST", headers },
      (res) => {
        answered = true;
        res.resume();
        resolve({ status: res.statusCode ?? 0, sentWhenAnswered: sent, rssGrowth: rssPeak - rssBefore });
        req.destroy();
      },
    );
    req.on("error", (error) => {
      if (!answered) reject(error);
    });
    const chunk = Buffer.alloc(CHUNK, 0x20);
    const write = () => {
      while (!answered && sent < 300 * MB) {
        sent += chunk.length;
        if (sent % (4 * MB) === 0) rssPeak = Math.max(rssPeak, process.memoryUsage().rss);
        if (!req.write(chunk)) return void req.once("drain", write);
      }
      if (!answered) req.end();
    };
    write();
  });
}

describe("oversized bodies", () => {
  it.each([
    [
      "an /api JSON route",
      "/api/views",
      () => ({ authorization: `Bearer ${key}`, "content-type": "application/json" }),
      413,
    ],
    ["/api/import without a key", "/api/import/accounts", () => ({ "content-type": "text/csv" }), 401],
    [
      "/api/import with a read key",
      "/api/import/accounts",
      () => ({ authorization: `Bearer ${readKey}`, "content-type": "text/csv" }),
      403,
    ],
    ["/v1/batch", "/v1/batch", () => ({ "content-type": "application/json" }), 413],
  ])(
    "should refuse a 300 MB chunked upload to %s long before it is sent, the server's memory staying small",
    async (_name, target, headers, status) => {
      const result = await upload(target, headers());
      expect(result.status).toBe(status);
      // Socket buffers hold a few MB; the limits are 1 MB (JSON) and 500 KB (tracking).
      expect(result.sentWhenAnswered).toBeLessThan(32 * MB);
      expect(result.rssGrowth, `RSS grew ${Math.round(result.rssGrowth / MB)} MB`).toBeLessThan(64 * MB);
      console.log(
        `oversized body to ${target}: ${status} after ${Math.round(result.sentWhenAnswered / MB)} MB sent, RSS +${Math.round(result.rssGrowth / MB)} MB`,
      );
    },
  );
});

describe("deeply nested bodies", () => {
  const deep = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
  const deepObject = (n: number) => `${'{"a":'.repeat(n)}1${"}".repeat(n)}`;

  it("should answer 400 naming the nesting when a JSON route gets a 100,000-deep array or object", async () => {
    for (const body of [deep(100_000), deepObject(100_000), `{"name":"v","filters":${deep(100_000)}}`]) {
      for (const url of ["/api/views", "/api/scorecard/preview", "/api/automations/dry-run", "/api/tasks"]) {
        const res = await app.request(url, {
          method: "POST",
          headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
          body,
        });
        const text = await res.text();
        expect(res.status, `${url} → ${text.slice(0, 200)}`).toBe(400);
        // Refused with a message naming the field or the nesting (a route may drop an unknown deep key first).
        expect(JSON.parse(text).error.code, url).toBe("validation");
      }
    }
  });

  it("should answer 400 when the import gets a 100,000-deep JSON file, and write nothing", async () => {
    for (const body of [
      deep(100_000),
      `[{"id":"a","name":${deep(100_000)}}]`,
      `{"id":"a","name":${deepObject(100_000)}}\n`,
    ]) {
      const res = await app.request("/api/import/accounts?format=json", {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
        body,
      });
      const text = await res.text();
      expect([400, 422], text.slice(0, 300)).toContain(res.status);
    }
    expect(await storage.accounts.count(WS)).toBe(0);
  });

  it("should answer 400 when a tracking call is 100,000 levels deep", async () => {
    const auth = `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}`;
    // Arrays: 200 KB, under the 500 KB limit, so the nesting is what is refused.
    for (const [url, body] of [
      ["/v1/track", `{"userId":"u","event":"E","properties":{"p":${deep(100_000)}}}`],
      ["/v1/batch", `{"batch":${deep(100_000)}}`],
      ["/v1/track", deep(100_000)],
    ] as const) {
      const res = await app.request(url, {
        method: "POST",
        headers: { authorization: auth, "content-type": "application/json" },
        body,
      });
      const text = await res.text();
      expect(res.status, `${url} → ${text.slice(0, 200)}`).toBe(400);
    }
  });
});
