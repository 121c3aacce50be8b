import { createSeededRng, type Subscription } from "@tenure/core";
import { describe, expect, it } from "vitest";
import { addDays, dayNumber } from "../health/days";
import { accountTimelineHistory, accountUsageHistory, type DemoUser, paidSpans } from "./usage-history";

const sub = (startDate: string, endDate: string | null, over: Partial<Subscription> = {}): Subscription => ({
  id: `s-${startDate}`,
  accountId: "a",
  plan: "pro",
  startDate,
  endDate,
  amount: 100,
  currency: "USD",
  interval: "month",
  quantity: 10,
  discountPct: 0,
  trial: false,
  ...over,
});

const users: DemoUser[] = Array.from({ length: 8 }, (_, i) => ({
  key: `u${i}`,
  department: "Sales",
  activity: 0.6,
  leftAt: null,
}));

/** Distinct users active in the `days` days before `end` (exclusive), shifted back by `back` days. */
const activeBefore = (rows: { userKey: string; day: string }[], end: string, back: number, days = 28) => {
  const hi = dayNumber(end) - back;
  return new Set(
    rows.filter((r) => dayNumber(r.day) < hi && dayNumber(r.day) >= hi - days).map((r) => r.userKey),
  ).size;
};

describe("demo usage history", () => {
  it("should merge touching and overlapping paid subscriptions into stretches when trials are left out", () => {
    expect(
      paidSpans([
        sub("2024-01-01", "2024-06-01"),
        sub("2024-06-01", "2024-09-01"),
        sub("2024-03-01", "2024-04-01"),
        sub("2024-12-01", null),
        sub("2023-01-01", "2023-02-01", { trial: true }),
      ]),
    ).toEqual([
      { start: "2024-01-01", end: "2024-09-01" },
      { start: "2024-12-01", end: null },
    ]);
  });

  it("should fade usage out before most churns and never show usage outside a paid stretch", () => {
    const window = { from: "2023-01-01", until: "2025-12-31", asOf: "2025-12-31" };
    let faded = 0;
    const runs = 200;
    for (let seed = 1; seed <= runs; seed++) {
      const end = addDays("2024-06-01", seed * 3);
      const rows = accountUsageHistory(users, [{ start: "2023-06-01", end }], window, createSeededRng(seed));
      expect(rows.every((r) => r.day >= "2023-06-01" && r.day < end)).toBe(true);
      if (activeBefore(rows, end, 0) < activeBefore(rows, end, 120) / 2) faded++;
    }
    // About six churns in seven fade first (the rest come without warning).
    expect(faded / runs).toBeGreaterThan(0.75);
    expect(faded / runs).toBeLessThan(0.97);
  });

  it("should keep an account that stays active to the end of the window when it does not churn", () => {
    const window = { from: "2024-01-01", until: "2025-12-31", asOf: "2025-12-31" };
    const rows = accountUsageHistory(users, [{ start: "2023-06-01", end: null }], window, createSeededRng(5));
    expect(activeBefore(rows, "2025-12-31", 0)).toBeGreaterThan(4);
  });

  it("should give tickets and detractor answers before a troubled churn when the timeline is drawn", () => {
    let late = 0;
    let early = 0;
    for (let seed = 1; seed <= 50; seed++) {
      let id = 0;
      const entries = accountTimelineHistory(
        { id: "a", owner: "csm" },
        ["c1", "c2"],
        [{ start: "2023-01-01", end: "2025-01-01" }],
        { from: "2023-01-01", until: "2025-12-31", asOf: "2025-12-31" },
        createSeededRng(seed),
        () => `t${++id}`,
      );
      for (const e of entries.filter((x) => x.type === "ticket"))
        if (e.occurredAt >= "2024-10-03") late++;
        else if (e.occurredAt >= "2024-07-05" && e.occurredAt < "2024-10-03") early++;
    }
    expect(late).toBeGreaterThan(early * 2);
  });
});
