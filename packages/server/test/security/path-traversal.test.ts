import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import http from "node:http";
import { tmpdir } from "node:os";
import path from "node:path";
import { openStorage, type Storage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { type RunningServer, startServer } from "../../src/serve";
import type { OpenApiDocument } from "../support/openapi-arbitraries";
import { operationsOf } from "./support";

/**
 * Path traversal (issue 16 §7): the web app's static files, the docs' files, the import kinds, the
 * export tables, file names and every path parameter. A file beside the web root and /etc/passwd
 * must never come back, whatever the encoding; raw paths go over a real socket (in-process requests
 * are normalised by `new URL` before the app sees them).
 */
const WS = "default";
const SECRET = "TOP-SECRET-beside-the-web-root";
const config = { reportingCurrency: "USD", grossMargin: 1 };
let dir: string;
let storage: Storage;
let app: ReturnType<typeof createApp>;
let server: RunningServer;
let key: string;

/** Raw request targets, sent byte for byte. */
const TRAVERSALS = [
  "/../secret.txt",
  "/../../../../../../etc/passwd",
  "/assets/../../secret.txt",
  "/%2e%2e/secret.txt",
  "/%2E%2E/%2E%2E/%2E%2E/%2E%2E/etc/passwd",
  "/..%2fsecret.txt",
  "/assets/..%2f..%2fsecret.txt",
  "/%2e%2e%2fsecret.txt",
  "/assets/%2e%2e%2f%2e%2e%2fsecret.txt",
  "/%252e%252e/secret.txt",
  "/%252e%252e%252fsecret.txt",
  "/..%5csecret.txt",
  "/..\\secret.txt",
  "/assets/..%5c..%5csecret.txt",
  "/%c0%ae%c0%ae/secret.txt",
  "/%c0%af../secret.txt",
  "/..%00/secret.txt",
  "/secret.txt%00.html",
  "//etc/passwd",
  "/%2fetc%2fpasswd",
  "/assets//..//..//secret.txt",
  "/./.././secret.txt",
  "/....//secret.txt",
  "/api/docs/..%2f..%2f..%2fpackage.json",
  "/api/docs/%2e%2e/%2e%2e/package.json",
  "/api/import/..%2f..%2fetc%2fpasswd",
  "/api/export/..%2f..%2fetc%2fpasswd",
  "/api/export/%2e%2e%2f%2e%2e%2fetc%2fpasswd",
  "/v1/..%2f..%2fetc%2fpasswd",
];

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "tenure-traversal-"));
  storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
  key = (await storage.apiKeys.create(WS, { name: "admin", kind: "admin" })).key;
  // The web root is dir/web/dist; secrets sit one and two levels above it.
  const web = path.join(dir, "web", "dist");
  mkdirSync(path.join(web, "assets"), { recursive: true });
  writeFileSync(path.join(web, "index.html"), "<!doctype html><title>Tenure</title>");
  writeFileSync(path.join(web, "assets", "a.js"), "console.log(1)");
  writeFileSync(path.join(dir, "web", "secret.txt"), SECRET);
  writeFileSync(path.join(dir, "secret.txt"), SECRET);
  const deps = { storage, config, today: () => "2026-11-15", webRoot: web };
  app = createApp(deps);
  server = await startServer(deps, { port: 0, host: "127.0.0.1", threads: false });
});

afterAll(async () => {
  await server.close();
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Sends `target` exactly as written (no client normalisation). */
function raw(
  target: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: "127.0.0.1",
        port: server.port,
        path: target,
        method: "GET",
        headers,
        insecureHTTPParser: true,
      },
      (res) => {
        let body = "";
        res.setEncoding("utf8");
        res.on("data", (d: string) => {
          body += d;
        });
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on("error", reject);
    req.end();
  });
}

const leaked = (body: string) =>
  body.includes(SECRET) || /root:.*:0:0:/.test(body) || body.includes('"name": "swagger-ui-dist"');

describe("path traversal", () => {
  it("should never serve a file outside the web root or the docs' files, however the path is encoded", async () => {
    let tried = 0;
    for (const target of TRAVERSALS) {
      const auths: Record<string, string>[] = [{}, { authorization: `Bearer ${key}` }];
      for (const headers of auths) {
        const res = await raw(target, headers);
        tried++;
        expect(leaked(res.body), `${target} → ${res.status} ${res.body.slice(0, 200)}`).toBe(false);
        expect(res.status, target).toBeLessThan(500);
      }
    }
    // The files that are there still come back.
    expect((await raw("/assets/a.js")).body).toBe("console.log(1)");
    console.log(`path traversal: ${tried} raw requests`);
  });

  it("should answer 400 or 404 when an import kind or export table names a path", async () => {
    const auth = { authorization: `Bearer ${key}` };
    for (const name of [
      "../../etc/passwd",
      "..\\..\\secret.txt",
      "/etc/passwd",
      "accounts/../../secret.txt",
      ".",
    ]) {
      const enc = encodeURIComponent(name);
      const imp = await app.request(`/api/import/${enc}`, {
        method: "POST",
        headers: { ...auth, "content-type": "text/csv" },
        body: "id,name\na,b\n",
      });
      expect([400, 404], `import ${name}`).toContain(imp.status);
      const exp = await app.request(`/api/export/${enc}`, { headers: auth });
      expect([400, 404], `export ${name}`).toContain(exp.status);
      expect(leaked(await exp.text())).toBe(false);
    }
  });

  it("should import the body, never a file its fileName names", async () => {
    for (const fileName of ["../../../../etc/passwd", path.join(dir, "secret.txt"), "..%2f..%2fsecret.txt"]) {
      const res = await app.request(`/api/import/accounts?${new URLSearchParams({ fileName })}`, {
        method: "POST",
        headers: { authorization: `Bearer ${key}`, "content-type": "text/csv" },
        body: "id,name\nacc_fn,From the body\n",
      });
      const text = await res.text();
      expect(res.status, text).toBe(200);
      expect(leaked(text)).toBe(false);
    }
    expect((await storage.accounts.get(WS, "acc_fn"))?.name).toBe("From the body");
  });

  it("should never answer a file's content nor 500 when any path parameter of any route holds a traversal", async () => {
    const doc = (await (await app.request("/api/openapi.json")).json()) as OpenApiDocument;
    let tried = 0;
    for (const { path: p, method, op } of operationsOf(doc)) {
      if (!(op.parameters ?? []).some((x) => x.in === "path")) continue;
      for (const value of ["../../../../etc/passwd", "..%2f..%2fsecret.txt", "....//....//etc/passwd"]) {
        const url = `/api${p.replace(/\{\w+\}/g, encodeURIComponent(value))}`;
        const body = op.requestBody?.content["application/json"] ? "{}" : undefined;
        const res = await app.request(url, {
          method: method.toUpperCase(),
          headers: {
            authorization: `Bearer ${key}`,
            ...(body ? { "content-type": "application/json" } : {}),
          },
          body,
        });
        tried++;
        const text = await res.text();
        expect(res.status, `${method} ${url} → ${text.slice(0, 200)}`).toBeLessThan(500);
        expect(leaked(text), `${method} ${url}`).toBe(false);
      }
    }
    console.log(`path traversal: ${tried} path-parameter requests`);
  });
});
