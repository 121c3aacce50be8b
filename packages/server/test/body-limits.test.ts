import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { MAX_BATCH_BYTES } from "@tenure/services";
import { openStorage, type Storage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp, JSON_BODY_LIMIT } from "../src/app";
import { type RunningServer, startServer } from "../src/serve";

const WS = "default";
const CHUNK = 64 * 1024;
const config = { reportingCurrency: "USD", grossMargin: 1 };
let dir: string;
let storage: Storage;
let app: ReturnType<typeof createApp>;
let key: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "tenure-limits-"));
  storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
  key = (await storage.apiKeys.create(WS, { name: "admin", kind: "admin" })).key;
  app = createApp({ storage, config, today: () => "2026-11-15" });
});

afterAll(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

/** An endless chunked body of JSON-ish bytes that counts what the server pulled from it. */
function endlessBody() {
  const counter = { pulled: 0 };
  const stream = new ReadableStream<Uint8Array>(
    {
      pull(controller) {
        counter.pulled += CHUNK;
        controller.enqueue(new Uint8Array(CHUNK).fill(0x20));
      },
    },
    { highWaterMark: 0 },
  );
  return { stream, counter };
}

const post = (url: string, body: ReadableStream<Uint8Array>, headers: Record<string, string> = {}) =>
  app.request(url, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
    duplex: "half",
  } as RequestInit);

describe("body limits enforced while streaming (issue 14 §7)", () => {
  it("should answer 413 and stop reading when /v1/batch gets a chunked body over 500 KB without a key", async () => {
    const { stream, counter } = endlessBody();
    const res = await post("/v1/batch", stream);
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain("500 KB");
    // Read up to the limit and at most one chunk past it: never the whole (endless) body.
    expect(counter.pulled).toBeGreaterThan(MAX_BATCH_BYTES);
    expect(counter.pulled).toBeLessThanOrEqual(MAX_BATCH_BYTES + 2 * CHUNK);
  });

  it("should answer 413 at 1 MB and stop reading when a JSON route gets an endless chunked body", async () => {
    const { stream, counter } = endlessBody();
    const res = await post("/api/views", stream, { authorization: `Bearer ${key}` });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: { message: string } }).error.message).toContain("1 MB");
    expect(counter.pulled).toBeLessThanOrEqual(JSON_BODY_LIMIT + 2 * CHUNK);
  });

  it("should not read a chunked body at all when the /api request has no valid key", async () => {
    const { stream, counter } = endlessBody();
    const res = await post("/api/views", stream, { authorization: "Bearer nope" });
    expect(res.status).toBe(401);
    expect(counter.pulled).toBe(0);
  });

  it("should not read a tracking body at all when its header write key is unknown", async () => {
    const { stream, counter } = endlessBody();
    const res = await post("/v1/batch", stream, {
      authorization: `Basic ${Buffer.from("tk_unknown:").toString("base64")}`,
    });
    expect(res.status).toBe(401);
    expect(counter.pulled).toBe(0);
  });

  it("should answer 413 before auth when the declared Content-Length is over the limit", async () => {
    const { stream, counter } = endlessBody();
    const res = await post("/v1/batch", stream, { "content-length": String(MAX_BATCH_BYTES + 1) });
    expect(res.status).toBe(413);
    expect(counter.pulled).toBe(0);
  });

  it("should answer a 300 MB chunked /v1/batch upload over a real socket with 413 long before it is sent (was read whole: RSS 0.4 → 1.06 GB)", async () => {
    const server: RunningServer = await startServer(
      { storage, config, today: () => "2026-11-15" },
      { port: 0, host: "127.0.0.1", threads: false },
    );
    try {
      const result = await new Promise<{ status: number; sentWhenAnswered: number }>((resolve, reject) => {
        let sent = 0;
        let answered = false;
        const req = http.request(
          { host: "127.0.0.1", port: server.port, path: "/v1/batch", method: "POST" },
          (res) => {
            answered = true;
            res.resume();
            resolve({ status: res.statusCode ?? 0, sentWhenAnswered: sent });
            req.destroy();
          },
        );
        req.on("error", (error) => {
          if (!answered) reject(error);
        });
        req.setHeader("content-type", "application/json");
        // No Content-Length: Node sends the body chunked.
        const chunk = Buffer.alloc(CHUNK, 0x20);
        const write = () => {
          while (!answered && sent < 300 * 1024 * 1024) {
            sent += chunk.length;
            if (!req.write(chunk)) return void req.once("drain", write);
          }
          if (!answered) req.end();
        };
        write();
      });
      expect(result.status).toBe(413);
      // Socket buffers hold a few MB at most; the old server read all 300 MB before answering.
      expect(result.sentWhenAnswered).toBeLessThan(32 * 1024 * 1024);
    } finally {
      await server.close();
    }
  });
});
