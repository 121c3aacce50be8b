import { describe, expect, it } from "vitest";
import type {
  AccountOverview,
  AccountsResponse,
  TimelineEntry,
  TimelineResponse,
  WorklistResponse,
} from "../../packages/web/src/api/account-types";
import { en } from "../../packages/web/src/i18n/en";
import { skipBrowserTests } from "./support/chromium";
import { useDemoBrowser } from "./support/demo-browser";

const TODAY = "2026-11-15";

describe.skipIf(skipBrowserTests())("accounts, worklist and account page in Chromium", () => {
  // A smaller demo company than the dashboard test: these pages are about behaviour, not volume.
  const ui = useDemoBrowser({ today: TODAY, accounts: 300, seed: 42 });
  const { api, open } = ui;

  async function rowIds(selector: string): Promise<string[]> {
    return ui.page.$$eval(selector, (rows) => rows.map((r) => r.getAttribute("data-account-id") ?? ""));
  }

  it("should list the demo accounts by ARR, largest first, when the accounts page opens", async () => {
    await open("/accounts", '[data-testid="account-row"]');
    const expected = await api<AccountsResponse>("/api/accounts?sort=arr&order=desc&limit=5000");
    expect(expected.total).toBeGreaterThan(50);

    await expect
      .poll(() => ui.page.getAttribute('[data-testid="accounts-count"]', "data-value"))
      .toBe(String(expected.total));
    // The table is virtualised: only the rows in view exist, and they are the first ones.
    const shown = await rowIds('[data-testid="account-row"]');
    expect(shown.length).toBeGreaterThan(5);
    expect(shown.length).toBeLessThan(expected.total);
    expect(shown).toEqual(expected.accounts.slice(0, shown.length).map((a) => a.id));
    const arrs = expected.accounts.map((a) => a.arr);
    for (let i = 1; i < arrs.length; i++) expect(arrs[i]).toBeLessThanOrEqual(arrs[i - 1] as number);

    // Scrolling far down renders rows from further down the list.
    await ui.page.locator('[data-testid="accounts-table"]').evaluate((el) => {
      el.scrollTop = 40 * 200;
    });
    await expect
      .poll(async () =>
        Number(await ui.page.locator('[data-testid="account-row"]').first().getAttribute("data-row-index")),
      )
      .toBeGreaterThan(100);

    // A name opens the account's ui.page.
    await ui.page.locator('[data-testid="account-row"] [data-testid="account-link"]').first().click();
    await ui.page.waitForSelector('[data-testid="account-header"]');
    expect(new URL(ui.page.url()).pathname).toMatch(/^\/accounts\/.+/);
  });

  it("should order the worklist by priority when it opens", async () => {
    await open("/worklist", '[data-testid="worklist-row"]');
    const expected = await api<WorklistResponse>("/api/worklist");
    expect(expected.accounts.length).toBeGreaterThan(0);
    const rows = await ui.page.$$eval('[data-testid="worklist-row"]', (trs) =>
      trs.map((tr) => ({
        id: tr.getAttribute("data-account-id"),
        priority: Number(tr.getAttribute("data-priority")),
      })),
    );
    expect(rows.map((r) => r.id)).toEqual(expected.accounts.slice(0, rows.length).map((a) => a.id));
    for (let i = 1; i < rows.length; i++) {
      expect(rows[i]?.priority).toBeLessThanOrEqual(rows[i - 1]?.priority as number);
    }
    for (const row of expected.accounts) {
      expect(row.band === "red" || row.band === "yellow" || row.riskSignals > 0, row.id).toBe(true);
    }
  });

  it("should show the API's overview values in the account header", async () => {
    await open("/accounts", '[data-testid="account-row"]');
    const list = await api<AccountsResponse>("/api/accounts?sort=arr&order=desc&limit=1");
    const id = list.accounts[0]?.id ?? "";
    const overview = await api<AccountOverview>(`/api/accounts/${encodeURIComponent(id)}/overview`);

    await open(`/accounts/${encodeURIComponent(id)}`, '[data-testid="account-header"]');
    const value = (testId: string) => ui.page.getAttribute(`[data-testid="${testId}"]`, "data-value");
    expect(await ui.page.textContent('[data-testid="account-name"]')).toBe(overview.account.name);
    expect(Number(await value("header-arr"))).toBeCloseTo(overview.arr, 6);
    expect(await value("header-score")).toBe(
      overview.health?.score == null ? "" : String(overview.health.score),
    );
    expect(await ui.page.getAttribute('[data-testid="header-band"]', "data-band")).toBe(
      overview.health?.band ?? "none",
    );
    expect(await value("header-stage")).toBe(overview.account.lifecycleStage ?? "");
    expect(await value("header-owner")).toBe(overview.account.owner ?? "");
    expect(await value("header-renewal")).toBe(overview.renewalDate ?? "");
    if (overview.health) expect(await value("header-trend")).toBe(overview.health.trend);
  });

  it("should show a note added through the UI on the timeline and persist it", async () => {
    const list = await (async () => {
      await open("/accounts", '[data-testid="account-row"]');
      return api<AccountsResponse>("/api/accounts?sort=name&order=asc&limit=1");
    })();
    const id = list.accounts[0]?.id ?? "";
    await open(`/accounts/${encodeURIComponent(id)}`, '[data-testid="timeline-form"]');

    const title = `Renewal call prep ${Date.now()}`;
    await ui.page.fill('[data-testid="timeline-form-title"]', title);
    await ui.page.fill('[data-testid="timeline-form-body"]', "Agreed to review seat usage with the CFO.");
    await ui.page.click('[data-testid="timeline-form-submit"]');

    const entry = ui.page.locator('[data-testid="timeline-entry"]', { hasText: title });
    await entry.waitFor();
    expect(await entry.getAttribute("data-type")).toBe("note");

    const stored = await api<TimelineResponse>(`/api/accounts/${encodeURIComponent(id)}/timeline?types=note`);
    const saved = stored.entries.find((e: TimelineEntry) => e.title === title);
    expect(saved?.type).toBe("note");
    expect(saved?.body).toBe("Agreed to review seat usage with the CFO.");

    // Still there after a reload.
    await ui.page.reload();
    await ui.page.locator('[data-testid="timeline-entry"]', { hasText: title }).waitFor();
  });

  it("should show only the chosen entry types when the timeline is filtered", async () => {
    await open("/accounts", '[data-testid="account-row"]');
    const list = await api<AccountsResponse>("/api/accounts?sort=arr&order=desc&limit=1");
    const id = list.accounts[0]?.id ?? "";
    const path = `/api/accounts/${encodeURIComponent(id)}/timeline`;
    await api(path, { method: "POST", body: { type: "note", title: "Filter me: note" } });
    await api(path, {
      method: "POST",
      body: {
        type: "observation",
        title: "Filter me: observation",
        data: { cooperationWillingness: 4, executiveSponsorEngaged: true, sentiment: "positive" },
      },
    });
    await api(path, { method: "POST", body: { type: "call", title: "Filter me: call" } });

    await open(`/accounts/${encodeURIComponent(id)}`, '[data-testid="timeline-entry"]');
    const types = () =>
      ui.page.$$eval('[data-testid="timeline-entry"]', (els) => [
        ...new Set(els.map((e) => e.getAttribute("data-type"))),
      ]);
    await expect.poll(async () => (await types()).length).toBeGreaterThanOrEqual(3);

    await ui.page.click('[data-testid="timeline-filter-observation"]');
    await expect.poll(types).toEqual(["observation"]);
    const observation = ui.page.locator('[data-testid="timeline-entry"]', {
      hasText: "Filter me: observation",
    });
    await expect.poll(() => observation.textContent()).toContain("4 / 5");

    await ui.page.click('[data-testid="timeline-filter-note"]');
    await expect.poll(async () => (await types()).sort()).toEqual(["note", "observation"]);

    await ui.page.click('[data-testid="timeline-filter-all"]');
    await expect.poll(async () => (await types()).includes("call")).toBe(true);
  });

  it("should label a signal's evidence in words and leave its ids out when the account page opens", async () => {
    await open("/worklist", '[data-testid="worklist-row"]');
    const worklist = await api<WorklistResponse>("/api/worklist");
    const labels = en.signals.evidence as Record<string, string>;
    let found: { id: string; key: string; value: unknown } | undefined;
    for (const row of worklist.accounts) {
      const overview = await api<AccountOverview>(`/api/accounts/${encodeURIComponent(row.id)}/overview`);
      for (const signal of overview.signals.filter((s) => s.status !== "resolved")) {
        // Plain figures (percentages and money have their own formats, tested by their formatters).
        const key = Object.keys(signal.evidence).find(
          (k) => k in labels && typeof signal.evidence[k] === "number" && !k.endsWith("Pct") && k !== "mrr",
        );
        if (key) found = { id: row.id, key, value: signal.evidence[key] };
        if (found) break;
      }
      if (found) break;
    }
    expect(found, "a worklist account with a signal whose evidence has a labelled figure").toBeDefined();
    const { id, key, value } = found as { id: string; key: string; value: number };

    await open(`/accounts/${encodeURIComponent(id)}`, '[data-testid="signal"]');
    const item = ui.page.locator(`[data-testid="signal"] [data-evidence-key="${key}"]`).first();
    expect(await item.locator("dt").textContent()).toBe(labels[key]);
    expect((await item.locator("dd").textContent())?.replace(/[,%]/g, "")).toBe(
      String(Math.round(value * 100) / 100),
    );
    const keys = await ui.page.$$eval('[data-testid="signal"] [data-evidence-key]', (els) =>
      els.map((e) => e.getAttribute("data-evidence-key")),
    );
    expect(keys.length).toBeGreaterThan(0);
    expect(keys).not.toContain("contactId");
    expect(keys).not.toContain("dedupKey");
  });

  it("should show each segment's bands and histogram when health is compared by tier", async () => {
    await open("/health/compare?attribute=tier", '[data-testid="compare-row"]');
    const expected = await api<{ segments: { value: string | null; histogram: number[] }[] }>(
      "/api/scores/compare?attribute=tier",
    );
    const rows = await ui.page.$$eval('[data-testid="compare-row"]', (trs) =>
      trs.map((tr) => ({
        segment: tr.getAttribute("data-segment"),
        histogram: tr.querySelector('[data-testid="segment-histogram"]')?.getAttribute("data-value"),
      })),
    );
    expect(rows).toEqual(
      expected.segments.map((s) => ({ segment: s.value ?? "", histogram: s.histogram.join(",") })),
    );
    await ui.page.locator('[data-testid="compare-heatmap-chart"] canvas').first().waitFor();

    await open("/settings/scorecard", '[data-testid="scorecard-band-red"]');
    const scorecard = await api<{ bands: { red: number } }>("/api/scorecard");
    expect(Number(await ui.page.inputValue('[data-testid="scorecard-band-red"]'))).toBe(scorecard.bands.red);
  });
});
