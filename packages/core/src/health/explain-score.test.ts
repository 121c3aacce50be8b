import { describe, expect, it } from "vitest";
import { DEFAULT_SCORECARD } from "./default-scorecard";
import { describeMetricValue, explainScore, explainScoreText } from "./explain-score";
import { scoreAccount } from "./score-account";
import type { Scorecard } from "./scorecard-types";
import { account, simpleScorecard, UNHEALTHY } from "./test-fixtures";

describe("describeMetricValue", () => {
  it("should phrase trends, shares and counts when given metric values", () => {
    expect(describeMetricValue("activeUsersTrend", 0.48)).toBe("active users down 52% over 4 weeks");
    expect(describeMetricValue("activeUsersTrend", 1.25)).toBe("active users up 25% over 4 weeks");
    expect(describeMetricValue("activeUsersTrend", 1)).toBe("active users flat over 4 weeks");
    expect(describeMetricValue("keyRoleCoverage", 1 / 3)).toBe("1 of 3 key roles covered");
    expect(describeMetricValue("seatUtilisation", 0.456)).toBe("45.6% of seats used");
    expect(describeMetricValue("openUrgentTickets", 1)).toBe("1 open urgent ticket");
    expect(describeMetricValue("paymentIssues90d", 0)).toBe("no payment issues in 90 days");
    expect(describeMetricValue("mrrTrend3m", 0.9)).toBe("MRR down 10% over 3 months");
    expect(describeMetricValue("championPresent", 0)).toBe("no champion");
  });
});

describe("explainScore", () => {
  it("should list the overall score then each dimension worst first with its weakest measures", () => {
    const sc: Scorecard = simpleScorecard();
    const product = sc.profiles[0]?.dimensions[1];
    if (product === undefined) throw new Error("fixture");
    product.measures.push({
      key: "trend",
      label: "Trend",
      metric: "activeUsersTrend",
      weight: 1,
      scoring: { type: "linear", worst: 0.5, best: 1 },
    });
    const s = scoreAccount(sc, account(), {
      keyRoleCoverage: 1 / 3,
      daysSinceLastTouch: 10,
      seatUtilisation: 0.2,
      activeUsersTrend: 0.48,
    });
    // people: (33.3 + 90) / 2 = 61.7; product: (20 + 0) / 2 = 10 → 61.67/4 + 10*3/4 = 22.9
    expect(explainScoreText(s)).toEqual([
      "Health 22.9/100 (at risk)",
      "Product 10/100 (weight 75%): active users down 52% over 4 weeks; 20% of seats used",
      "People 61.7/100 (weight 25%): 1 of 3 key roles covered; last touch 10 days ago",
    ]);
  });

  it("should mention missing data and reweighting when values are missing", () => {
    const s = scoreAccount(simpleScorecard(), account(), { keyRoleCoverage: 1 });
    expect(explainScoreText(s)).toEqual([
      "Health 100/100 (healthy)",
      "People 100/100 (weight 100%): 3 of 3 key roles covered",
      "Product: no data, left out of the score",
      "No data for Touch; the other measures were reweighted",
    ]);
  });

  it("should say there is no score when nothing has data", () => {
    expect(explainScoreText(scoreAccount(simpleScorecard(), account(), {}))).toEqual([
      "No health score: none of the scorecard's metrics has data",
    ]);
  });

  it("should explain an unhealthy enterprise account in at most three measures per dimension", () => {
    const lines = explainScoreText(
      scoreAccount(DEFAULT_SCORECARD, account({ tier: "enterprise" }), UNHEALTHY),
    );
    expect(lines[0]).toMatch(/^Health \d+(\.\d)?\/100 \(at risk\)$/);
    expect(lines).toHaveLength(4);
    for (const line of lines.slice(1)) expect(line.split(": ")[1]?.split("; ").length).toBeLessThanOrEqual(3);
    expect(lines.some((l) => l.includes("active users down 60% over 4 weeks"))).toBe(true);
  });

  it("should compose each line from keys and figures when read in Chinese", () => {
    const s = scoreAccount(simpleScorecard(), account(), { keyRoleCoverage: 1 / 3, daysSinceLastTouch: 10 });
    const [total, people, product, missing] = explainScore(s);
    expect(total).toEqual({
      key: "explain.total",
      params: { score: expect.any(Number), band: { key: "explain.band.yellow", params: {} } },
    });
    expect(people?.key).toBe("explain.dimension");
    expect(product?.key).toBe("explain.dimensionNoData");
    expect(missing).toBeUndefined();
    expect(explainScoreText(s, "zh-CN")).toEqual([
      "健康分 61.7/100（需关注）",
      "人 61.7/100（权重 100%）：3 个关键角色中已覆盖 1 个；上次接触在 10 天前",
      "事：没有数据，未计入评分",
    ]);
  });

  it("should keep a label the user wrote and translate the product's own when listing missing measures", () => {
    const sc = simpleScorecard();
    const people = sc.profiles[0]?.dimensions[0];
    if (people === undefined) throw new Error("fixture");
    people.measures.push({
      key: "login",
      label: "Days since last login",
      metric: "daysSinceLastLogin",
      weight: 1,
      scoring: { type: "linear", worst: 60, best: 0 },
    });
    const lines = explainScoreText(scoreAccount(sc, account(), { keyRoleCoverage: 1 }), "zh-CN");
    expect(lines.at(-1)).toBe("Touch、距上次登录天数 没有数据；其余指标已重新分配权重");
  });
});
