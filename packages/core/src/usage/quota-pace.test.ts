import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { TenureError } from "../errors";
import { mostPressingQuota, quotaConsumption, quotaPace } from "./quota-pace";

// 2024 is a leap year: the term 2024-01-01 .. 2025-01-01 (exclusive) has 366 days.
const year = { quantity: 1000, periodStart: "2024-01-01", periodEnd: "2025-01-01", metric: "Export" };

describe("quotaPace", () => {
  it("should project an early exhaustion when 70% is used half-way through the term", () => {
    // 2024-06-30 is day 182 of the term (31+29+31+30+31+30); 700 / 182 = 3.846 a day.
    const p = quotaPace(year, 700, "2024-06-30");
    expect(p).toMatchObject({
      metric: "Export",
      entitled: 1000,
      consumed: 700,
      remaining: 300,
      usedRatio: 0.7,
      termDays: 366,
      elapsedDays: 182,
      daysLeft: 184,
      status: "exhausts_early",
    });
    expect(p.dailyRunRate).toBeCloseTo(700 / 182, 10);
    // 300 left at 700/182 a day = 78 days → 2024-09-16; 2024-09-17 .. 2024-12-31 = 106 days short.
    expect(p.exhaustionDate).toBe("2024-09-16");
    expect(p.daysShort).toBe(106);
    expect(p.projectedAtEnd).toBeCloseTo(700 + (700 / 182) * 184, 6);
  });

  it("should say on track and project past the end when the pace lasts the term", () => {
    // 100 in 182 days: 900 left at 0.549/day = 1638 days.
    const p = quotaPace(year, 100, "2024-06-30");
    expect(p.status).toBe("on_track");
    expect(p.exhaustionDate).toBe("2028-12-24");
    expect(p.exhaustionDate && p.exhaustionDate >= year.periodEnd).toBe(true);
    expect(p.daysShort).toBe(0);
    expect(p.projectedAtEnd).toBeCloseTo(100 + (100 / 182) * 184, 6);
  });

  it("should report no usage without a projected date when nothing was consumed", () => {
    const p = quotaPace(year, 0, "2024-03-01");
    expect(p).toMatchObject({
      status: "no_usage",
      consumed: 0,
      usedRatio: 0,
      dailyRunRate: 0,
      exhaustionDate: null,
      projectedAtEnd: 0,
      elapsedDays: 61,
    });
  });

  it("should date an already exhausted allowance on the day it ran out", () => {
    const p = quotaPace(year, 1200, "2024-08-01", { exhaustedOn: "2024-07-20" });
    expect(p).toMatchObject({
      status: "exhausted",
      remaining: 0,
      usedRatio: 1.2,
      exhaustionDate: "2024-07-20",
      // 2024-07-21 .. 2024-12-31: 11 + 31 + 30 + 31 + 30 + 31 = 164 days without allowance.
      daysShort: 164,
    });
  });

  it("should use asOf as the exhaustion day when the day it ran out is unknown", () => {
    expect(quotaPace(year, 1000, "2024-08-01").exhaustionDate).toBe("2024-08-01");
  });

  it("should say ended, with no days left and no projection, when the term is over", () => {
    const p = quotaPace(year, 800, "2025-02-01");
    expect(p).toMatchObject({
      status: "ended",
      elapsedDays: 366,
      daysLeft: 0,
      exhaustionDate: null,
      projectedAtEnd: 800,
    });
    expect(p.dailyRunRate).toBeCloseTo(800 / 366, 10);
  });

  it("should still report exhausted after the term when the allowance was used up", () => {
    expect(quotaPace(year, 1000, "2025-03-01").status).toBe("exhausted");
    expect(quotaPace(year, 1000, "2025-03-01").exhaustionDate).toBe("2024-12-31");
  });

  it("should say not started before the term begins", () => {
    const p = quotaPace(year, 0, "2023-12-31");
    expect(p).toMatchObject({ status: "not_started", elapsedDays: 0, daysLeft: 366, dailyRunRate: null });
  });

  it("should count the first day of the term as elapsed", () => {
    const p = quotaPace(year, 10, "2024-01-01");
    expect(p.elapsedDays).toBe(1);
    expect(p.dailyRunRate).toBe(10);
    // 990 left at 10/day = 99 days.
    expect(p.exhaustionDate).toBe("2024-04-09");
  });

  it("should throw a validation error when the entitlement is zero, negative or the term empty", () => {
    expect(() => quotaPace({ ...year, quantity: 0 }, 0, "2024-02-01")).toThrow(TenureError);
    expect(() => quotaPace({ ...year, quantity: 0 }, 0, "2024-02-01")).toThrow(/greater than 0/);
    expect(() => quotaPace({ ...year, quantity: -5 }, 0, "2024-02-01")).toThrow(TenureError);
    expect(() => quotaPace({ ...year, quantity: Number.NaN }, 0, "2024-02-01")).toThrow(TenureError);
    expect(() => quotaPace({ ...year, periodEnd: "2024-01-01" }, 0, "2024-02-01")).toThrow(/period_end/);
    expect(() => quotaPace(year, -1, "2024-02-01")).toThrow(/consumed/);
  });

  it("should never project an exhaustion inside the term for a pace that lasts it", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 365 }), fc.integer({ min: 0, max: 2000 }), (day, used) => {
        const asOf = new Date(Date.UTC(2024, 0, day)).toISOString().slice(0, 10);
        const p = quotaPace(year, used, asOf);
        if (p.status === "exhausts_early") {
          expect(p.exhaustionDate && p.exhaustionDate < year.periodEnd).toBe(true);
          expect((p.projectedAtEnd ?? 0) >= year.quantity - 1e-9).toBe(true);
        }
        if (p.status === "on_track") expect((p.projectedAtEnd ?? 0) <= year.quantity + 1e-6).toBe(true);
        expect(p.elapsedDays + p.daysLeft).toBe(366);
      }),
    );
  });
});

describe("quotaConsumption", () => {
  const terms = { quantity: 10, periodStart: "2024-03-01", periodEnd: "2024-04-01" };

  it("should sum the term's days through asOf, zero-fill and date the exhaustion", () => {
    const c = quotaConsumption(
      terms,
      [
        { date: "2024-02-29", count: 50 }, // before the term: ignored
        { date: "2024-03-03", count: 4 },
        { date: "2024-03-01", count: 3 },
        { date: "2024-03-03", count: 2 }, // same day again: summed
        { date: "2024-03-04", count: 1 },
        { date: "2024-03-06", count: 9 }, // after asOf: ignored
      ],
      "2024-03-05",
    );
    expect(c.consumed).toBe(10);
    expect(c.exhaustedOn).toBe("2024-03-04");
    expect(c.cumulative).toEqual([
      { date: "2024-03-01", total: 3 },
      { date: "2024-03-02", total: 3 },
      { date: "2024-03-03", total: 9 },
      { date: "2024-03-04", total: 10 },
      { date: "2024-03-05", total: 10 },
    ]);
  });

  it("should stop at the term's last day when asOf is past the end", () => {
    const c = quotaConsumption(terms, [{ date: "2024-04-01", count: 5 }], "2024-05-01");
    expect(c.cumulative).toHaveLength(31);
    expect(c.cumulative.at(-1)).toEqual({ date: "2024-03-31", total: 0 });
    expect(c.consumed).toBe(0);
  });

  it("should return an empty series before the term starts", () => {
    expect(quotaConsumption(terms, [{ date: "2024-03-01", count: 1 }], "2024-02-01")).toEqual({
      consumed: 0,
      exhaustedOn: null,
      cumulative: [],
    });
  });

  it("should reject a zero allowance", () => {
    expect(() => quotaConsumption({ ...terms, quantity: 0 }, [], "2024-03-05")).toThrow(TenureError);
  });
});

describe("mostPressingQuota", () => {
  it("should prefer an exhausted allowance, then one running out early, then the most used", () => {
    const onTrack = quotaPace(year, 300, "2024-06-30");
    const early = quotaPace(year, 700, "2024-06-30");
    const done = quotaPace(year, 1000, "2024-06-30");
    const moreOnTrack = quotaPace(year, 400, "2024-06-30");
    expect(mostPressingQuota([onTrack, early, done])).toBe(done);
    expect(mostPressingQuota([onTrack, early])).toBe(early);
    expect(mostPressingQuota([onTrack, moreOnTrack])).toBe(moreOnTrack);
    expect(mostPressingQuota([])).toBeNull();
  });
});
