import { describe, expect, it } from "vitest";
import { detectSignals } from "./detect-signals";
import { quietContext } from "./test-fixtures";

/**
 * Seed 004 (神策数据, 客情诊断 from two directions): the two stories of the article, end to end
 * through detectSignals with the default settings.
 */
describe("seed 004 stories", () => {
  it("should raise breadth_collapse when many departments shrink to two people in one department with no new data", () => {
    // "交付后初期也有很多部门在使用,但半年之后,只剩下一个部门的两个人在继续使用 ... 并没有新的数据进入"
    const ctx = quietContext({
      accountId: "acme",
      weeklyActiveDepartments: [6, 6, 5, 5, 4, 3, 2, 2, 1, 1, 1, 1],
      weeklyActiveUsers: [40, 38, 35, 30, 24, 16, 9, 6, 3, 2, 2, 2],
      weeklyEvents: [5000, 5000, 4800, 4500, 3000, 2000, 1200, 800, 300, 250, 250, 240],
      newDataDays: 21,
      daysSinceLastLogin: 2,
    });
    const signals = detectSignals(ctx);
    const collapse = signals.find((s) => s.type === "breadth_collapse");
    expect(collapse).toMatchObject({
      kind: "risk",
      severity: "high",
      dedupKey: "breadth_collapse|acme|account",
    });
    expect(collapse?.evidence).toMatchObject({
      peakDepartments: 6,
      currentDepartments: 1,
      recentActiveUsers: 2,
      newDataDays: 21,
      noNewDataReason: "no_new_data",
    });
    expect(collapse?.summary).toBe(
      "Active departments fell from 6 to 1, with 2 active users left and no new data for 21 days.",
    );
    // The same shrinking also shows as a usage drop; both are risks.
    expect(signals.every((s) => s.kind === "risk")).toBe(true);
  });

  it("should raise quota_expansion and new_stakeholder when 70% of quota is used with 6 months left and a new business-line owner joins", () => {
    // "离购买的 1 年服务,还剩约 6 个月,但整个数据量的消耗已经达到 70% ... 客户对接人拉了一个新的业务线负责人进群"
    const ctx = quietContext({
      accountId: "sensors-client",
      asOf: "2024-07-01",
      weeklyActiveUsers: [30, 31, 32, 33, 34, 35, 36, 37],
      contractEnd: "2025-01-01",
      quota: { used: 7_000_000, entitled: 10_000_000, periodStart: "2024-01-01", periodEnd: "2025-01-01" },
      newStakeholders: [
        {
          id: "u-77",
          name: "Chen Jie",
          role: "Head of new business line",
          department: "Retail",
          firstSeenAt: "2024-06-27",
        },
      ],
    });
    const signals = detectSignals(ctx);
    expect(signals.map((s) => s.type).sort()).toEqual(["new_stakeholder", "quota_expansion"]);
    expect(signals.every((s) => s.kind === "opportunity")).toBe(true);

    const quota = signals.find((s) => s.type === "quota_expansion");
    expect(quota?.evidence).toMatchObject({
      usedPct: 70,
      monthsLeft: 6,
      projectedExhaustionDate: "2024-09-17",
      newStakeholders: 1,
    });
    // "继续用下去肯定无法支持 1 年": at the current pace it runs out before the contract ends.
    expect(quota?.severity).toBe("high");
    expect(quota?.summary).toContain("runs out on Sep 17, 2024");

    const person = signals.find((s) => s.type === "new_stakeholder");
    expect(person?.evidence).toMatchObject({ stakeholderId: "u-77", department: "Retail" });
    expect(person?.severity).toBe("medium");
  });
});
