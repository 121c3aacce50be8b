import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openStorage, type Storage } from "@tenure/storage";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { launchChromium, skipBrowserTests } from "../../../../tests/e2e/support/chromium";
import { createApp } from "../../src/app";
import { type RunningServer, startServer } from "../../src/serve";

/** Interactive API docs at /api/docs (issue 16 §6): self-hosted Swagger UI under the strict CSP. */
const WS = "default";
const config = { reportingCurrency: "USD", grossMargin: 1 };
let dir: string;
let storage: Storage;
let app: ReturnType<typeof createApp>;
let key: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "tenure-docs-"));
  storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
  key = (await storage.apiKeys.create(WS, { name: "admin", kind: "admin" })).key;
  app = createApp({ storage, config, today: () => "2026-11-15" });
});

afterAll(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

const scriptSrc = (res: Response) =>
  /script-src ([^;]*)/.exec(res.headers.get("content-security-policy") ?? "")?.[1] ?? "";

describe("GET /api/docs", () => {
  it("should serve the docs page and every file it loads from this server without a key, under a CSP with no inline script", async () => {
    const page = await app.request("/api/docs");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toContain("text/html");
    expect(scriptSrc(page)).toBe("'self'");
    const html = await page.text();
    // No inline script: every <script> has a src, and no event-handler attribute.
    expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/);
    expect(html).not.toMatch(/\son\w+=/i);
    const assets = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? "");
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      // Same origin only: no CDN, nothing from the internet.
      expect(asset, asset).toMatch(/^\/api\/docs\//);
      const res = await app.request(asset);
      expect(res.status, asset).toBe(200);
      expect(res.headers.get("x-content-type-options"), asset).toBe("nosniff");
      expect(scriptSrc(res), asset).toBe("'self'");
    }
    const init = await (await app.request("/api/docs/init.js")).text();
    expect(init).toContain('url: "/api/openapi.json"');
    expect(init).toContain("persistAuthorization: false");
  });

  it("should describe bearer sign-in by key in the document the docs read", async () => {
    const doc = (await (await app.request("/api/openapi.json")).json()) as {
      components: { securitySchemes: Record<string, { type: string; scheme: string }> };
    };
    expect(doc.components.securitySchemes.apiKey).toMatchObject({ type: "http", scheme: "bearer" });
  });

  it("should answer 404 for any other file name under /api/docs, encoded traversal included", async () => {
    for (const p of [
      "/api/docs/package.json",
      "/api/docs/..%2f..%2fpackage.json",
      "/api/docs/%2e%2e%2fswagger-ui-dist%2fpackage.json",
      "/api/docs/swagger-ui-bundle.js.map",
      "/api/docs/index.html",
    ]) {
      const res = await app.request(p);
      expect(res.status, p).toBe(404);
      expect(await res.text(), p).not.toContain('"version"');
    }
  });
});

describe.skipIf(skipBrowserTests())("the API docs in Chromium", () => {
  let browser: Browser;
  let server: RunningServer;

  beforeAll(async () => {
    browser = await launchChromium();
    server = await startServer(
      { storage, config, today: () => "2026-11-15" },
      { port: 0, host: "127.0.0.1", threads: false },
    );
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
  });

  it("should render every operation and call the API with the key given under Authorize, without a CSP violation", async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    const violations: string[] = [];
    const errors: string[] = [];
    const external: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    page.on("console", (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    page.on("request", (r) => {
      if (!r.url().startsWith(`http://127.0.0.1:${server.port}/`) && !r.url().startsWith("data:"))
        external.push(r.url());
    });
    const base = `http://127.0.0.1:${server.port}`;
    await page.goto(`${base}/api/docs`);
    await page.waitForSelector(".opblock", { timeout: 30_000 });
    // Swagger UI draws only the operations in view (a virtual list): count what it loaded instead.
    const doc = (await (await app.request("/api/openapi.json")).json()) as { paths: object };
    const loaded = await page.evaluate(
      () =>
        (
          window as unknown as { ui: { specSelectors: { paths(): { size: number } } } }
        ).ui.specSelectors.paths().size,
    );
    expect(loaded).toBe(Object.keys(doc.paths).length);
    await page.click("button.authorize");
    await page.fill(".auth-container input", key);
    await page.click(".auth-btn-wrapper button.authorize");
    await page.click("button.btn-done");
    // Try GET /api/me with the key.
    const me = page.locator('.opblock-get:has(.opblock-summary-path[data-path="/me"])').first();
    await me.locator(".opblock-summary").click();
    await me.locator("button.try-out__btn").click();
    const answer = page.waitForResponse((r) => r.url() === `${base}/api/me`);
    await me.locator("button.execute").click();
    const res = await answer;
    expect(res.status()).toBe(200);
    expect(res.request().headers().authorization).toBe(`Bearer ${key}`);
    // Nothing of the key is kept by the page once it closes.
    const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
    expect(stored).not.toContain(key);
    expect(violations).toEqual([]);
    expect(errors).toEqual([]);
    expect(external).toEqual([]);
    await context.close();
  });
});
