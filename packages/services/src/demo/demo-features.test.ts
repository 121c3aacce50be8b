import { CONTACT_ROLES, type Subscription } from "@tenure/core";
import { describe, expect, it } from "vitest";
import { activeOn, earliest, productOf, rowMrr, rowsByAccount } from "./demo-checks";
import { generateDemoCompany } from "./generate-demo-company";

const DEFAULT_AS_OF = "2026-11-15";
const company = generateDemoCompany();

describe("generateDemoCompany features", () => {
  const byAccount = rowsByAccount(company);
  const product = productOf(company);
  const paid = company.subscriptions.filter((s) => !s.trial);

  /** Products an account started paying for (rows starting on its first paid day). */
  const startBundle = (id: string): number => {
    const list = (byAccount.get(id) ?? []).filter((s) => !s.trial);
    const first = earliest(
      list.map((s) => s.startDate),
      "9999-12-31",
    );
    return new Set(list.filter((s) => s.startDate === first).map(product)).size;
  };

  it("should use monthly and annual plans, all three currencies and every tier", () => {
    expect(new Set(paid.map((s) => s.interval))).toEqual(new Set(["month", "year"]));
    expect(new Set(company.subscriptions.map((s) => s.currency))).toEqual(new Set(["USD", "EUR", "CNY"]));
    const tiers = company.accounts.map((a) => a.tier);
    const enterpriseShare = tiers.filter((t) => t === "enterprise").length / tiers.length;
    expect(enterpriseShare).toBeGreaterThan(0.08);
    expect(enterpriseShare).toBeLessThan(0.18);
    expect(tiers).toContain("smb");
    expect(tiers).toContain("mid-market");
    expect(company.products.length).toBeGreaterThanOrEqual(3);
  });

  it("should have annual rows of exactly one year and open-ended monthly rows", () => {
    const annual = paid.filter((s) => s.interval === "year");
    for (const s of annual) {
      const end = `${Number(s.startDate.slice(0, 4)) + 1}${s.startDate.slice(4)}`;
      expect(s.endDate).toBe(end);
    }
    expect(paid.some((s) => s.interval === "month" && s.endDate === null)).toBe(true);
  });

  it("should sell single products and bundles of two and three products", () => {
    const sizes = company.accounts.map((a) => startBundle(a.id));
    for (const n of [1, 2, 3]) expect(sizes.filter((s) => s === n).length).toBeGreaterThan(50);
  });

  it("should retain bundle customers better than single-product customers", () => {
    const churnShare = (n: number) => {
      const ids = company.accounts.filter((a) => startBundle(a.id) === n);
      return ids.filter((a) => a.lifecycleStage === "churned").length / ids.length;
    };
    expect(churnShare(1)).toBeGreaterThan(1.5 * churnShare(3));
    expect(churnShare(1)).toBeGreaterThan(churnShare(2));
  });

  it("should include converted trials and trials that never converted", () => {
    let converted = 0;
    let lost = 0;
    for (const rows of byAccount.values()) {
      const trial = rows.find((s) => s.trial);
      if (!trial) continue;
      if (rows.some((s) => !s.trial && s.startDate === trial.endDate)) converted++;
      else if (rows.every((s) => s.trial)) lost++;
    }
    expect(converted).toBeGreaterThan(100);
    expect(lost).toBeGreaterThan(20);
  });

  it("should include 100%-discount partner accounts", () => {
    const free = paid.filter((s) => s.discountPct === 100);
    expect(free.length).toBeGreaterThan(0);
    expect(new Set(free.map((s) => s.accountId)).size).toBeGreaterThan(5);
    expect(paid.some((s) => s.discountPct > 0 && s.discountPct <= 30)).toBe(true);
  });

  it("should include churned and reactivated accounts when a paying gap exists", () => {
    let reactivated = 0;
    for (const rows of byAccount.values()) {
      const list = rows.filter((s) => !s.trial).sort((a, b) => (a.startDate < b.startDate ? -1 : 1));
      let coveredUntil: string | null = "";
      for (const s of list) {
        if (coveredUntil !== null && coveredUntil !== "" && s.startDate > coveredUntil) {
          reactivated++;
          break;
        }
        if (s.endDate === null) coveredUntil = null;
        else if (coveredUntil !== null && s.endDate > coveredUntil) coveredUntil = s.endDate;
      }
    }
    expect(reactivated).toBeGreaterThan(10);
    const churned = company.accounts.filter(
      (a) => a.lifecycleStage === "churned" && !a.tags.includes("trial-expired"),
    );
    expect(churned.length).toBeGreaterThan(200);
    for (const stage of ["onboarding", "adoption", "retention", "expansion", "advocacy"]) {
      expect(company.accounts.some((a) => a.lifecycleStage === stage)).toBe(true);
    }
  });

  it("should include expansions and contractions when consecutive rows change MRR", () => {
    let up = 0;
    let down = 0;
    const byEnd = new Map<string, Subscription>();
    for (const s of paid) if (s.endDate) byEnd.set(`${s.accountId}|${product(s)}|${s.endDate}`, s);
    for (const s of paid) {
      const prev = byEnd.get(`${s.accountId}|${product(s)}|${s.startDate}`);
      if (!prev) continue;
      if (rowMrr(s) > rowMrr(prev) + 1e-9) up++;
      if (rowMrr(s) < rowMrr(prev) - 1e-9) down++;
    }
    expect(up).toBeGreaterThan(100);
    expect(down).toBeGreaterThan(30);
    expect(paid.some((s) => s.quantity > 1)).toBe(true);
  });

  it("should walk exchange rates around 1.08 for EUR and 0.138 for CNY", () => {
    const mean = (cur: string) => {
      const rs = company.exchangeRates.filter((r) => r.currency === cur).map((r) => r.rate);
      expect(rs).toHaveLength(37);
      return rs.reduce((a, b) => a + b, 0) / rs.length;
    };
    expect(mean("EUR")).toBeGreaterThan(1.0);
    expect(mean("EUR")).toBeLessThan(1.16);
    expect(mean("CNY")).toBeGreaterThan(0.128);
    expect(mean("CNY")).toBeLessThan(0.148);
  });

  it("should give plausible unit economics when CAC, LTV and payback are computed simply", () => {
    const rateOf = (cur: string, date: string): number => {
      if (cur === "USD") return 1;
      const month = `${date.slice(0, 7)}-01`;
      return company.exchangeRates.find((r) => r.currency === cur && r.date === month)?.rate ?? 0;
    };
    const usd = (s: Subscription) => rowMrr(s) * rateOf(s.currency, s.startDate);
    const payingOn = (rows: Subscription[], date: string) =>
      rows.some((s) => activeOn(s, date) && rowMrr(s) > 0);

    // New customers and their first MRR.
    const newMrr: number[] = [];
    for (const rows of byAccount.values()) {
      const list = rows.filter((s) => rowMrr(s) > 0);
      const first = earliest(
        list.map((s) => s.startDate),
        "9999-12-31",
      );
      if (list.length) newMrr.push(list.filter((s) => s.startDate === first).reduce((t, s) => t + usd(s), 0));
    }
    const spend = company.spend.reduce((t, s) => t + s.amount, 0);
    const cac = spend / newMrr.length;
    const arpaNew = newMrr.reduce((a, b) => a + b, 0) / newMrr.length;
    const payback = cac / arpaNew;

    // Average monthly logo churn over the last 12 months, ARPA at asOf.
    const monthStarts = Array.from({ length: 13 }, (_, i) => {
      const m = 10 + i; // 2025-11 .. 2026-11
      return `${2025 + Math.floor(m / 12)}-${String((m % 12) + 1).padStart(2, "0")}-01`;
    });
    let churnSum = 0;
    for (let i = 1; i < monthStarts.length; i++) {
      let base = 0;
      let lost = 0;
      for (const rows of byAccount.values()) {
        if (!payingOn(rows, monthStarts[i - 1] ?? "")) continue;
        base++;
        if (!payingOn(rows, monthStarts[i] ?? "")) lost++;
      }
      churnSum += lost / base;
    }
    const churn = churnSum / 12;
    let mrr = 0;
    let customers = 0;
    for (const rows of byAccount.values()) {
      const live = rows.filter((s) => activeOn(s, DEFAULT_AS_OF) && rowMrr(s) > 0);
      if (live.length) customers++;
      mrr += live.reduce((t, s) => t + usd(s), 0);
    }
    const ltv = mrr / customers / churn;

    expect(churn).toBeGreaterThan(0.01);
    expect(churn).toBeLessThan(0.035);
    expect(payback).toBeGreaterThan(8);
    expect(payback).toBeLessThan(17);
    expect(ltv / cac).toBeGreaterThan(3);
    expect(ltv / cac).toBeLessThan(6);
  });

  it("should make sales-led channels cost more per customer than self-serve ones", () => {
    const cacOf = (channel: string) => {
      const spend = company.spend.filter((s) => s.channel === channel).reduce((t, s) => t + s.amount, 0);
      const won = company.accounts.filter((a) => a.channel === channel && a.billingId !== null).length;
      return spend / won;
    };
    expect(cacOf("outbound")).toBeGreaterThan(3 * cacOf("paid_search"));
    expect(cacOf("events")).toBeGreaterThan(3 * cacOf("organic"));
  });

  it("should give accounts owners, channels with UTM tags, contacts and custom fields", () => {
    const owners = new Set(company.accounts.map((a) => a.owner));
    expect(owners.size).toBeGreaterThanOrEqual(8);
    expect(owners.has("Tech Touch")).toBe(true);
    expect(
      company.accounts.filter((a) => a.tier === "enterprise").every((a) => a.owner !== "Tech Touch"),
    ).toBe(true);
    expect(new Set(company.accounts.map((a) => a.channel)).size).toBe(6);
    expect(company.accounts.some((a) => a.utmCampaign !== null && a.utmMedium === "cpc")).toBe(true);
    expect(company.accounts.every((a) => typeof a.customFields.employees === "number")).toBe(true);
    expect(new Set(company.contacts.map((c) => c.role))).toEqual(new Set([...CONTACT_ROLES, null]));
    const first = company.accounts[0];
    const email = company.contacts.find((c) => c.accountId === first?.id)?.email ?? "";
    expect(email).toMatch(/@[a-z0-9]+\.[a-z]+$/);
  });
});
