import { describe, expect, it } from "vitest";
import { skipBrowserTests } from "../../../tests/e2e/support/chromium";
import { useDemoBrowser } from "../../../tests/e2e/support/demo-browser";

const TODAY = "2026-11-15";

/** Every main page and the element that says it rendered. */
const PAGES: [string, string][] = [
  ["/", '[data-testid="revenue-page"]'],
  ["/accounts", '[data-testid="accounts-page"]'],
  ["/worklist", '[data-testid="worklist-page"]'],
  ["/health/compare", '[data-testid="compare-page"]'],
  ["/predictions", '[data-testid="portfolio-page"]'],
  ["/predictions/backtest", '[data-testid="backtest-page"]'],
  ["/settings/scorecard", '[data-testid="scorecard-page"]'],
];

describe.skipIf(skipBrowserTests())("the built web app under the server's Content-Security-Policy", () => {
  const ui = useDemoBrowser({ accounts: 200, seed: 5, today: TODAY });

  it("should render every main page and chart tooltip without a CSP violation when served with the security headers", async () => {
    const violations: string[] = [];
    ui.page.on("console", (m) => {
      if (/Content Security Policy|Refused to/i.test(m.text())) violations.push(m.text());
    });
    await ui.page.addInitScript(() =>
      document.addEventListener("securitypolicyviolation", (e) =>
        console.error(`Refused to ${e.violatedDirective}: ${e.blockedURI}`),
      ),
    );
    const accounts = await ui.server.storage.accounts.list("default");
    const pages: [string, string][] = [
      ...PAGES,
      [`/accounts/${accounts[0]?.id}`, '[data-testid="account-page"]'],
    ];
    for (const [path, ready] of pages) {
      const res = await ui.page.goto(`${ui.server.url}${path}`);
      expect(res?.headers()["content-security-policy"], path).toContain("script-src 'self'");
      await ui.page.waitForSelector(ready);
      // Chart tooltips are HTML with style attributes: raise one on each chart.
      for (const canvas of await ui.page.$$("canvas")) {
        const box = await canvas.boundingBox();
        if (box !== null) await ui.page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      }
    }
    expect(violations).toEqual([]);
  });
});
