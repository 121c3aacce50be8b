import { describe, expect, it } from "vitest";
import { DEMO_METERED_EVENT, DEMO_SYNCS_PER_SEAT } from "./entitlements";
import { generateDemoCompany } from "./generate-demo-company";

const AS_OF = "2026-11-15";
const company = generateDemoCompany();
const daysBetween = (a: string, b: string) => (Date.parse(b) - Date.parse(a)) / 86_400_000;

describe("demo quotas and departures", () => {
  it("should give every paid annual Data Platform term one allowance of seats × syncs per seat", () => {
    const metered = company.subscriptions.filter(
      (s) => s.plan.startsWith("data-platform-") && s.interval === "year" && !s.trial,
    );
    expect(metered.length).toBeGreaterThan(100);
    expect(company.entitlements).toHaveLength(metered.length);
    const bySub = new Map(company.entitlements.map((e) => [e.subscriptionId, e]));
    for (const s of metered) {
      const e = bySub.get(s.id);
      const edition = s.plan.split("-")[2] as keyof typeof DEMO_SYNCS_PER_SEAT;
      expect(e).toEqual({
        id: `ent_${s.id}`,
        accountId: s.accountId,
        subscriptionId: s.id,
        metric: DEMO_METERED_EVENT,
        quantity: s.quantity * DEMO_SYNCS_PER_SEAT[edition],
        periodStart: s.startDate,
        periodEnd: s.endDate,
      });
    }
    const current = company.entitlements.filter((e) => e.periodStart <= AS_OF && AS_OF < e.periodEnd);
    expect(current.length).toBeGreaterThan(100);
  });

  it("should have a few champions of current customers who left in the last 80 days", () => {
    const left = company.contacts.filter((c) => c.leftAt !== null);
    expect(left.length).toBeGreaterThan(10);
    expect(left.length).toBeLessThan(120);
    for (const c of left) {
      expect(c.role).toBe("champion");
      const ago = daysBetween(c.leftAt as string, AS_OF);
      expect(ago).toBeGreaterThanOrEqual(5);
      expect(ago).toBeLessThanOrEqual(80);
      if (c.lastTouchAt !== null) expect(c.lastTouchAt <= (c.leftAt as string)).toBe(true);
    }
  });

  it("should generate the same quotas and departures when called twice", () => {
    const again = generateDemoCompany();
    expect(again.contacts).toEqual(company.contacts);
    expect(again.entitlements).toEqual(company.entitlements);
  });
});
