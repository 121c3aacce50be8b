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

  it("should say it is being computed after Train now, then show the quarters without a reload", async () => {
    // Every answer of the backtest route, to check that none is an error while it is computed.
    const backtestStatuses: number[] = [];
    ui.page.on("response", (r) => {
      if (r.url().includes("/api/predictions/renewals/backtest")) backtestStatuses.push(r.status());
    });
    await ui.open("/predictions/backtest", '[data-testid="train-churn"]');
    await ui.page.click('[data-testid="train-churn"]');
    await ui.page.waitForSelector('[data-testid="trained-churn"]', { timeout: 120_000 });
    // The server computes the renewal backtest on a thread of its own after the training answered.
    await ui.open(
      "/predictions",
      '[data-testid="renewal-backtest-computing"], [data-testid="renewal-backtest-quarters"]',
    );
    // The card polls until it is stored: four quarters and their total, with no page reload.
    await ui.page.waitForSelector('[data-testid="renewal-backtest-quarters"]', { timeout: 300_000 });
    expect(await ui.page.locator('[data-testid="renewal-backtest-quarters"] tbody tr').count()).toBe(5);
    expect(await ui.page.locator('[data-testid="renewal-backtest-pending"]').count()).toBe(0);
    expect(await ui.page.locator('[data-testid="renewal-backtest-computing"]').count()).toBe(0);
    // The card read it and never got an error answer (no 404 logged in the console).
    expect(backtestStatuses.length).toBeGreaterThan(0);
    expect(backtestStatuses.every((s) => s === 200)).toBe(true);
  }, 420_000);

  it("should show the quarters stored by the CLI's training too", async () => {
    await trainModel(ui.server.storage, "default", {
      asOf: TODAY,
      target: "churn",
      reportingCurrency: "USD",
    });
    await ui.open("/predictions", '[data-testid="renewal-backtest-quarters"]');
    expect(await ui.page.locator('[data-testid="renewal-backtest-quarters"] tbody tr').count()).toBe(5);
  }, 240_000);
});
