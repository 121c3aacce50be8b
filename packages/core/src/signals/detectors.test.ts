import { describe, expect, it } from "vitest";
import { detectSignals, withSignalText } from "./detect-signals";
import { detectBreadthCollapse } from "./detectors/breadth-collapse";
import { detectChampionLeft } from "./detectors/champion-left";
import { detectChampionSilent } from "./detectors/champion-silent";
import { detectDiscountAtRenewal } from "./detectors/discount-at-renewal";
import { detectNewDepartment } from "./detectors/new-department";
import { detectNewStakeholder } from "./detectors/new-stakeholder";
import { detectNoLogin } from "./detectors/no-login";
import { detectNpsDetractor } from "./detectors/nps-detractor";
import { detectQuotaExpansion } from "./detectors/quota-expansion";
import { detectRenewalRisk } from "./detectors/renewal-risk";
import { detectSeatUtilisationHigh } from "./detectors/seat-utilisation-high";
import { detectTicketSpike } from "./detectors/ticket-spike";
import { detectUsageDrop } from "./detectors/usage-drop";
import { DEFAULT_SIGNAL_SETTINGS as D, resolveSignalSettings } from "./settings";
import { contact, quietContext } from "./test-fixtures";

describe("usage_drop", () => {
  it("should fire when active users fall 50% over 4 weeks vs the 4 before", () => {
    const ctx = quietContext({ weeklyActiveUsers: [20, 20, 20, 20, 10, 10, 10, 10] });
    const [s] = detectUsageDrop(ctx, D.usage_drop);
    expect(s?.kind).toBe("risk");
    expect(s?.severity).toBe("medium");
    expect(s?.evidence).toMatchObject({
      previousAvgActiveUsers: 20,
      recentAvgActiveUsers: 10,
      changePct: -50,
    });
    expect(s && withSignalText(s).summary).toBe(
      "Weekly active users fell 50% (average 20 → 10) over the last 4 weeks compared with the 4 weeks before.",
    );
    expect(s?.dedupKey).toBe("usage_drop|acc-1|account");
  });

  it("should not fire when the drop is 49%", () => {
    const ctx = quietContext({ weeklyActiveUsers: [100, 100, 100, 100, 51, 51, 51, 51] });
    expect(detectUsageDrop(ctx, D.usage_drop)).toEqual([]);
  });

  it("should only read the last 8 weeks when the series is longer", () => {
    const ctx = quietContext({ weeklyActiveUsers: [500, 500, 8, 8, 8, 8, 2, 2, 2, 2] });
    expect(detectUsageDrop(ctx, D.usage_drop)[0]?.severity).toBe("high");
  });

  it("should not fire when fewer than 8 weeks are known", () => {
    expect(
      detectUsageDrop(quietContext({ weeklyActiveUsers: [20, 20, 20, 1, 1, 1, 1] }), D.usage_drop),
    ).toEqual([]);
  });
});

describe("breadth_collapse", () => {
  const collapsed = {
    weeklyActiveDepartments: [5, 5, 4, 3, 2, 2, 1, 1],
    weeklyActiveUsers: [30, 28, 20, 12, 6, 4, 2, 2],
    weeklyEvents: [900, 900, 800, 700, 300, 200, 100, 100],
  };

  it("should fire when departments fall from ≥ 3 to ≤ 1 and data stops growing", () => {
    const [s] = detectBreadthCollapse(quietContext(collapsed), D.breadth_collapse);
    expect(s?.evidence).toMatchObject({ peakDepartments: 5, currentDepartments: 1, recentActiveUsers: 2 });
    expect(s?.evidence.noNewDataReason).toBe("no_data_growth");
  });

  it("should not fire when two departments remain", () => {
    const ctx = quietContext({ ...collapsed, weeklyActiveDepartments: [5, 5, 4, 3, 2, 2, 2, 2] });
    expect(detectBreadthCollapse(ctx, D.breadth_collapse)).toEqual([]);
  });

  it("should not fire when the peak was only 2 departments", () => {
    const ctx = quietContext({ ...collapsed, weeklyActiveDepartments: [2, 2, 2, 2, 2, 2, 1, 1] });
    expect(detectBreadthCollapse(ctx, D.breadth_collapse)).toEqual([]);
  });

  it("should not fire when new data is still flowing and growing", () => {
    const ctx = quietContext({
      ...collapsed,
      weeklyEvents: [100, 100, 100, 100, 500, 600, 700, 800],
      newDataDays: 0,
    });
    expect(detectBreadthCollapse(ctx, D.breadth_collapse)).toEqual([]);
  });
});

describe("champion_left and champion_silent", () => {
  it("should fire champion_left per champion who left, high when none remains", () => {
    const ctx = quietContext({
      contacts: [
        contact({ id: "c1", name: "Li Wei", isChampion: true, leftAt: "2024-06-10" }),
        contact({ id: "c2" }),
      ],
    });
    const [s] = detectChampionLeft(ctx, D.champion_left);
    expect(s?.severity).toBe("high");
    expect(s?.evidence).toMatchObject({
      contactId: "c1",
      leftAt: "2024-06-10",
      daysAgo: 21,
      remainingChampions: 0,
    });
    expect(s?.dedupKey).toBe("champion_left|acc-1|c1");
  });

  it("should not fire champion_left for a departure older than the lookback or a non-champion", () => {
    const ctx = quietContext({
      contacts: [
        contact({ id: "c1", isChampion: true, leftAt: "2024-01-01" }),
        contact({ id: "c2", leftAt: "2024-06-20" }),
      ],
    });
    expect(detectChampionLeft(ctx, D.champion_left)).toEqual([]);
  });

  it("should fire champion_silent after 45 days without a touch and not at 44", () => {
    const silent = contact({ id: "c1", isChampion: true, lastTouchAt: "2024-05-17" }); // 45 days
    const almost = contact({ id: "c2", role: "champion", lastTouchAt: "2024-05-18" }); // 44 days
    const out = detectChampionSilent(quietContext({ contacts: [silent, almost] }), D.champion_silent);
    expect(out).toHaveLength(1);
    expect(out[0]?.evidence).toMatchObject({ contactId: "c1", daysSinceTouch: 45, thresholdDays: 45 });
  });

  it("should not call a champion silent when they left or were never touched", () => {
    const ctx = quietContext({
      contacts: [
        contact({ id: "c1", isChampion: true, lastTouchAt: "2024-01-01", leftAt: "2024-03-01" }),
        contact({ id: "c2", isChampion: true, lastTouchAt: null }),
      ],
    });
    expect(detectChampionSilent(ctx, D.champion_silent)).toEqual([]);
  });
});

describe("no_login", () => {
  it("should fire at 14 days without a login", () => {
    const [s] = detectNoLogin(quietContext({ daysSinceLastLogin: 14 }), D.no_login);
    expect(s?.evidence).toEqual({ daysSinceLastLogin: 14, thresholdDays: 14 });
  });

  it("should not fire at 13 days or with unknown history", () => {
    expect(detectNoLogin(quietContext({ daysSinceLastLogin: 13 }), D.no_login)).toEqual([]);
    expect(detectNoLogin(quietContext({ daysSinceLastLogin: null }), D.no_login)).toEqual([]);
  });
});

describe("quota_expansion", () => {
  const quota = { used: 700, entitled: 1000, periodStart: "2024-01-01", periodEnd: "2025-01-01" };

  it("should fire at 70% used with 6 months left and project the exhaustion date", () => {
    const [s] = detectQuotaExpansion(quietContext({ quota, contractEnd: "2025-01-01" }), D.quota_expansion);
    expect(s?.kind).toBe("opportunity");
    // 700 used in 182 days → 3.846/day; 300 left → 78 days → 2024-09-17, 106 days before the end.
    expect(s?.evidence).toMatchObject({
      usedPct: 70,
      daysLeft: 184,
      monthsLeft: 6,
      projectedExhaustionDate: "2024-09-17",
      daysExhaustedBeforeEnd: 106,
    });
    expect(s?.severity).toBe("high");
    expect(s && withSignalText(s).summary).toContain("runs out on Sep 17, 2024, 106 days before");
  });

  it("should use the caller's pace verbatim when it comes with the quota", () => {
    const pace = { dailyRunRate: 2.5, exhaustionDate: "2024-10-01", metric: "Export" };
    const [s] = detectQuotaExpansion(
      quietContext({ quota: { ...quota, pace }, contractEnd: "2025-01-01" }),
      D.quota_expansion,
    );
    // 2024-07-01 → 2024-10-01 is 92 days; 184 days left → 92 days before the end.
    expect(s?.evidence).toMatchObject({
      dailyPace: 2.5,
      projectedExhaustionDate: "2024-10-01",
      daysExhaustedBeforeEnd: 92,
      metric: "Export",
    });
    expect(s?.severity).toBe("high");
  });

  it("should not fire at 69% used", () => {
    const ctx = quietContext({ quota: { ...quota, used: 690 }, contractEnd: "2025-01-01" });
    expect(detectQuotaExpansion(ctx, D.quota_expansion)).toEqual([]);
  });

  it("should not fire with less than 6 months left", () => {
    const ctx = quietContext({ quota, contractEnd: "2024-12-15" });
    expect(detectQuotaExpansion(ctx, D.quota_expansion)).toEqual([]);
  });
});

describe("seat_utilisation_high", () => {
  it("should fire above 90% of licensed seats", () => {
    const [s] = detectSeatUtilisationHigh(
      quietContext({ seats: { used: 46, licensed: 50 } }),
      D.seat_utilisation_high,
    );
    expect(s?.evidence).toMatchObject({ seatsUsed: 46, seatsLicensed: 50, utilisationPct: 92 });
    expect(s?.severity).toBe("medium");
  });

  it("should not fire at exactly 90%", () => {
    expect(
      detectSeatUtilisationHigh(quietContext({ seats: { used: 45, licensed: 50 } }), D.seat_utilisation_high),
    ).toEqual([]);
  });
});

describe("new_stakeholder and new_department", () => {
  it("should fire one signal per stakeholder first seen in the last 14 days", () => {
    const ctx = quietContext({
      newStakeholders: [
        {
          id: "u9",
          name: "Zhang Min",
          role: "Head of Growth",
          department: "Growth",
          firstSeenAt: "2024-06-25",
        },
        { id: "u8", name: "Old Timer", role: null, department: null, firstSeenAt: "2024-06-01" },
      ],
    });
    const out = detectNewStakeholder(ctx, D.new_stakeholder);
    expect(out).toHaveLength(1);
    expect(out[0]?.severity).toBe("medium");
    expect(out[0]?.evidence).toMatchObject({ stakeholderId: "u9", department: "Growth", daysAgo: 6 });
    expect(out[0]?.dedupKey).toBe("new_stakeholder|acc-1|u9");
  });

  it("should fire one signal naming the people when a team of more than three arrives in the window", () => {
    const people = Array.from({ length: 7 }, (_, i) => ({
      id: `t${i}`,
      name: `Person ${i}`,
      role: i === 6 ? "VP Sales" : null,
      department: i % 2 === 0 ? "Sales" : "Support",
      firstSeenAt: `2024-06-2${i < 3 ? 2 : 5}`,
    }));
    const out = detectNewStakeholder(quietContext({ newStakeholders: people }), D.new_stakeholder);
    expect(out).toHaveLength(1);
    const first = out[0] && withSignalText(out[0]);
    expect(first?.title).toBe("New stakeholders");
    expect(out[0]?.severity).toBe("medium");
    expect(out[0]?.evidence).toEqual({
      people: 7,
      departments: 2,
      names: "Person 0, Person 1, Person 2, Person 3, Person 4",
      firstSeenAt: "2024-06-22",
    });
    expect(first?.summary).toContain("Person 4 and 2 more.");
    expect(out[0]?.dedupKey).toBe("new_stakeholder|acc-1|group:2024-06-22");

    // Three new people stay individual signals.
    const three = detectNewStakeholder(
      quietContext({ newStakeholders: people.slice(0, 3) }),
      D.new_stakeholder,
    );
    expect(three.map((x) => x.evidence.stakeholderId)).toEqual(["t0", "t1", "t2"]);
  });

  it("should fire new_department within 14 days and not at 15", () => {
    const ctx = quietContext({
      newDepartments: [
        { name: "Finance", firstSeenAt: "2024-06-17" },
        { name: "Legal", firstSeenAt: "2024-06-16" },
      ],
    });
    const out = detectNewDepartment(ctx, D.new_department);
    expect(out.map((s) => s.evidence.department)).toEqual(["Finance"]);
  });
});

describe("new people when tracking has just begun", () => {
  it("should not fire new_stakeholder or new_department when the account had no active users before the window", () => {
    const ctx = quietContext({
      weeklyActiveUsers: [0, 0, 0, 0, 0, 0, 3, 5],
      newStakeholders: [
        { id: "u1", name: "First User", role: null, department: "Sales", firstSeenAt: "2024-06-25" },
      ],
      newDepartments: [{ name: "Sales", firstSeenAt: "2024-06-25" }],
    });
    expect(detectNewStakeholder(ctx, D.new_stakeholder)).toEqual([]);
    expect(detectNewDepartment(ctx, D.new_department)).toEqual([]);
  });
});

describe("renewal_risk and discount_at_renewal", () => {
  it("should fire renewal_risk when renewal is within 90 days and the band is red", () => {
    const ctx = quietContext({ renewalDate: "2024-09-29", healthScore: { score: 31, band: "red" } });
    const [s] = detectRenewalRisk(ctx, D.renewal_risk);
    expect(s?.evidence).toMatchObject({ renewalDate: "2024-09-29", daysToRenewal: 90, healthScore: 31 });
    expect(s?.dedupKey).toBe("renewal_risk|acc-1|2024-09-29");
  });

  it("should not fire renewal_risk at 91 days or with a yellow band", () => {
    expect(
      detectRenewalRisk(
        quietContext({ renewalDate: "2024-09-30", healthScore: { score: 31, band: "red" } }),
        D.renewal_risk,
      ),
    ).toEqual([]);
    expect(
      detectRenewalRisk(
        quietContext({ renewalDate: "2024-08-01", healthScore: { score: 50, band: "yellow" } }),
        D.renewal_risk,
      ),
    ).toEqual([]);
  });

  it("should fire discount_at_renewal above 20% and not at 20%", () => {
    const [s] = detectDiscountAtRenewal(
      quietContext({ contractEnd: "2024-08-01", discountPct: 25 }),
      D.discount_at_renewal,
    );
    expect(s?.evidence).toMatchObject({ discountPct: 25, thresholdPct: 20, daysToRenewal: 31 });
    expect(
      detectDiscountAtRenewal(
        quietContext({ contractEnd: "2024-08-01", discountPct: 20 }),
        D.discount_at_renewal,
      ),
    ).toEqual([]);
  });
});

describe("ticket_spike", () => {
  it("should fire when last week is ≥ 3× the 8-week average and ≥ 3 tickets", () => {
    const ctx = quietContext({ ticketsPerWeek: [1, 2, 1, 2, 1, 2, 1, 2, 5] });
    const [s] = detectTicketSpike(ctx, D.ticket_spike);
    expect(s?.evidence).toMatchObject({ lastWeekTickets: 5, baselineAvgTickets: 1.5, ratio: 3.33 });
  });

  it("should not fire below 3× or below 3 tickets", () => {
    expect(
      detectTicketSpike(quietContext({ ticketsPerWeek: [2, 2, 2, 2, 2, 2, 2, 2, 5] }), D.ticket_spike),
    ).toEqual([]);
    expect(
      detectTicketSpike(quietContext({ ticketsPerWeek: [0, 0, 0, 0, 0, 0, 0, 0, 2] }), D.ticket_spike),
    ).toEqual([]);
  });
});

describe("nps_detractor", () => {
  it("should fire on a score ≤ 6 in the last 30 days, per respondent", () => {
    const ctx = quietContext({
      contacts: [contact({ id: "c1", name: "Wang Fang" })],
      npsResponses: [
        { date: "2024-06-20", score: 3, contactId: "c1" },
        { date: "2024-05-01", score: 0, contactId: "c2" },
      ],
    });
    const out = detectNpsDetractor(ctx, D.nps_detractor);
    expect(out).toHaveLength(1);
    expect(out[0]?.evidence).toEqual({
      contactId: "c1",
      contactName: "Wang Fang",
      score: 3,
      date: "2024-06-20",
    });
    expect(out[0]?.severity).toBe("high");
  });

  it("should not fire on a 7 or when the respondent's later answer is a promoter", () => {
    const ctx = quietContext({
      npsResponses: [
        { date: "2024-06-20", score: 7, contactId: "c1" },
        { date: "2024-06-10", score: 2, contactId: "c2" },
        { date: "2024-06-28", score: 9, contactId: "c2" },
      ],
    });
    expect(detectNpsDetractor(ctx, D.nps_detractor)).toEqual([]);
  });
});

describe("detectSignals", () => {
  it("should return nothing when the account is quiet", () => {
    expect(detectSignals(quietContext())).toEqual([]);
  });

  it("should skip a detector when the workspace disables it", () => {
    const ctx = quietContext({ daysSinceLastLogin: 40 });
    expect(detectSignals(ctx).map((s) => s.type)).toEqual(["no_login"]);
    expect(detectSignals(ctx, resolveSignalSettings({ no_login: { enabled: false } }))).toEqual([]);
  });

  it("should apply a workspace threshold override", () => {
    const ctx = quietContext({ daysSinceLastLogin: 8 });
    const settings = resolveSignalSettings({ no_login: { days: 7 } });
    expect(settings.no_login.highDays).toBe(30);
    expect(detectSignals(ctx, settings).map((s) => s.type)).toEqual(["no_login"]);
  });
});
