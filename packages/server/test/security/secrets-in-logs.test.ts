import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openStorage, type Storage } from "@tenure/storage";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runLogFile } from "../../../../tests/setup/run-logs";
import { createLogger } from "../../src/logger";
import { type RunningServer, startServer } from "../../src/serve";

/**
 * Keys, passwords, cookies and tokens never in logs (issue 16 §7): a real server logging to a file at
 * debug, every way a secret reaches it (headers, cookie, sign-in bodies, tracking keys, a query, an
 * error quoting a key and a database URL), then the file is searched for each secret.
 */
const WS = "default";
const PASSWORD = "Correct-Horse-Battery-Staple-42";
const TOKEN = "reset-token-9f8e7d6c5b4a";
const DB_PASSWORD = "pg-secret-pass-777";
let dir: string;
let logFile: string;
let storage: Storage;
let server: RunningServer;
let adminKey: string;
let readKey: string;
let writeKey: string;
let base: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "tenure-logs-"));
  // Into the run's logs when under vitest, so the global teardown searches this file too.
  logFile = runLogFile("secrets-in-logs") ?? path.join(dir, "server.log");
  storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
  adminKey = (await storage.apiKeys.create(WS, { name: "admin", kind: "admin" })).key;
  readKey = (await storage.apiKeys.create(WS, { name: "read", kind: "read" })).key;
  writeKey = (await storage.apiKeys.create(WS, { name: "w", kind: "write" })).key;
  const logger = createLogger({ level: "debug" }, pino.destination({ dest: logFile, sync: true }));
  server = await startServer(
    {
      storage,
      config: { reportingCurrency: "USD", grossMargin: 1 },
      today: () => "2026-11-15",
      logger,
      demo: true,
    },
    { port: 0, host: "127.0.0.1", threads: false },
  );
  base = `http://127.0.0.1:${server.port}`;
});

afterAll(async () => {
  await server.close();
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

const json = (body: unknown, headers: Record<string, string> = {}) => ({
  method: "POST",
  headers: { "content-type": "application/json", ...headers },
  body: JSON.stringify(body),
});

describe("secrets never in logs", () => {
  it("should log every request and no key, password, cookie or token when a server is used every way one reaches it", async () => {
    const basic = Buffer.from(`${writeKey}:`).toString("base64");
    const requests: [string, RequestInit][] = [
      ["/api/accounts", { headers: { authorization: `Bearer ${adminKey}` } }],
      ["/api/accounts", { headers: { cookie: `tenure_session=${readKey}` } }],
      ["/api/accounts", { headers: { authorization: `Bearer ${adminKey}x` } }],
      [`/api/accounts?key=${adminKey}&token=${TOKEN}`, {}],
      ["/api/auth/login", json({ key: adminKey })],
      ["/api/auth/login", json({ key: `${readKey}nope` })],
      ["/api/auth/sign-in/email", json({ email: "ana@example.com", password: PASSWORD })],
      ["/api/auth/demo", json({})],
      ["/api/auth/sign-up/email", json({ email: "bo@example.com", password: PASSWORD, name: "Bo" })],
      ["/api/auth/reset-password", json({ token: TOKEN, newPassword: PASSWORD })],
      ["/api/keys", json({ name: "ci", kind: "read" }, { authorization: `Bearer ${adminKey}` })],
      ["/api/views", json({ name: PASSWORD, password: PASSWORD }, { authorization: `Bearer ${adminKey}` })],
      ["/v1/track", json({ userId: "u1", event: "E" }, { authorization: `Basic ${basic}` })],
      ["/v1/track", json({ writeKey, userId: "u2", event: "E" })],
      ["/v1/batch", json({ writeKey: `${writeKey}zz`, batch: [] })],
    ];
    for (const [url, init] of requests) {
      const res = await fetch(`${base}${url}`, init);
      await res.arrayBuffer();
    }
    // A failure whose error quotes a key and a database URL (as a driver's message may).
    storage.workspaces.get = () =>
      Promise.reject(
        new Error(`connect failed for postgres://tenure:${DB_PASSWORD}@db:5432/t while checking ${adminKey}`),
      );
    const failed = await fetch(`${base}/api/me`, { headers: { authorization: `Bearer ${adminKey}` } });
    expect(failed.status).toBe(500);
    // A caller logging a whole request-like object: the redact paths catch it by field name.
    const logger = createLogger(
      { level: "debug" },
      pino.destination({ dest: logFile, sync: true, append: true }),
    );
    logger.info(
      {
        req: { headers: { authorization: `Bearer ${adminKey}`, cookie: `tenure_session=${readKey}` } },
        body: { password: PASSWORD, token: TOKEN },
        res: { headers: { "set-cookie": `tenure_session=${adminKey}` } },
      },
      "a careless line",
    );

    const log = readFileSync(logFile, "utf8");
    const lines = log.trim().split("\n");
    expect(lines.filter((l) => l.includes('"msg":"request"')).length).toBeGreaterThanOrEqual(requests.length);
    expect(log).toContain("request failed");
    expect(log).toContain("[redacted]");
    // The failure was logged, with the key and the URL password scrubbed from its text.
    expect(log).toContain("tk_[redacted]");
    expect(log).toContain("postgres://tenure:[redacted]@db");
    const secrets = {
      adminKey,
      readKey,
      writeKey,
      basic,
      PASSWORD,
      TOKEN,
      DB_PASSWORD,
      keyBody: adminKey.slice(3),
    };
    for (const [name, secret] of Object.entries(secrets)) {
      expect(log.includes(secret), `${name} is in the log`).toBe(false);
    }
    // Not even the name of a session cookie's value or an auth header.
    expect(log).not.toMatch(/tenure_session=/);
    console.log(
      `secrets in logs: ${lines.length} log lines searched for ${Object.keys(secrets).length} secrets`,
    );
  });
});
