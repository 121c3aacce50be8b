import { mkdir } from "node:fs/promises";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { en } from "../../packages/web/src/i18n/en";
import { zhCN } from "../../packages/web/src/i18n/zh-cn";
import { repoRoot } from "./support/build-web";
import { skipBrowserTests } from "./support/chromium";
import { useDemoBrowser } from "./support/demo-browser";

const TODAY = "2026-11-15";
const KPI_KEYS = ["mrr", "arr", "ndr", "grr", "logoChurnRate", "arpa", "ltvToCac", "paybackMonths"] as const;
const KINDS = ["new", "expansion", "contraction", "churn", "reactivation"] as const;

/** Whole-dollar USD as the web app formats amounts of 100 and more. */
function usd(locale: string, value: number): string {
  return new Intl.NumberFormat(locale, {
    style: "currency",
    currency: "USD",
    minimumFractionDigits: 0,
    maximumFractionDigits: 0,
  }).format(value);
}

/** The digits-and-separators part of a formatted amount ("$1,234" → "1,234"). */
function groupedDigits(formatted: string): string {
  return formatted.replace(/^[^\d]+/, "").replace(/[^\d]+$/, "");
}

describe.skipIf(skipBrowserTests())("revenue dashboard in Chromium", () => {
  // The full `tenure demo` company (2,400 accounts) seeds in about a second, so test what users see.
  const ui = useDemoBrowser({ today: TODAY });

  /** Opens the dashboard (demo auto sign-in) and waits for the KPI tiles. */
  async function openDashboard(path = "/"): Promise<void> {
    await ui.page.goto(`${ui.server.url}${path}`);
    await ui.page.waitForSelector('[data-testid="kpis"] [data-testid="kpi-mrr"]');
  }

  async function kpiValue(key: string): Promise<string | null> {
    return ui.page.getAttribute(`[data-testid="kpi-${key}"]`, "data-value");
  }

  /** Waits until a chart container holds a canvas with a non-zero drawing size. */
  async function expectCanvas(testId: string): Promise<void> {
    const canvas = ui.page.locator(`[data-testid="${testId}"] canvas`).first();
    await canvas.waitFor({ state: "visible" });
    await expect
      .poll(() => canvas.evaluate((c) => (c instanceof HTMLCanvasElement ? [c.width, c.height] : [0, 0])))
      .toSatisfy(([w, h]: number[]) => (w ?? 0) > 0 && (h ?? 0) > 0);
    const box = await canvas.boundingBox();
    expect(box?.width ?? 0).toBeGreaterThan(0);
    expect(box?.height ?? 0).toBeGreaterThan(0);
  }

  it("should show the demo's KPI tiles when the dashboard opens", async () => {
    const expected = await ui.server.revenue.kpis();
    await openDashboard();
    expect(new URL(ui.page.url()).pathname).toBe("/revenue");
    await expect(ui.page.locator('[data-testid="demo-badge"]').isVisible()).resolves.toBe(true);

    for (const key of KPI_KEYS) {
      const tile = expected.tiles.find((t) => t.key === key);
      expect(tile, `service tile ${key}`).toBeDefined();
      await expect(ui.page.locator(`[data-testid="kpi-${key}"]`).isVisible()).resolves.toBe(true);
      const shown = await kpiValue(key);
      if (tile?.value === null || tile?.value === undefined) {
        expect(shown, key).toBe("");
      } else {
        expect(Number(shown), key).toBeCloseTo(tile.value, 6);
      }
    }

    const mrr = expected.tiles.find((t) => t.key === "mrr")?.value ?? 0;
    expect(mrr).toBeGreaterThan(1000);
    const mrrText = await ui.page.locator('[data-testid="kpi-mrr"] .kpi-value').textContent();
    expect(mrrText).toContain("$");
    expect(mrrText).toContain(usd("en-US", mrr));

    if (process.env.TENURE_SCREENSHOT === "1") await saveScreenshot(ui.page);
  });

  it("should show the demo's movements in the movements chart when the data table is toggled", async () => {
    const metrics = await ui.server.revenue.metrics();
    expect(metrics.length).toBeGreaterThan(0);
    await openDashboard();
    await expectCanvas("movements-chart");

    await ui.page.click('[data-testid="movements-table-toggle"]');
    await ui.page.waitForSelector('[data-testid="movements-table"] tbody tr[data-month]');
    const rows = await ui.page.$$eval('[data-testid="movements-table"] tbody tr[data-month]', (trs) =>
      trs.map((tr) => ({
        month: tr.getAttribute("data-month") ?? "",
        cells: Object.fromEntries(
          [...tr.querySelectorAll("td[data-kind]")].map((td) => [
            td.getAttribute("data-kind") ?? "",
            Number(td.getAttribute("data-value")),
          ]),
        ),
      })),
    );

    expect(rows.map((r) => r.month)).toEqual(metrics.map((m) => m.month));
    for (const [i, row] of rows.entries()) {
      const m = metrics[i];
      if (!m) throw new Error(`no service metrics for ${row.month}`);
      for (const kind of KINDS) {
        expect(row.cells[kind], `${row.month} ${kind}`).toBeCloseTo(m[kind], 2);
      }
      expect(row.cells.mrr, `${row.month} mrr`).toBeCloseTo(m.mrr, 2);
    }
  });

  it("should list the accounts behind a movement when its churn cell is clicked", async () => {
    const metrics = await ui.server.revenue.metrics();
    const month = metrics.findLast((m) => m.churn !== 0)?.month;
    if (!month) throw new Error("the demo has no churn to drill into");
    const expected = await ui.server.revenue.movements({ month, kind: "churn" });
    expect(expected.length).toBeGreaterThan(0);

    await openDashboard();
    await ui.page.click('[data-testid="movements-table-toggle"]');
    await ui.page.click(
      `[data-testid="movements-table"] tr[data-month="${month}"] td[data-kind="churn"] button`,
    );

    const drawer = ui.page.locator('[data-testid="movement-drilldown"]');
    await drawer.waitFor({ state: "visible" });
    await ui.page.waitForSelector('[data-testid="movement-drilldown-total"]');
    const shownIds = await drawer
      .locator("tbody tr[data-account-id]")
      .evaluateAll((trs) => trs.map((tr) => tr.getAttribute("data-account-id") ?? ""));
    expect([...shownIds].sort()).toEqual(expected.map((m) => m.accountId).sort());

    const total = Number(
      await ui.page.getAttribute('[data-testid="movement-drilldown-total"]', "data-value"),
    );
    const expectedTotal = expected.reduce((sum, m) => sum + m.amount, 0);
    expect(total).toBeCloseTo(expectedTotal, 2);
    const churnCell = metrics.find((m) => m.month === month)?.churn ?? 0;
    expect(total).toBeCloseTo(churnCell, 2);

    await ui.page.keyboard.press("Escape");
    await drawer.waitFor({ state: "detached" });
  });

  it("should recompute every panel when a segment is chosen", async () => {
    const segments = await ui.server.revenue.segments();
    expect(segments.find((s) => s.attribute === "tier")?.values).toContain("enterprise");
    const total = await ui.server.revenue.kpis();
    const segmented = await ui.server.revenue.kpis({ segment: "tier=enterprise" });
    const totalMrr = total.tiles.find((t) => t.key === "mrr")?.value ?? 0;
    const enterpriseMrr = segmented.tiles.find((t) => t.key === "mrr")?.value ?? 0;
    expect(enterpriseMrr).toBeGreaterThan(0);
    expect(enterpriseMrr).toBeLessThan(totalMrr);
    const enterpriseMetrics = await ui.server.revenue.metrics({ segment: "tier=enterprise" });

    await openDashboard();
    await ui.page.waitForSelector('[data-testid="segment-attribute"]:not([disabled])');
    await ui.page.selectOption('[data-testid="segment-attribute"]', "tier");
    await ui.page.waitForSelector('[data-testid="segment-value"]');
    await ui.page.selectOption('[data-testid="segment-value"]', "enterprise");

    await expect.poll(() => new URL(ui.page.url()).searchParams.get("segment")).toBe("tier=enterprise");
    await expect.poll(async () => Number(await kpiValue("mrr"))).toBeCloseTo(enterpriseMrr, 6);
    for (const key of KPI_KEYS) {
      const value = segmented.tiles.find((t) => t.key === key)?.value ?? null;
      await expect
        .poll(async () => kpiValue(key), { message: `kpi ${key}` })
        .toBe(value === null ? "" : String(value));
    }

    await ui.page.click('[data-testid="movements-table-toggle"]');
    const last = enterpriseMetrics.at(-1);
    if (!last) throw new Error("no enterprise metrics");
    await expect
      .poll(async () =>
        Number(
          await ui.page.getAttribute(
            `[data-testid="movements-table"] tr[data-month="${last.month}"] td[data-kind="mrr"]`,
            "data-value",
          ),
        ),
      )
      .toBeCloseTo(last.mrr, 2);
  });

  it("should render the cohorts, unit economics, bundles and what-if panels when the dashboard opens", async () => {
    const unit = await ui.server.revenue.unitEconomics();
    const bundles = await ui.server.revenue.bundles();
    expect(unit.channels.length).toBeGreaterThan(0);
    expect(bundles.length).toBeGreaterThan(0);

    await openDashboard();
    await expectCanvas("cohorts-chart");

    await ui.page.waitForSelector('[data-testid="unit-economics-table"] tbody tr');
    const channels = await ui.page.$$eval(
      '[data-testid="unit-economics-table"] tbody tr[data-channel]',
      (trs) => trs.map((tr) => tr.getAttribute("data-channel") ?? ""),
    );
    expect([...channels].sort()).toEqual(unit.channels.map((c) => c.channel).sort());

    await ui.page.waitForSelector('[data-testid="bundles-table"] tbody tr');
    const bundleRows = await ui.page.$$eval('[data-testid="bundles-table"] tbody tr[data-bundle]', (trs) =>
      trs.map((tr) => tr.getAttribute("data-bundle") ?? ""),
    );
    expect(bundleRows).toHaveLength(bundles.length);
    expect([...bundleRows].sort()).toEqual(bundles.map((b) => b.bundle).sort());

    await ui.page.locator('[data-testid="whatif-chart"]').scrollIntoViewIfNeeded();
    await expectCanvas("whatif-chart");
  });

  it("should switch to Simplified Chinese when the language is changed", async () => {
    await openDashboard();
    const nav = ui.page.locator('[data-testid="nav-revenue"]');
    expect(await nav.textContent()).toContain(en.nav.revenue);
    const before = await Promise.all(KPI_KEYS.map((key) => kpiValue(key)));
    const mrr = Number(before[0]);

    await ui.page.selectOption('[data-testid="language-switch"]', "zh-CN");
    await expect.poll(() => nav.textContent()).toContain(zhCN.nav.revenue);
    await expect.poll(() => ui.page.getAttribute("html", "lang")).toBe("zh-CN");
    expect(await ui.page.locator('[data-testid="kpi-mrr"] .kpi-label').textContent()).toBe(zhCN.kpi.mrr);

    const after = await Promise.all(KPI_KEYS.map((key) => kpiValue(key)));
    expect(after).toEqual(before);
    const mrrText = await ui.page.locator('[data-testid="kpi-mrr"] .kpi-value').textContent();
    expect(mrrText).toContain(groupedDigits(usd("zh-CN", mrr)));

    // The choice survives a reload (localStorage).
    await ui.page.reload();
    await ui.page.waitForSelector('[data-testid="kpi-mrr"]');
    await expect.poll(() => nav.textContent()).toContain(zhCN.nav.revenue);
  });
});

/** Writes docs/screenshot.png: the top of the dashboard at 1440×900 once every chart has settled. */
async function saveScreenshot(page: Page): Promise<void> {
  await page.waitForSelector('[data-testid="movements-chart"] canvas');
  await page.waitForSelector('[data-testid="mrr-trend-chart"] canvas');
  // ECharts animates for ~300 ms: wait until two consecutive frames of every canvas are identical.
  let previous = "";
  await expect
    .poll(
      async () => {
        const current = await page.$$eval("canvas", (canvases) =>
          canvases.map((c) => (c instanceof HTMLCanvasElement ? c.toDataURL() : "")).join(","),
        );
        const settled = current === previous;
        previous = current;
        return settled;
      },
      { interval: 250 },
    )
    .toBe(true);
  await mkdir(join(repoRoot, "docs"), { recursive: true });
  await page.screenshot({ path: join(repoRoot, "docs/screenshot.png") });
}
