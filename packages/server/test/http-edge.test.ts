import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openStorage, type Storage } from "@tenure/storage";
import pino from "pino";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";

const WS = "default";
let dir: string;
let storage: Storage;
let app: ReturnType<typeof createApp>;
let key: string;
/** Every line the server logged, to prove client errors log no stack. */
const logged: string[] = [];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "tenure-edge-"));
  storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
  key = (await storage.apiKeys.create(WS, { name: "admin", kind: "admin" })).key;
  // A built web app, so a fall-through to it would show as HTML with 200.
  const web = path.join(dir, "web");
  mkdirSync(web);
  writeFileSync(path.join(web, "index.html"), "<!doctype html><title>Tenure</title>");
  const logger = pino({ level: "info" }, { write: (line: string) => void logged.push(line) });
  app = createApp({
    storage,
    config: { reportingCurrency: "USD", grossMargin: 1 },
    today: () => "2026-11-15",
    logger,
    webRoot: web,
  });
});

afterAll(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

const send = async (
  method: string,
  url: string,
  init: { body?: BodyInit; type?: string; auth?: boolean } = {},
) => {
  const headers: Record<string, string> = {};
  if (init.auth !== false) headers.authorization = `Bearer ${key}`;
  if (init.type !== undefined) headers["content-type"] = init.type;
  const res = await app.request(url, { method, headers, body: init.body });
  const text = await res.text();
  return { status: res.status, type: res.headers.get("content-type") ?? "", text, res };
};
const errorOf = (text: string) => (JSON.parse(text) as { error: { code: string; message: string } }).error;
const errorsLogged = () => logged.filter((l) => (JSON.parse(l) as { level: number }).level >= 50);

describe("malformed JSON and wrong content types (issue 14 §7)", () => {
  it("should answer 400 with a message and log no stack when the JSON is malformed (was 500 with a logged stack)", async () => {
    const before = errorsLogged().length;
    for (const [method, url] of [
      ["POST", "/api/views"],
      ["PUT", "/api/scorecard"],
      ["POST", "/api/signal-rules"],
      ["POST", "/api/invitations/lookup"],
    ] as const) {
      const r = await send(method, url, { body: '{"name": "x",', type: "application/json" });
      expect(r.status, `${method} ${url}`).toBe(400);
      expect(r.type).toContain("application/json");
      expect(errorOf(r.text).message).toMatch(/JSON/);
    }
    expect(errorsLogged().length).toBe(before);
  });

  it("should answer 415 naming the expected type when a JSON route gets another content type", async () => {
    const before = errorsLogged().length;
    const csv = await send("POST", "/api/views", { body: "name,filters\nx,y", type: "text/csv" });
    expect(csv.status).toBe(415);
    expect(errorOf(csv.text).message).toContain("application/json");
    expect(errorOf(csv.text).message).toContain("text/csv");
    const form = await send("PUT", "/api/scorecard", {
      body: "a=1",
      type: "application/x-www-form-urlencoded",
    });
    expect(form.status).toBe(415);
    // A JSON body with a vendor +json type is still JSON.
    const vendor = await send("POST", "/api/views", {
      body: JSON.stringify({ name: "mine", filters: {} }),
      type: "application/vnd.tenure+json; charset=utf-8",
    });
    expect(vendor.status).toBe(201);
    expect(errorsLogged().length).toBe(before);
  });

  it("should still take CSV on the import route when the content type is text/csv", async () => {
    const r = await send("POST", "/api/import/accounts", {
      body: "id,name\nacc_edge_1,Edge One\n",
      type: "text/csv",
    });
    expect(r.status).toBe(200);
  });
});

describe("unknown routes and methods answer JSON (issue 14 §7)", () => {
  it("should answer a JSON 404 when an /api route does not exist (was plain text)", async () => {
    for (const method of ["GET", "POST", "DELETE"]) {
      const r = await send(method, "/api/no-such-route");
      expect(r.status, method).toBe(404);
      expect(r.type).toContain("application/json");
      expect(errorOf(r.text)).toEqual({
        code: "not_found",
        message: `No route ${method} /api/no-such-route`,
      });
    }
  });

  it("should answer GET /v1/batch with a JSON 405 (was the web app's HTML with 200)", async () => {
    for (const method of ["GET", "PUT", "DELETE"]) {
      const r = await send(method, "/v1/batch", { auth: false });
      expect(r.status, method).toBe(405);
      expect(r.type).toContain("application/json");
      expect(r.res.headers.get("allow")).toBe("POST");
      expect(errorOf(r.text).message).toContain("POST");
    }
    const unknown = await send("GET", "/v1/nope", { auth: false });
    expect(unknown.status).toBe(404);
    expect(unknown.type).toContain("application/json");
    const deep = await send("POST", "/v1/batch/extra", { auth: false });
    expect(deep.status).toBe(404);
    expect(deep.type).toContain("application/json");
    // The web app still answers its own client-side routes.
    const page = await send("GET", "/accounts/acc_1", { auth: false });
    expect(page.status).toBe(200);
    expect(page.type).toContain("text/html");
  });
});
