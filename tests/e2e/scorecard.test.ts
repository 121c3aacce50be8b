import { describe, expect, it } from "vitest";
import type { Scorecard } from "../../packages/web/src/api/account-types";
import type { ScorecardPreview } from "../../packages/web/src/features/health/scorecard-api";
import { skipBrowserTests } from "./support/chromium";
import { useDemoBrowser } from "./support/demo-browser";

const TODAY = "2026-11-15";
const field = (path: string) => `[data-testid="field-${path}"]`;
// Enterprise › People › Days since last touch: its first step ("under 15 days") scores 100.
const STEP_SCORE = "profiles[0].dimensions[0].measures[1].scoring.steps[0].score";
const PRODUCT_WEIGHT = '[data-testid="scorecard-enterprise-product-weight"]';

describe.skipIf(skipBrowserTests())("scorecard editor in Chromium", () => {
  const ui = useDemoBrowser({ today: TODAY, accounts: 300, seed: 42 });
  const { api, open } = ui;

  it("should preview, name an invalid field, then save and show the saved version and its changes", async () => {
    await open("/settings/scorecard", PRODUCT_WEIGHT);
    const before = await api<Scorecard>("/api/scorecard");
    expect(await ui.page.textContent('[data-testid="scorecard-version"]')).toBe(String(before.version));

    // Edit a band, a dimension weight and a step rule in the form.
    await ui.page.fill('[data-testid="scorecard-band-red"]', "60");
    await ui.page.fill(PRODUCT_WEIGHT, "50");
    await ui.page.fill(field(STEP_SCORE), "90");

    // Preview: the effect the server computes for the same draft, and nothing saved.
    await ui.page.click('[data-testid="scorecard-preview-button"]');
    const panel = ui.page.locator('[data-testid="scorecard-preview"]');
    await panel.waitFor();
    const draft = structuredClone(before);
    draft.bands.red = 60;
    (draft.profiles[0]?.dimensions[1] as { weight: number }).weight = 50;
    const touch = draft.profiles[0]?.dimensions[0]?.measures[1]?.scoring;
    if (touch?.type !== "steps") throw new Error("expected step scoring on days since last touch");
    (touch.steps[0] as { score: number }).score = 90;
    const expected = await api<ScorecardPreview>("/api/scorecard/preview", { method: "POST", body: draft });
    expect(expected.changedBand).toBeGreaterThan(0);
    expect(await panel.getAttribute("data-changed")).toBe(String(expected.changedBand));
    expect(await ui.page.textContent('[data-testid="preview-after-red"]')).toBe(
      expected.after.find((b) => b.band === "red")?.accounts.toLocaleString("en-US"),
    );
    const changed = await ui.page.$$eval('[data-testid="scorecard-preview-changes"] li', (lis) =>
      lis.map((li) => li.getAttribute("data-path")),
    );
    expect(changed).toEqual(expected.changes.map((c) => c.path));
    expect(changed).toContain(`${STEP_SCORE.replace(/\.steps\[0\]\.score$/, "")}`);
    expect((await api<Scorecard>("/api/scorecard")).version).toBe(before.version);

    // An invalid weight: the error names the field in words and the input is highlighted.
    await ui.page.fill(PRODUCT_WEIGHT, "-5");
    await ui.page.click('[data-testid="scorecard-preview-button"]');
    const issue = ui.page.locator('[data-testid="scorecard-issue"]').first();
    await issue.waitFor();
    expect(await issue.getAttribute("data-path")).toBe("profiles[0].dimensions[1].weight");
    expect(await issue.textContent()).toContain("Enterprise (high-touch) › Product › weight");
    expect(await ui.page.getAttribute(PRODUCT_WEIGHT, "aria-invalid")).toBe("true");

    // Fixed and saved: the form shows the stored version, the new values and what changed.
    await ui.page.fill(PRODUCT_WEIGHT, "50");
    await ui.page.click('[data-testid="scorecard-save"]');
    const banner = ui.page.locator('[data-testid="scorecard-saved"]');
    await banner.waitFor();
    const next = before.version + 1;
    expect(await banner.textContent()).toContain(`Saved as version ${next} (was ${before.version})`);
    expect(await ui.page.textContent('[data-testid="scorecard-version"]')).toBe(String(next));
    expect(await ui.page.inputValue(PRODUCT_WEIGHT)).toBe("50");
    expect(await ui.page.inputValue(field(STEP_SCORE))).toBe("90");
    const savedChanges = await ui.page.$$eval('[data-testid="scorecard-saved-changes"] li', (lis) =>
      lis.map((li) => li.getAttribute("data-property")),
    );
    // In the scorecard's order: bands, then Enterprise › People (the step), then Enterprise › Product.
    expect(savedChanges).toEqual(["redBelow", "scoring", "weight"]);

    const stored = await api<Scorecard>("/api/scorecard");
    expect(stored.version).toBe(next);
    expect(stored.profiles[0]?.dimensions[1]?.weight).toBe(50);

    // After a reload the form still shows the saved scorecard.
    await ui.page.reload();
    await ui.page.waitForSelector(PRODUCT_WEIGHT);
    expect(await ui.page.textContent('[data-testid="scorecard-version"]')).toBe(String(next));
    expect(await ui.page.inputValue(PRODUCT_WEIGHT)).toBe("50");
  });
});
