import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningServer, startServer } from "@tenure/server";
import { openStorage, type Storage } from "@tenure/storage";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ssoRedirectUri } from "../../packages/server/src/identity/sso-settings";
import { type LoopbackIdp, startLoopbackIdp } from "../../packages/server/test/support/oidc-provider";
import { type BuiltWeb, buildWeb } from "./support/build-web";
import { launchChromium, skipBrowserTests } from "./support/chromium";

const ADMIN = { email: "admin@acme.example", name: "Ada Admin", password: "admin password 1" };

describe.skipIf(skipBrowserTests())("Sign in with SSO in Chromium, against a loopback OIDC provider", () => {
  let dir: string;
  let storage: Storage;
  let server: RunningServer;
  let web: BuiltWeb;
  let browser: Browser;
  let idp: LoopbackIdp;
  let key: string;

  const api = async (method: string, path: string, body: unknown) => {
    const res = await fetch(`${server.url}${path}`, {
      method,
      headers: { "content-type": "application/json", authorization: `Bearer ${key}` },
      body: JSON.stringify(body),
    });
    expect(res.status, await res.clone().text()).toBeLessThan(300);
    return res;
  };

  beforeAll(async () => {
    browser = await launchChromium();
    web = await buildWeb();
    dir = await mkdtemp(join(tmpdir(), "tenure-e2e-sso-"));
    storage = await openStorage({ sqliteFile: join(dir, "tenure.db") });
    server = await startServer(
      { storage, config: { reportingCurrency: "USD", grossMargin: 1 }, webRoot: web.outDir },
      { port: 0, host: "127.0.0.1" },
    );
    idp = await startLoopbackIdp([ssoRedirectUri(server.url, "default")]);
    const setup = await fetch(`${server.url}/api/setup`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ ...ADMIN, workspaceName: "Acme" }),
    });
    expect(setup.status).toBe(201);
    key = (await storage.apiKeys.create("default", { name: "e2e", kind: "admin" })).key;
    await api("POST", "/api/invitations", { email: "cy@acme.example", role: "csm" });
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await idp?.close();
    await server?.close();
    await storage?.close();
    await web?.remove();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("should let an admin set SSO up in Settings → Sign-in (SSO), the secret never shown back", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.waitForSelector('[data-testid="sign-in-email"]');
    // No SSO yet, and no SMTP: no SSO button, and Forgot password says to ask an admin.
    expect(await page.locator('[data-testid="sign-in-sso"]').count()).toBe(0);
    await page.click('[data-testid="sign-in-forgot"]');
    expect(await page.textContent('[data-testid="forgot-no-email"]')).toBe(
      "This Tenure server sends no email. Ask an admin to reset your password.",
    );
    await page.click('[data-testid="sign-in-back"]');

    await page.fill('[data-testid="sign-in-email"]', ADMIN.email);
    await page.fill('[data-testid="sign-in-password"]', ADMIN.password);
    await page.click('[data-testid="sign-in-submit"]');
    await page.click('[data-testid="nav-sso"]');
    await page.waitForSelector('[data-testid="sso-redirect-uri"]');
    expect(await page.textContent('[data-testid="sso-redirect-uri"]')).toBe(
      ssoRedirectUri(server.url, "default"),
    );
    await page.fill('[data-testid="sso-issuer"]', idp.issuer);
    await page.fill('[data-testid="sso-clientId"]', idp.clientId);
    await page.fill('[data-testid="sso-clientSecret"]', idp.clientSecret);
    await page.fill('[data-testid="sso-domains"]', "acme.example");
    await page.click('[data-testid="sso-save"]');
    await page.waitForSelector('[data-testid="sso-saved"]');
    await page.reload();
    await page.waitForSelector('[data-testid="sso-issuer"]');
    await expect.poll(() => page.inputValue('[data-testid="sso-issuer"]')).toBe(idp.issuer);
    expect(await page.inputValue('[data-testid="sso-clientSecret"]')).toBe("");
    expect(await page.content()).not.toContain(idp.clientSecret);
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it("should sign an invited CSM in through the provider, and tell an uninvited person to ask an admin", async () => {
    const context = await browser.newContext({ locale: "en-US" });
    const page = await context.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));

    idp.signInAs({ sub: "cy-1", email: "cy@acme.example", name: "Cy Lee" });
    await page.goto(server.url);
    await page.click('[data-testid="sign-in-sso"]');
    await page.fill('[data-testid="sso-email"]', "cy@acme.example");
    await page.click('[data-testid="sso-continue"]');
    // To the provider and back: signed in, in the workspace of the invitation, as a CSM.
    await page.waitForSelector('[data-testid="role-badge"]');
    expect(await page.textContent('[data-testid="role-badge"]')).toBe("CSM");
    expect(new URL(page.url()).origin).toBe(server.url);

    const stranger = await browser.newContext({ locale: "en-US" });
    const other = await stranger.newPage();
    other.on("pageerror", (e) => errors.push(e.message));
    idp.signInAs({ sub: "zed-1", email: "zed@acme.example", name: "Zed" });
    await other.goto(server.url);
    await other.click('[data-testid="sign-in-sso"]');
    await other.fill('[data-testid="sso-email"]', "zed@acme.example");
    await other.click('[data-testid="sso-continue"]');
    await other.waitForSelector('[data-testid="sign-in-error"]');
    expect(await other.textContent('[data-testid="sign-in-error"]')).toBe(
      "Single sign-on worked, but no Tenure user has your email. Ask an admin to invite you.",
    );
    expect(new URL(other.url()).pathname).toBe("/");
    expect(errors).toEqual([]);
    await stranger.close();
    await context.close();
  }, 120_000);
});
