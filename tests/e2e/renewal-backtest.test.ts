import { trainModel } from "@tenure/services";
import { describe, expect, it } from "vitest";
import { skipBrowserTests } from "./support/chromium";
import { useDemoBrowser } from "./support/demo-browser";

const TODAY = "2026-11-15";

describe.skipIf(skipBrowserTests())("the renewal backtest card in Chromium", () => {
  // No model trained at start: the backtest is not stored yet.
  const ui = useDemoBrowser({ today: TODAY, accounts: 150, seed: 11 });
  const card = '[data-testid="renewal-backtest"]';

  it("should say the backtest is not computed yet, with the command, in English and Chinese", async () => {
    await ui.open("/predictions", '[data-testid="renewal-backtest-pending"]');
    const pending = ui.page.locator('[data-testid="renewal-backtest-pending"]');
    expect(await pending.textContent()).toContain("Not computed yet");
    expect(await pending.locator("code").textContent()).toBe("tenure predict train --target churn");
    expect(await ui.page.locator(`${card} [data-testid="renewal-backtest-quarters"]`).count()).toBe(0);

    await ui.page.evaluate(() => localStorage.setItem("tenure.language", "zh-CN"));
    await ui.page.reload();
    await ui.page.waitForSelector('[data-testid="renewal-backtest-pending"]');
    expect(await pending.textContent()).toContain("尚未计算");
    expect(await pending.locator("code").getAttribute("translate")).toBe("no");
  });

  it("should show the quarters stored by training the churn model", async () => {
    await trainModel(ui.server.storage, "default", {
      asOf: TODAY,
      target: "churn",
      reportingCurrency: "USD",
    });
    await ui.open("/predictions", '[data-testid="renewal-backtest-quarters"]');
    // Four quarters and their total.
    expect(await ui.page.locator('[data-testid="renewal-backtest-quarters"] tbody tr').count()).toBe(5);
    expect(await ui.page.locator('[data-testid="renewal-backtest-pending"]').count()).toBe(0);
  });
});
