import { describe, expect, it } from "vitest";
import { skipBrowserTests } from "./support/chromium";
import { useDemoBrowser } from "./support/demo-browser";

describe.skipIf(skipBrowserTests())("the renewals page in Chromium", () => {
  const ui = useDemoBrowser({ today: "2026-11-15", accounts: 150, seed: 11 });

  it("should show the calendar with the forecast's probabilities, record a churn with its reason, and the save ROI", async () => {
    await ui.open("/renewals", '[data-testid="renewal-row"]');
    const cal = await ui.api<{ rows: { accountId: string; renewalProbability: number | null }[] }>(
      "/api/renewals/calendar?months=6",
    );
    const first = ui.page.locator('[data-testid="renewal-row"]').first();
    const id = await first.getAttribute("data-account-id");
    const p = cal.rows.find((r) => r.accountId === id)?.renewalProbability ?? null;
    expect(await first.locator('[data-testid="renewal-probability"]').textContent()).toBe(
      p === null ? "—" : `${(100 * p).toFixed(1)}%`,
    );
    await ui.page.waitForSelector(
      '[data-testid="renewal-calendar-chart"] canvas, [data-testid="renewal-calendar-chart"] svg',
    );
    const before = await ui.api<{ churned: number }>("/api/renewals/churn-reasons");

    await first.locator('[data-testid="record-outcome-open"]').click();
    await ui.page.selectOption('[data-testid="outcome-kind"]', "churned");
    // Without a reason the server says which field is missing.
    await ui.page.click('[data-testid="outcome-save"]');
    await ui.page.waitForSelector(
      '[data-testid="record-outcome"] [role="alert"], [data-testid="record-outcome"] .error-banner',
    );
    expect(await ui.page.locator('[data-testid="record-outcome"]').textContent()).toContain("reasonKey");
    await ui.page.selectOption('[data-testid="outcome-reason"]', "needs_not_met");
    await ui.page.click('[data-testid="outcome-save"]');
    await ui.page.waitForSelector(`[data-account-id="${id}"] [data-testid="renewal-outcome"]`);
    expect(
      await ui.page
        .locator(`[data-account-id="${id}"] [data-testid="renewal-outcome"]`)
        .first()
        .textContent(),
    ).toBe("Churned");
    const after = await ui.api<{ churned: number }>("/api/renewals/churn-reasons");
    expect(after.churned).toBe(before.churned + 1);
    expect(await ui.page.locator('[data-testid="campaign-roi"]').first().textContent()).toBe("2.23");
    expect(await ui.page.locator('[data-testid="churn-reasons-chart"]').count()).toBe(1);
  }, 180_000);

  it("should read in Simplified Chinese", async () => {
    await ui.open("/renewals", '[data-testid="renewal-row"]');
    await ui.page.evaluate(() => localStorage.setItem("tenure.language", "zh-CN"));
    await ui.page.reload();
    await ui.page.waitForSelector('[data-testid="renewal-row"]');
    expect(await ui.page.locator(".page-title").textContent()).toBe("续约");
    expect(await ui.page.locator('[data-testid="churn-reasons"] .card-title').textContent()).toBe("流失原因");
    expect(await ui.page.locator('[data-testid="save-campaigns"] .card-title').textContent()).toBe(
      "挽留行动",
    );
    expect(await ui.page.locator('[data-testid="nav-renewals"]').textContent()).toContain("续约");
  }, 120_000);
});
