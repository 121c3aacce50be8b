import { trainModel } from "@tenure/services";
import { describe, expect, it } from "vitest";
import type {
  AccountPredictionsResponse,
  BacktestResponse,
  PortfolioResponse,
} from "../../packages/web/src/features/predictions/types";
import { skipBrowserTests } from "./support/chromium";
import { useDemoBrowser } from "./support/demo-browser";

const TODAY = "2026-11-15";

describe.skipIf(skipBrowserTests())("predictions card, portfolio and backtest pages in Chromium", () => {
  const ui = useDemoBrowser({
    today: TODAY,
    accounts: 300,
    seed: 42,
    // Churn is trained here as `tenure predict train` does (storing the renewal backtest); expansion
    // through the backtest page's "train now" button below.
    afterStart: (server) =>
      trainModel(server.storage, "default", {
        asOf: TODAY,
        target: "churn",
        reportingCurrency: "USD",
      }).then(() => undefined),
  });
  const { api, open } = ui;

  /** Waits until a chart container's canvas has a drawing size and some painted pixels. */
  async function expectDrawn(testId: string): Promise<void> {
    const canvas = ui.page.locator(`[data-testid="${testId}"] canvas`).first();
    await canvas.scrollIntoViewIfNeeded();
    await canvas.waitFor({ state: "visible" });
    await expect
      .poll(() =>
        canvas.evaluate((c) => {
          if (!(c instanceof HTMLCanvasElement) || c.width === 0 || c.height === 0) return 0;
          const data = c.getContext("2d")?.getImageData(0, 0, c.width, c.height).data;
          let painted = 0;
          if (data) for (let i = 3; i < data.length; i += 4) if (data[i]! > 0) painted++;
          return painted;
        }),
      )
      .toBeGreaterThan(100);
  }

  it("should show churn probability with reasons and the sBG CLV on a demo account page", async () => {
    await open("/predictions", '[data-testid="arr-at-risk-table"]');
    const id = await ui.page.getAttribute('[data-testid="arr-at-risk-table"] tbody tr', "data-account-id");
    expect(id).toBeTruthy();
    const expected = await api<AccountPredictionsResponse>(`/api/accounts/${id}/predictions`);
    await open(`/accounts/${id}`, '[data-testid="prediction-churn-value"]');
    const card = ui.page.locator('[data-testid="account-predictions"]');
    expect(
      Number(await card.locator('[data-testid="prediction-churn"]').getAttribute("data-probability")),
    ).toBe(expected.churn?.probability);
    const reasons = card.locator('[data-testid="prediction-churn-reasons"] li');
    expect(await reasons.count()).toBeGreaterThan(0);
    // Plain-language labels, not raw feature names.
    const first = await reasons.first().getAttribute("data-feature");
    expect(await reasons.first().textContent()).not.toContain(`${first}:`);
    expect(
      Number(await card.locator('[data-testid="prediction-clv"]').getAttribute("data-value")),
    ).toBeCloseTo(expected.clv.clv?.clv ?? Number.NaN, 6);
    // The retention model behind the CLV is named: an sBG fit with its parameters, or what replaced it.
    const method = expected.clv.clv?.model.method;
    await expect
      .poll(() => card.locator('[data-testid="prediction-clv-model"]').textContent())
      .toContain(method === "observed_retention" ? "observed monthly churn" : "α =");
    // Margin and discount rate beside the CLV; a 100% margin (the e2e config) is labelled revenue LTV.
    await expect.poll(() => card.locator('[data-testid="clv-basis"]').textContent()).toContain("Revenue LTV");
    await expect
      .poll(() => card.locator('[data-testid="prediction-expansion"]').textContent())
      .toContain("No expansion model");
  });

  it("should show the API's ARR at risk, CLV tables and the renewal forecast on the portfolio page", async () => {
    await open("/predictions", '[data-testid="portfolio-arr-at-risk"]');
    const expected = await api<PortfolioResponse>("/api/predictions/portfolio");
    expect(expected.arrAtRisk.total).toBeGreaterThan(0);
    const tile = ui.page.locator('[data-testid="portfolio-arr-at-risk"]');
    expect(Number(await tile.getAttribute("data-value"))).toBe(expected.arrAtRisk.total);
    const shown = new Intl.NumberFormat("en", {
      style: "currency",
      currency: "USD",
      maximumFractionDigits: 0,
    })
      .format(expected.arrAtRisk.total)
      .replace(/\D/g, "");
    expect((await tile.locator(".kpi-value").textContent())?.replace(/\D/g, "")).toBe(shown);
    expect(await ui.page.locator('[data-testid="clv-by-segment"] tbody tr').count()).toBe(
      expected.bySegment.length,
    );
    expect(await ui.page.locator('[data-testid="clv-by-channel"] tbody tr').count()).toBe(
      expected.byChannel.length,
    );
    await ui.page.waitForSelector('[data-testid="renewal-total"]');
    const sources = await ui.page.$$eval('[data-testid="renewal-rows"] tbody tr', (rows) =>
      rows.map((r) => r.getAttribute("data-source")),
    );
    expect(sources.length).toBeGreaterThan(0);
    expect(sources).toContain("model");
    await ui.page.selectOption('[data-testid="renewal-window"]', "q4");
    await expect
      .poll(() => ui.page.locator('[data-testid="renewal-periods"] tbody tr').count())
      .toBeGreaterThan(2);
    // The renewal backtest stored at training: four quarters and the total, and its calibration chart.
    await ui.page.waitForSelector('[data-testid="renewal-backtest-quarters"]');
    expect(await ui.page.locator('[data-testid="renewal-backtest-quarters"] tbody tr').count()).toBe(5);
    await expectDrawn("renewal-calibration-chart");
  }, 240_000);

  it("should draw ROC, lift and calibration charts and train the expansion model on the backtest page", async () => {
    await open("/predictions/backtest", '[data-testid="backtest-churn-roc"]');
    const churn = await api<BacktestResponse>("/api/predictions/backtest?target=churn");
    expect(Number(await ui.page.getAttribute('[data-testid="backtest-churn-auc"]', "data-value"))).toBe(
      churn.metrics.auc,
    );
    for (const chart of ["roc", "lift", "calibration"]) await expectDrawn(`backtest-churn-${chart}`);
    await ui.page.waitForSelector('[data-testid="backtest-expansion-empty"]');
    await ui.page.click('[data-testid="train-expansion"]');
    await ui.page.waitForSelector('[data-testid="trained-expansion"]', { timeout: 60_000 });
    for (const chart of ["roc", "lift", "calibration"]) await expectDrawn(`backtest-expansion-${chart}`);
    const expansion = await api<BacktestResponse>("/api/predictions/backtest?target=expansion");
    expect(Number(await ui.page.getAttribute('[data-testid="backtest-expansion-prAuc"]', "data-value"))).toBe(
      expansion.metrics.prAuc,
    );
  });
});
