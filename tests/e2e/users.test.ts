import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningServer, startServer } from "@tenure/server";
import { openStorage, type Storage } from "@tenure/storage";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuiltWeb, buildWeb } from "./support/build-web";
import { launchChromium, skipBrowserTests } from "./support/chromium";

const ADMIN = { email: "admin@acme.example", name: "Ada Admin", password: "admin password 1" };
const CSM = { email: "cy@acme.example", name: "Cy Lee", password: "cy's password 12" };

describe.skipIf(skipBrowserTests())("users and sign-in in Chromium (no demo mode)", () => {
  let dir: string;
  let storage: Storage;
  let server: RunningServer;
  let web: BuiltWeb;
  let browser: Browser;

  beforeAll(async () => {
    browser = await launchChromium();
    web = await buildWeb();
    dir = await mkdtemp(join(tmpdir(), "tenure-e2e-users-"));
    storage = await openStorage({ sqliteFile: join(dir, "tenure.db") });
    await storage.workspaces.ensure("default", "Acme");
    await storage.team.upsertMembers("default", [
      {
        id: "csm-cy",
        name: CSM.name,
        email: CSM.email,
        teamId: null,
        role: "CSM",
        capacity: null,
        active: true,
        deactivatedAt: null,
        successorId: null,
      },
    ]);
    server = await startServer(
      { storage, config: { reportingCurrency: "USD", grossMargin: 1 }, webRoot: web.outDir },
      { port: 0, host: "127.0.0.1" },
    );
  }, 600_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    await storage?.close();
    await web?.remove();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("should set up the first admin, who invites a CSM; the CSM accepts, signs in and sees their role badge", async () => {
    const admin = await browser.newContext({ locale: "en-US" });
    const page = await admin.newPage();
    const errors: string[] = [];
    page.on("pageerror", (e) => errors.push(e.message));

    // First run: the set-up page creates the admin and signs them in.
    await page.goto(server.url);
    await page.waitForSelector('[data-testid="setup-page"]');
    await page.fill('[data-testid="setup-name"]', ADMIN.name);
    await page.fill('[data-testid="setup-email"]', ADMIN.email);
    await page.fill('[data-testid="setup-password"]', ADMIN.password);
    await page.fill('[data-testid="setup-confirm"]', ADMIN.password);
    await page.click('[data-testid="setup-submit"]');
    await page.waitForSelector('[data-testid="role-badge"]');
    expect(await page.textContent('[data-testid="role-badge"]')).toBe("Admin");

    // Settings → Users: invite the CSM, linked to their team member; no SMTP, so the link is shown once.
    await page.click('[data-testid="nav-users"]');
    await page.waitForSelector('[data-testid="invite-form"]');
    await page.fill('[data-testid="invite-email"]', CSM.email);
    await page.selectOption('[data-testid="invite-role"]', "csm");
    await page.selectOption('[data-testid="invite-member"]', "csm-cy");
    await page.click('[data-testid="invite-submit"]');
    const url = await page.inputValue('[data-testid="issued-link-url"]');
    expect(url).toMatch(/\/invite\/tl_/);
    await page.waitForSelector('[data-testid="pending-invitations"]');

    // The CSM, in a browser of their own, accepts and is signed in.
    const csm = await browser.newContext({ locale: "en-US" });
    const csmPage = await csm.newPage();
    csmPage.on("pageerror", (e) => errors.push(e.message));
    await csmPage.goto(url);
    await csmPage.waitForSelector('[data-testid="invite-name"]');
    await csmPage.fill('[data-testid="invite-name"]', CSM.name);
    await csmPage.fill('[data-testid="invite-password"]', CSM.password);
    await csmPage.fill('[data-testid="invite-confirm"]', CSM.password);
    await csmPage.click('[data-testid="invite-submit"]');
    await csmPage.waitForSelector('[data-testid="role-badge"]');
    expect(await csmPage.textContent('[data-testid="role-badge"]')).toBe("CSM");
    expect(await csmPage.textContent('[data-testid="user-name"]')).toBe(CSM.name);
    expect(await csmPage.locator('[data-testid="nav-users"]').count()).toBe(0);

    // Signing out, then in again with the password on the sign-in page.
    await csmPage.click('[data-testid="sign-out"]');
    await csmPage.waitForSelector('[data-testid="sign-in-email"]');
    expect(await csmPage.locator('[data-testid="sign-in-demo"]').count()).toBe(0);
    await csmPage.fill('[data-testid="sign-in-email"]', CSM.email);
    await csmPage.fill('[data-testid="sign-in-password"]', "not the password");
    await csmPage.click('[data-testid="sign-in-submit"]');
    await csmPage.waitForSelector('[data-testid="sign-in-error"]');
    expect(await csmPage.textContent('[data-testid="sign-in-error"]')).toBe("Wrong email or password.");
    await csmPage.fill('[data-testid="sign-in-password"]', CSM.password);
    await csmPage.click('[data-testid="sign-in-submit"]');
    await csmPage.waitForSelector('[data-testid="role-badge"]');
    expect(await csmPage.textContent('[data-testid="role-badge"]')).toBe("CSM");

    // The admin sees the CSM as a user with a last sign-in.
    await page.reload();
    await page.waitForSelector(`[data-testid="user-row-${CSM.email}"]`);
    expect(await page.textContent(`[data-testid="user-row-${CSM.email}"]`)).toContain(CSM.name);
    expect(errors).toEqual([]);
    await csm.close();
    await admin.close();
  }, 120_000);
});
