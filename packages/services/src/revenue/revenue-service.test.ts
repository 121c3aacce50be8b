import type { Subscription } from "@tenure/core";
import { minimalAccount, openTestStorage, type TestStorage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setClvSettings } from "../predictions/clv-settings";
import { RevenueService } from "./revenue-service";

const WS = "ws";

const sub = (id: string, accountId: string, extra: Partial<Subscription> = {}): Subscription => ({
  id,
  accountId,
  plan: "pro",
  startDate: "2026-01-01",
  endDate: null,
  amount: 100,
  currency: "USD",
  interval: "month",
  quantity: 1,
  discountPct: 0,
  trial: false,
  ...extra,
});

let t: TestStorage;
beforeAll(async () => {
  t = await openTestStorage("sqlite");
  const ids = Array.from({ length: 10 }, (_, i) => `a${i}`);
  await t.storage.accounts.upsertMany(
    WS,
    ids.map((id) => minimalAccount(id)),
  );
  await t.storage.products.upsertMany(WS, [{ id: "data-platform", name: "Data Platform" }]);
  await t.storage.plans.upsertMany(WS, [
    {
      id: "pro",
      productId: "data-platform",
      name: "Data Platform Pro (monthly)",
      interval: "month",
      amount: 100,
      currency: "USD",
    },
  ]);
  // Two churns in November (complete), none yet in the running December.
  await t.storage.subscriptions.upsertMany(WS, [
    ...ids.slice(2).map((id) => sub(`s-${id}`, id)),
    sub("s-a0", "a0", { endDate: "2026-11-10" }),
    sub("s-a1", "a1", { endDate: "2026-11-20" }),
  ]);
});
afterAll(async () => t?.cleanup());

const service = (today: string) =>
  new RevenueService(t.storage, { workspaceId: WS, reportingCurrency: "USD", today: () => today });

describe("KPI comparison period", () => {
  it("should compare the last complete month when the running month is partial", async () => {
    const kpis = await service("2026-12-07").kpis();
    expect(kpis.month).toBe("2026-11");
    expect(kpis.previousMonth).toBe("2026-10");
    expect(kpis.monthToDate).toBe("2026-12");
    expect(kpis.partial).toBe(false);
    const churn = kpis.tiles.find((x) => x.key === "logoChurnRate");
    // November lost 2 of 10 logos; the partial December (0 so far) must not show as an improvement.
    expect(churn?.value).toBeCloseTo(0.2, 6);
    expect(churn?.previous).toBe(0);
  });

  it("should show the running month, marked partial, when asked for it", async () => {
    const kpis = await service("2026-12-07").kpis({ to: "2026-12" });
    expect(kpis.month).toBe("2026-12");
    expect(kpis.partial).toBe(true);
  });

  it("should name the running month as month to date in the monthly metrics", async () => {
    const s = service("2026-12-07");
    expect(s.monthToDate()).toBe("2026-12");
    expect((await s.metrics()).at(-1)?.month).toBe("2026-12");
  });

  it("should mark nothing when the service has no clock", async () => {
    const s = new RevenueService(t.storage, { workspaceId: WS, reportingCurrency: "USD" });
    expect(s.monthToDate()).toBeNull();
    expect((await s.kpis()).partial).toBe(false);
  });
});

describe("segment values", () => {
  it("should give plans and products their catalogue names when the picker lists them", async () => {
    const segments = await service("2026-12-07").segments();
    expect(segments.find((x) => x.attribute === "plan")).toEqual({
      attribute: "plan",
      values: ["pro"],
      labels: { pro: "Data Platform Pro (monthly)" },
    });
    expect(segments.find((x) => x.attribute === "product")?.labels).toEqual({
      "data-platform": "Data Platform",
    });
  });
});

describe("one gross margin for every lifetime value", () => {
  it("should use the workspace's CLV margin for LTV when it is set, and an explicit margin over it", async () => {
    const fresh = () =>
      new RevenueService(t.storage, {
        workspaceId: WS,
        reportingCurrency: "USD",
        defaultGrossMargin: 1,
        today: () => "2026-12-07",
      });
    const before = await fresh().unitEconomics();
    expect(before.grossMargin).toBe(1);
    await setClvSettings(t.storage, WS, { grossMargin: 0.8, annualDiscountRate: 0.1 });
    const after = await fresh().unitEconomics();
    expect(after.grossMargin).toBe(0.8);
    const explicit = await new RevenueService(t.storage, {
      workspaceId: WS,
      reportingCurrency: "USD",
      grossMargin: 0.5,
      today: () => "2026-12-07",
    }).unitEconomics();
    expect(explicit.grossMargin).toBe(0.5);
  });
});
