import { trainAndBacktest } from "@tenure/services";
import { describe, expect, it } from "vitest";
import type { AccountsResponse } from "../../packages/web/src/api/account-types";
import type { AccountPredictionsResponse } from "../../packages/web/src/features/predictions/types";
import { skipBrowserTests } from "./support/chromium";
import { useDemoBrowser } from "./support/demo-browser";

const TODAY = "2026-11-15";

describe.skipIf(skipBrowserTests())("one churn probability in Chromium", () => {
  const ui = useDemoBrowser({
    today: TODAY,
    accounts: 200,
    seed: 42,
    afterStart: (server) =>
      trainAndBacktest(server.storage, "default", {
        asOf: TODAY,
        target: "churn",
        reportingCurrency: "USD",
      }).then(() => undefined),
  });
  const { api, open } = ui;

  it("should show the same churn probability in the list, the account header and the predictions card", async () => {
    // The list page first: the API helper fetches from the page, and its column is checked too.
    await open("/accounts", '[data-testid="account-row"]');
    const list = await api<AccountsResponse>("/api/accounts?sort=churnProbability&order=desc&limit=1");
    const row = list.accounts[0]!;
    expect(row.churnProbability).not.toBeNull();
    await open(`/accounts/${row.id}`, '[data-testid="header-churn"] .kpi-value');
    expect(Number(await ui.page.getAttribute('[data-testid="header-churn"]', "data-value"))).toBe(
      row.churnProbability,
    );
    const card = ui.page.locator('[data-testid="account-predictions"]');
    await card.locator('[data-testid="prediction-churn-value"]').waitFor();
    expect(
      Number(await card.locator('[data-testid="prediction-churn"]').getAttribute("data-probability")),
    ).toBe(row.churnProbability);
    // The same figure reads the same: one number format in the header and the card (was 100% beside 99.6%).
    expect(await card.locator('[data-testid="prediction-churn-value"]').textContent()).toBe(
      await ui.page.locator('[data-testid="header-churn"] .kpi-value').textContent(),
    );
    const reasons = card.locator('[data-testid="prediction-churn-reasons"] li');
    expect(await reasons.count()).toBeGreaterThan(0);
    for (const text of await reasons.allTextContents())
      expect(text).not.toMatch(/—|predictions\.|[a-z][A-Z]/);

    await ui.page.selectOption('[data-testid="language-switch"]', "zh-CN");
    await expect.poll(() => ui.page.getAttribute("html", "lang")).toBe("zh-CN");
    await expect.poll(() => reasons.first().textContent()).toMatch(/[\u4e00-\u9fff]/);
    expect(await ui.page.locator('[data-testid="header-churn"] .kpi-label').textContent()).toBe("流失概率");
  });

  it("should show churn date, reason and last MRR instead of a probability on a churned account", async () => {
    await open("/accounts", '[data-testid="account-row"]');
    const all = await api<AccountsResponse>("/api/accounts?limit=5000");
    const churned = all.accounts.find((a) => a.churned !== null && a.churned.reason !== null)!;
    expect(churned.churnProbability).toBeNull();
    const p = await api<AccountPredictionsResponse>(`/api/accounts/${churned.id}/predictions`);
    expect(p.churn).toBeNull();
    expect(p.churned).toEqual(churned.churned);
    await open(`/accounts/${churned.id}`, '[data-testid="header-churned"]');
    expect(await ui.page.getAttribute('[data-testid="header-churned"]', "data-value")).toBe(
      churned.churned!.churnedAt,
    );
    await ui.page.locator('[data-testid="prediction-churned"]').waitFor();
    const reason = await ui.page.locator('[data-testid="prediction-churned-reason"]').textContent();
    expect(reason).not.toContain("_");
    expect(await ui.page.locator('[data-testid="prediction-churn"]').count()).toBe(0);
  });
});
