import { describe, expect, it } from "vitest";
import type { UsageSummary } from "../../packages/web/src/api/account-types";
import { skipBrowserTests } from "./support/chromium";
import { useDemoBrowser } from "./support/demo-browser";

const TODAY = "2026-11-15";

interface SignalsResponse {
  signals: { type: string; accountId: string; evidence: Record<string, string | number | null> }[];
}

describe.skipIf(skipBrowserTests())(
  "quota pace and contacts who left on the account page in Chromium",
  () => {
    // The accounts test's demo size and seed: it has heavy Data Platform users and champions who left.
    const ui = useDemoBrowser({ today: TODAY, accounts: 300, seed: 42 });
    const { api, open } = ui;

    /** A live signal of the type: open, or acknowledged by its owner (the demo acknowledges some). */
    async function openSignal(type: string, kind: "risk" | "opportunity") {
      await open("/accounts", '[data-testid="account-row"]');
      const signals = [];
      for (const status of ["open", "acknowledged"])
        signals.push(...(await api<SignalsResponse>(`/api/signals?status=${status}&kind=${kind}`)).signals);
      const signal = signals.find((s) => s.type === type);
      expect(signal, `the demo has a live ${type} signal`).toBeDefined();
      return signal as SignalsResponse["signals"][number];
    }

    it("should chart the quota pace of an account whose quota runs out before its contract ends", async () => {
      const signal = await openSignal("quota_expansion", "opportunity");
      const id = encodeURIComponent(signal.accountId);
      const summary = await api<UsageSummary>(`/api/accounts/${id}/usage/summary`);
      const quota = summary.quota;
      expect(quota?.usedRatio).toBeGreaterThanOrEqual(0.7);

      await open(`/accounts/${id}`, '[data-testid="quota-pace-chart"] canvas');
      const chart = ui.page.locator('[data-testid="quota-pace-chart"]').first();
      expect(await chart.getAttribute("data-status")).toBe(quota?.status);
      expect(["exhausts_early", "exhausted"]).toContain(await chart.getAttribute("data-status"));
      expect(await chart.getAttribute("data-exhaustion")).toBe(quota?.exhaustionDate);
      expect(await chart.getAttribute("data-contract-end")).toBe(quota?.periodEnd);
      expect(Number(await chart.getAttribute("data-used-ratio"))).toBeCloseTo(quota?.usedRatio ?? -1, 9);
      expect(await chart.textContent()).toContain("Quota pace: Data Sync");
      expect(await chart.textContent()).toMatch(/Runs out before the contract ends|Used up/);
      const box = await chart.locator("canvas").first().boundingBox();
      expect(box?.width ?? 0).toBeGreaterThan(200);
      expect(box?.height ?? 0).toBeGreaterThan(100);
    });

    it("should show a champion who left on the contacts card, as the champion_left signal says", async () => {
      const signal = await openSignal("champion_left", "risk");
      const id = encodeURIComponent(signal.accountId);
      const contactId = String(signal.evidence.contactId);

      await open(`/accounts/${id}`, '[data-testid="contacts-table"]');
      const row = ui.page.locator(`[data-testid="contacts-table"] tr[data-contact-id="${contactId}"]`);
      expect(await row.getAttribute("data-left-at")).toBe(signal.evidence.leftAt);
      expect(await row.getAttribute("data-role")).toBe("champion");
      expect(await row.locator('[data-testid="contact-left"]').textContent()).toMatch(/^Left /);
      expect(await row.textContent()).toContain(String(signal.evidence.contactName));
      // The signal itself is on the same ui.page.
      expect(await ui.page.textContent('[data-testid="account-signals"]')).toContain("Champion left");
    });
  },
);
