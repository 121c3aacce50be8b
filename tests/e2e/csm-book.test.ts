import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type RunningServer, startServer } from "@tenure/server";
import { saveMember, saveTeam, setAccessSettings, setAccountOwners } from "@tenure/services";
import { minimalAccount, openStorage, type Storage } from "@tenure/storage";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type BuiltWeb, buildWeb } from "./support/build-web";
import { launchChromium, skipBrowserTests } from "./support/chromium";

/**
 * Issue 16 §2 and §8: an admin invites a CSM through the app; the CSM sees only what the role allows:
 * their own book by default, others' accounts read-only where the workspace allows and absent where it
 * does not, no admin settings, and a clear refusal instead of a crash.
 */
const WS = "default";
const ADMIN = { email: "admin@book.example", name: "Ada Admin", password: "admin password 1" };
const CSM = { email: "cy@book.example", name: "Cy Lee", password: "cy's password 12" };
const MINE = ["acc-cy-1", "acc-cy-2"];
const THEIRS = "acc-bo-1";

const rowIds = async (page: Page) => {
  await page.waitForSelector('[data-testid="accounts-table"], [data-testid="accounts-empty"]');
  return (
    await page.$$eval('[data-testid="account-row"]', (rows) =>
      rows.map((r) => r.getAttribute("data-account-id")),
    )
  ).sort();
};

describe.skipIf(skipBrowserTests())("a CSM's book in Chromium", () => {
  let dir: string;
  let storage: Storage;
  let server: RunningServer;
  let web: BuiltWeb;
  let browser: Browser;
  const errors: string[] = [];

  beforeAll(async () => {
    browser = await launchChromium();
    web = await buildWeb();
    dir = await mkdtemp(join(tmpdir(), "tenure-e2e-book-"));
    storage = await openStorage({ sqliteFile: join(dir, "tenure.db") });
    await storage.workspaces.ensure(WS, "Book Co");
    await storage.accounts.upsertMany(WS, [
      { ...minimalAccount("acc-cy-1"), name: "Alpha Mills" },
      { ...minimalAccount("acc-cy-2"), name: "Beta Foods" },
      { ...minimalAccount(THEIRS), name: "Gamma Steel" },
    ]);
    await saveTeam(storage, WS, { id: "ent", name: "Enterprise", kind: "high_touch" });
    await saveMember(storage, WS, {
      id: "csm-cy",
      name: CSM.name,
      email: CSM.email,
      teamId: "ent",
      role: "CSM",
    });
    await saveMember(storage, WS, {
      id: "csm-bo",
      name: "Bo Park",
      email: "bo@book.example",
      teamId: "ent",
      role: "CSM",
    });
    await setAccountOwners(storage, WS, MINE, { memberId: "csm-cy" });
    await setAccountOwners(storage, WS, [THEIRS], { memberId: "csm-bo" });
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

  /** A signed-in CSM's browser in `locale`. */
  const signInCsm = async (locale: string): Promise<{ context: BrowserContext; page: Page }> => {
    const context = await browser.newContext({ locale });
    const page = await context.newPage();
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.waitForSelector('[data-testid="sign-in-email"]');
    await page.fill('[data-testid="sign-in-email"]', CSM.email);
    await page.fill('[data-testid="sign-in-password"]', CSM.password);
    await page.click('[data-testid="sign-in-submit"]');
    await page.waitForSelector('[data-testid="role-badge"]');
    return { context, page };
  };

  it("should let an admin invite a CSM who then opens on their own book, reads others' accounts without editing them, and sees no admin settings", async () => {
    // The admin sets up Tenure and invites the CSM through Settings → Users.
    const admin = await browser.newContext({ locale: "en-US" });
    const page = await admin.newPage();
    page.on("pageerror", (e) => errors.push(e.message));
    await page.goto(server.url);
    await page.waitForSelector('[data-testid="setup-page"]');
    await page.fill('[data-testid="setup-name"]', ADMIN.name);
    await page.fill('[data-testid="setup-email"]', ADMIN.email);
    await page.fill('[data-testid="setup-password"]', ADMIN.password);
    await page.fill('[data-testid="setup-confirm"]', ADMIN.password);
    await page.click('[data-testid="setup-submit"]');
    await page.waitForSelector('[data-testid="role-badge"]');
    await page.click('[data-testid="nav-users"]');
    await page.waitForSelector('[data-testid="invite-form"]');
    await page.fill('[data-testid="invite-email"]', CSM.email);
    await page.selectOption('[data-testid="invite-role"]', "csm");
    await page.selectOption('[data-testid="invite-member"]', "csm-cy");
    await page.click('[data-testid="invite-submit"]');
    const invite = await page.inputValue('[data-testid="issued-link-url"]');
    // The admin's own accounts list opens on every account (an admin has no book of their own).
    await page.click('[data-testid="nav-accounts"]');
    expect(await rowIds(page)).toEqual([...MINE, THEIRS].sort());
    expect(new URL(page.url()).searchParams.get("book")).toBeNull();

    // The CSM accepts the invitation and is signed in.
    const csm = await browser.newContext({ locale: "en-US" });
    const csmPage = await csm.newPage();
    csmPage.on("pageerror", (e) => errors.push(e.message));
    await csmPage.goto(invite);
    await csmPage.waitForSelector('[data-testid="invite-name"]');
    await csmPage.fill('[data-testid="invite-name"]', CSM.name);
    await csmPage.fill('[data-testid="invite-password"]', CSM.password);
    await csmPage.fill('[data-testid="invite-confirm"]', CSM.password);
    await csmPage.click('[data-testid="invite-submit"]');
    await csmPage.waitForSelector('[data-testid="role-badge"]');
    expect(await csmPage.textContent('[data-testid="role-badge"]')).toBe("CSM");

    // No admin settings for a CSM.
    for (const link of ["nav-users", "nav-keys", "nav-audit", "nav-integrations"])
      expect(await csmPage.locator(`[data-testid="${link}"]`).count(), link).toBe(0);

    // The accounts list opens on "My book", and the URL says so.
    await csmPage.click('[data-testid="nav-accounts"]');
    await csmPage.waitForURL(/book=mine/);
    expect(await rowIds(csmPage)).toEqual(MINE);
    expect(await csmPage.getAttribute('[data-testid="book-mine"]', "aria-pressed")).toBe("true");
    expect(await csmPage.locator('[data-testid="account-select"]').count()).toBe(0);

    // The workspace lets CSMs read others' accounts: widening shows them, read-only.
    await csmPage.click('[data-testid="book-all"]');
    await csmPage.waitForURL(/book=all/);
    expect(await rowIds(csmPage)).toEqual([...MINE, THEIRS].sort());
    await csmPage.goto(`${server.url}/accounts/${THEIRS}`);
    await csmPage.waitForSelector('[data-testid="account-readonly"]');
    const why = "This account is not in your book: only its owner, their manager or an admin can change it.";
    expect(await csmPage.textContent('[data-testid="account-readonly"]')).toBe(why);
    expect(await csmPage.isDisabled('[data-testid="stage-edit"]')).toBe(true);
    expect(await csmPage.getAttribute('[data-testid="stage-edit"]', "title")).toBe(why);
    // Moving accounts between books is a manager's: no such button for a CSM, nor row ticks in the list.
    expect(await csmPage.locator('[data-testid="owner-edit"]').count()).toBe(0);
    expect(await csmPage.getAttribute('[data-testid="account-edit-guard"]', "title")).toBe(why);

    // Their own account: editable.
    await csmPage.goto(`${server.url}/accounts/${MINE[0]}`);
    await csmPage.waitForSelector('[data-testid="stage-edit"]');
    expect(await csmPage.locator('[data-testid="account-readonly"]').count()).toBe(0);
    expect(await csmPage.isDisabled('[data-testid="stage-edit"]')).toBe(false);

    // An admin page asked for by address: a clear refusal, not a crash.
    await csmPage.goto(`${server.url}/settings/audit`);
    await csmPage.waitForSelector('[data-testid="error-banner"]');
    expect(await csmPage.textContent('[data-testid="error-banner"]')).toContain("Not allowed");
    expect(errors).toEqual([]);
    await csm.close();
    await admin.close();
  }, 180_000);

  it("should leave others' accounts out altogether when the workspace keeps CSMs to their book", async () => {
    await setAccessSettings(storage, WS, { csmReadsAllAccounts: false });
    const { context, page } = await signInCsm("en-US");
    await page.goto(`${server.url}/accounts`);
    await page.waitForURL(/book=mine/);
    expect(await rowIds(page)).toEqual(MINE);
    expect(await page.locator('[data-testid="book-all"]').count()).toBe(0);
    expect(await page.textContent('[data-testid="book-locked"]')).toBe(
      "This workspace lets CSMs see only their own accounts.",
    );
    // Even a hand-made link to every account lists only the CSM's own.
    await page.goto(`${server.url}/accounts?book=all`);
    await page.waitForSelector('[data-testid="accounts-count"]');
    expect(await rowIds(page)).toEqual(MINE);
    // Another's account by address: refused with a message saying why.
    await page.goto(`${server.url}/accounts/${THEIRS}`);
    await page.waitForSelector('[data-testid="error-banner"]');
    const banner = await page.textContent('[data-testid="error-banner"]');
    expect(banner).toContain("Not allowed");
    expect(banner).toContain("not in your book");
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);

  it("should show the CSM's book in Simplified Chinese", async () => {
    const { context, page } = await signInCsm("zh-CN");
    await page.goto(`${server.url}/accounts`);
    await page.waitForURL(/book=mine/);
    expect(await page.textContent('[data-testid="book-mine"]')).toBe("我的客户");
    expect(await page.textContent('[data-testid="book-locked"]')).toBe(
      "此工作区只允许客户成功经理查看自己名下的客户。",
    );
    expect(await rowIds(page)).toEqual(MINE);
    await page.goto(`${server.url}/accounts/${THEIRS}`);
    await page.waitForSelector('[data-testid="error-banner"]');
    expect(await page.textContent('[data-testid="error-banner"]')).toContain("没有权限");
    expect(errors).toEqual([]);
    await context.close();
  }, 120_000);
});
