import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, beforeEach, expect } from "vitest";
import { type BuiltWeb, buildWeb } from "./build-web";
import { launchChromium } from "./chromium";
import { type DemoServer, type DemoServerOptions, startDemoServer } from "./demo-server";

/** A demo server with the built web app and a fresh Chromium page per test (see `useDemoBrowser`). */
export interface DemoBrowser {
  /** The current test's page. */
  readonly page: Page;
  readonly server: DemoServer;
  /** A request made from the page, so it carries the demo session cookie; JSON body, throws on non-2xx. */
  api<T>(path: string, init?: { method: string; body: unknown }): Promise<T>;
  /** Opens a path (demo auto sign-in) and waits for a selector. */
  open(path: string, selector: string): Promise<void>;
}

const VIEWPORT = { width: 1440, height: 900 };

/**
 * Registers the file's hooks: one Chromium, one web build and one demo server for the file (launching
 * Chromium costs ~0.6 s), a fresh English page per test, and no uncaught page error at the end of each.
 * Call it inside `describe`; `afterStart` runs once the server is up (e.g. to train a model).
 */
export function useDemoBrowser(
  opts: Omit<DemoServerOptions, "webRoot"> & { afterStart?: (server: DemoServer) => Promise<void> },
): DemoBrowser {
  const { afterStart, ...serverOptions } = opts;
  let web: BuiltWeb | undefined;
  let server: DemoServer | undefined;
  let browser: Browser | undefined;
  let context: BrowserContext | undefined;
  let page: Page | undefined;
  let pageErrors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    web = await buildWeb();
    server = await startDemoServer({ ...serverOptions, webRoot: web.outDir });
    await afterStart?.(server);
    // Seeding and training the demo takes about a minute alone, several on a busy machine.
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await web?.remove();
  });

  beforeEach(async () => {
    if (!browser) throw new Error("Chromium did not start");
    context = await browser.newContext({ viewport: VIEWPORT, locale: "en-US", colorScheme: "light" });
    const p = await context.newPage();
    pageErrors = [];
    p.on("pageerror", (error) => pageErrors.push(error.stack ?? error.message));
    page = p;
  });

  afterEach(async () => {
    await context?.close();
    expect(pageErrors).toEqual([]);
  });

  const ui: DemoBrowser = {
    get page() {
      if (!page) throw new Error("no page: use it inside a test");
      return page;
    },
    get server() {
      if (!server) throw new Error("demo server did not start");
      return server;
    },
    api<T>(path: string, init?: { method: string; body: unknown }): Promise<T> {
      return ui.page.evaluate(
        async ({ path, init }) => {
          const response = await fetch(path, {
            method: init?.method ?? "GET",
            headers: init ? { "Content-Type": "application/json" } : {},
            body: init ? JSON.stringify(init.body) : undefined,
          });
          if (!response.ok) throw new Error(`${path}: HTTP ${response.status} ${await response.text()}`);
          return response.json();
        },
        { path, init },
      ) as Promise<T>;
    },
    async open(path: string, selector: string): Promise<void> {
      await ui.page.goto(`${ui.server.url}${path}`);
      await ui.page.waitForSelector(selector);
    },
  };
  return ui;
}
