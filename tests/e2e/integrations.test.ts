import { type LoopbackReceiver, startLoopbackReceiver } from "@tenure/services";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { skipBrowserTests } from "./support/chromium";
import { useDemoBrowser } from "./support/demo-browser";

describe.skipIf(skipBrowserTests())("Settings → Integrations in Chromium", () => {
  const ui = useDemoBrowser({ today: "2026-11-15", accounts: 60, seed: 5 });
  let rx: LoopbackReceiver;
  beforeAll(async () => {
    rx = await startLoopbackReceiver();
    rx.respond(() => ({ status: 500, body: "receiver down" }));
  });
  afterAll(() => rx.close());

  it("should refuse a template naming its unknown variable, save the fixed one and preview it with a real account", async () => {
    await ui.open("/settings/integrations", '[data-testid="template-editor"]');
    const { accounts } = await ui.api<{ accounts: { id: string; name: string }[] }>("/api/accounts?limit=1");
    const account = accounts[0];
    if (account === undefined) throw new Error("the demo has no accounts");
    await ui.page.fill('[data-testid="template-name"]', "renewal-reminder");
    await ui.page.fill('[data-testid="template-subject"]', "{{account.name}} renews soon");
    await ui.page.fill('[data-testid="template-body"]', "Hello,\n\nYour plan: {{account.plan}}");
    await ui.page.click('[data-testid="template-save"]');
    await ui.page.waitForSelector('[data-testid="template-editor"] [role="alert"]');
    expect(await ui.page.locator('[data-testid="template-editor"] [role="alert"]').textContent()).toContain(
      'body: line 3: unknown variable "account.plan"',
    );
    await ui.page.fill(
      '[data-testid="template-body"]',
      "Hello,\n\n**{{account.name}}** pays {{account.arr}} a year.",
    );
    await ui.page.click('[data-testid="template-save"]');
    await ui.page.waitForSelector('[data-testid="templates-list"] >> text=renewal-reminder');
    await ui.page.fill('[data-testid="preview-account"]', account.id);
    await ui.page.click('[data-testid="template-preview"]');
    await ui.page.waitForSelector('[data-testid="template-preview-result"] strong');
    expect(
      await ui.page.locator('[data-testid="template-preview-result"] strong').first().textContent(),
    ).toBe(`${account.name} renews soon`);
    expect(await ui.page.locator('[data-testid="template-preview-result"] p strong').textContent()).toBe(
      account.name,
    );
  }, 180_000);

  it("should show a failed webhook test with the receiver's answer, and find it in the delivery log", async () => {
    await ui.open("/settings/integrations", '[data-testid="integrations-tab-endpoints"]');
    await ui.page.click('[data-testid="integrations-tab-endpoints"]');
    await ui.page.fill('[data-testid="endpoint-name"]', "crm");
    await ui.page.fill('[data-testid="endpoint-url"]', `${rx.url}/hooks`);
    await ui.page.click('[data-testid="endpoint-add"]');
    await ui.page.click('[data-testid="endpoint-test-crm"]');
    await ui.page.waitForSelector('[data-testid="test-result"]');
    expect(await ui.page.locator('[data-testid="test-result"]').textContent()).toBe(
      "Test failed: HTTP 500: receiver down",
    );
    expect(rx.received.at(-1)?.headers["webhook-signature"]).toMatch(/^v1,/);
    await ui.page.click('[data-testid="integrations-tab-log"]');
    await ui.page.selectOption('[data-testid="delivery-status-filter"]', "failed");
    await ui.page.waitForSelector('[data-testid="delivery-failed"]');
    expect(await ui.page.locator('[data-testid="delivery-failed"]').first().textContent()).toContain(
      "HTTP 500: receiver down",
    );
    // The endpoint is shown by the name it was given, not its id.
    expect(await ui.page.locator('[data-testid="delivery-failed"] td').nth(2).textContent()).toBe("crm");
  }, 120_000);

  it("should read in Simplified Chinese", async () => {
    await ui.open("/settings/integrations", '[data-testid="integrations-page"]');
    await ui.page.evaluate(() => localStorage.setItem("tenure.language", "zh-CN"));
    await ui.page.reload();
    await ui.page.waitForSelector('[data-testid="integrations-page"]');
    expect(await ui.page.locator(".page-title").textContent()).toBe("集成");
    expect(await ui.page.locator('[data-testid="integrations-tab-channels"]').textContent()).toBe("团队群聊");
    expect(await ui.page.locator('[data-testid="nav-integrations"]').textContent()).toContain("集成");
    await ui.page.click('[data-testid="integrations-tab-channels"]');
    expect(await ui.page.locator('[data-testid="channel-kind"] option').allTextContents()).toEqual([
      "企业微信群机器人",
      "钉钉机器人",
      "飞书机器人",
      "Slack",
    ]);
  }, 120_000);
});
