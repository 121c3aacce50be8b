import { trainAndBacktest } from "@tenure/services";
import type { Response } from "playwright-core";
import { describe, expect, it } from "vitest";
import { skipBrowserTests } from "./support/chromium";
import { useDemoBrowser } from "./support/demo-browser";

const TODAY = "2026-11-15";

/** Every page of the navigation, and an account page (added once the worklist names one). */
const PAGES = [
  "/revenue",
  "/accounts",
  "/worklist",
  "/health/compare",
  "/predictions",
  "/predictions/backtest",
  "/settings/scorecard",
  "/settings/team",
  "/settings/sso",
  "/tasks",
  "/playbooks",
  "/automations",
  "/renewals",
  "/effects",
  "/onboarding",
  "/coverage",
] as const;

/**
 * Words that are no translation's business: the product's name, the language switch's own "English", the file
 * format named on the export button.
 */
const ALWAYS_ALLOWED = new Set(["Tenure", "English", "Excel"]);

/**
 * Keys of API fields that hold English the server composed (the web app renders their keys instead) or
 * scorecard configuration: their words are not data and must not be allowed.
 */
const NOT_DATA_KEYS = new Set([
  "text",
  "summary",
  "title",
  "body",
  "description",
  "message",
  "explanation",
  // A score's dimensions and measures carry the scorecard's labels: the product's own must be translated.
  "dimensions",
]);

/** Keys whose strings are names whatever their case (a department called "sales" is data, not a code). */
const NAME_KEYS = new Set([
  "name",
  "names",
  "accountName",
  "contactName",
  "department",
  "owner",
  "event",
  "email",
]);

/** Latin words of 3+ letters outside numbers, ids, e-mails and URLs (as ../shared/tools/look.mjs counts them). */
function englishWords(text: string): string[] {
  return text.replace(/\S+@\S+|https?:\S+|\b[\w-]*\d[\w-]*\b/g, " ").match(/\b[A-Za-z][a-z]{2,}\b/g) ?? [];
}

/**
 * Data values the page's API answers carry (names of accounts, people, plans, events, departments): strings
 * with a capital or a space. All-lowercase tokens are codes (tiers, channels, bands) and must be translated.
 */
function collectDataWords(value: unknown, key: string, out: Set<string>): void {
  if (NOT_DATA_KEYS.has(key)) return;
  if (typeof value === "string") {
    if (NAME_KEYS.has(key) || /[A-Z\s]/.test(value)) for (const w of englishWords(value)) out.add(w);
  } else if (Array.isArray(value)) {
    for (const v of value) collectDataWords(v, key, out);
  } else if (value !== null && typeof value === "object") {
    for (const [k, v] of Object.entries(value)) collectDataWords(v, k, out);
  }
}

describe.skipIf(skipBrowserTests())("every page in Simplified Chinese, reported in CNY", () => {
  const ui = useDemoBrowser({
    today: TODAY,
    accounts: 300,
    seed: 42,
    reportingCurrency: "CNY",
    afterStart: async (server) => {
      for (const target of ["churn", "expansion"] as const)
        await trainAndBacktest(server.storage, "default", { asOf: TODAY, target, reportingCurrency: "CNY" });
    },
  });

  /** Opens a page in Chinese and returns its visible text outside data (translate="no") and the data words its API answers carry. */
  async function visit(path: string): Promise<{ text: string; data: Set<string> }> {
    const page = ui.page;
    const data = new Set<string>();
    const pending: Promise<void>[] = [];
    const onResponse = (res: Response) => {
      const url = new URL(res.url());
      // The scorecard is configuration (its labels are the product's own, and must be translated).
      if (!url.pathname.startsWith("/api/") || url.pathname.startsWith("/api/scorecard")) return;
      if (!(res.headers()["content-type"] ?? "").includes("json")) return;
      pending.push(
        res
          .json()
          .then((body: unknown) => collectDataWords(body, "", data))
          .catch(() => undefined),
      );
    };
    page.on("response", onResponse);
    await page.goto(`${ui.server.url}${path}`, { waitUntil: "networkidle" });
    await page.waitForSelector(".page, [data-testid$='-page'], main");
    page.off("response", onResponse);
    await Promise.all(pending);
    const text = await page.evaluate(() => {
      // Visible text nodes, each its own word run. What a person wrote or a value stored as data is marked
      // translate="no"; the language switch's options are each in their own language.
      const skip = '[translate="no"], option, script, style, [hidden]';
      const parts: string[] = [];
      const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
      for (let node = walker.nextNode(); node !== null; node = walker.nextNode()) {
        const el = node.parentElement;
        if (el === null || el.closest(skip) || el.getClientRects().length === 0) continue;
        parts.push(node.textContent ?? "");
      }
      return parts.join(" ");
    });
    return { text, data };
  }

  async function chinese(): Promise<void> {
    await ui.page.addInitScript(() => localStorage.setItem("tenure.language", "zh-CN"));
  }

  /** The worklist's first account (the page is opened first: the API is called from it, with its session). */
  async function firstWorklistAccount(): Promise<string> {
    await ui.open("/worklist", '[data-testid="worklist-page"]');
    const worklist = await ui.api<{ accounts: { id: string }[] }>("/api/worklist");
    const id = worklist.accounts[0]?.id;
    if (id === undefined) throw new Error("the demo's worklist is empty");
    return id;
  }

  it("should leave no English word outside data values on any page when the language is Chinese", async () => {
    await chinese();
    const account = await firstWorklistAccount();
    const left: Record<string, string[]> = {};
    for (const path of [...PAGES, `/accounts/${account}`]) {
      const { text, data } = await visit(path);
      expect(text, path).toMatch(/[\u4e00-\u9fff]/);
      const words = [...new Set(englishWords(text))].filter((w) => !ALWAYS_ALLOWED.has(w) && !data.has(w));
      if (words.length > 0) left[path] = words;
    }
    expect(left).toEqual({});
  });

  it("should show every amount in yuan and no dollar sign when the reporting currency is CNY", async () => {
    await chinese();
    for (const path of ["/revenue", "/accounts", "/worklist", "/predictions"]) {
      const { text } = await visit(path);
      expect(text, path).toContain("¥");
      expect(text, path).not.toMatch(/\$/);
    }
    const me = await ui.api<{ reportingCurrency: string }>("/api/me");
    expect(me.reportingCurrency).toBe("CNY");
  });

  it("should ask for dates in the Chinese order and read them back when the browser speaks English", async () => {
    await chinese();
    await ui.open(`/accounts/${await firstWorklistAccount()}`, '[data-testid="timeline-form-date"]');
    const field = ui.page.locator('[data-testid="timeline-form-date"]');
    expect(await field.getAttribute("placeholder")).toBe("年/月/日");
    await field.fill("2026/2/30");
    expect(await field.getAttribute("aria-invalid")).toBe("true");
    await field.fill("2026/11/3");
    expect(await field.getAttribute("aria-invalid")).toBeNull();
  });

  it("should download the worklist as an Excel file named for it when the export button is pressed", async () => {
    await chinese();
    await ui.open("/worklist", '[data-testid="export-worklist"]');
    const [download] = await Promise.all([
      ui.page.waitForEvent("download"),
      ui.page.click('[data-testid="export-worklist"]'),
    ]);
    expect(download.suggestedFilename()).toBe(`tenure-worklist-${TODAY}.xlsx`);
    expect(await ui.page.locator('[data-testid="export-worklist"]').textContent()).toBe("导出 Excel");
  });
});
