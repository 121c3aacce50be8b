import { describe, expect, it } from "vitest";
import { CORE_MESSAGES, renderCoreMessage } from "../text";
import { lookupTemplate } from "../text/message";
import { signalText } from "./signal-messages";
import { BUILTIN_SIGNAL_TYPES, type BuiltinSignalType, type SignalEvidence } from "./types";

/** Evidence as each detector stores it (the figures of the detector tests). */
const EVIDENCE: Record<BuiltinSignalType, SignalEvidence> = {
  usage_drop: {
    windowWeeks: 4,
    previousAvgActiveUsers: 20,
    recentAvgActiveUsers: 10,
    changePct: -50,
    thresholdPct: -50,
  },
  breadth_collapse: {
    peakDepartments: 6,
    currentDepartments: 1,
    recentActiveUsers: 2,
    newDataDays: 21,
    eventChangePct: -10,
    eventWindowWeeks: 4,
    noNewDataReason: "no_new_data",
  },
  champion_left: {
    contactId: "c1",
    contactName: "Ann Lee",
    leftAt: "2024-06-01",
    daysAgo: 30,
    remainingChampions: 0,
  },
  champion_silent: {
    contactId: "c1",
    contactName: "Ann Lee",
    lastTouchAt: "2024-04-01",
    daysSinceTouch: 91,
    thresholdDays: 45,
  },
  no_login: { daysSinceLastLogin: 20, thresholdDays: 14 },
  quota_expansion: {
    used: 700,
    entitled: 1000,
    usedPct: 70,
    contractEnd: "2024-12-31",
    daysLeft: 184,
    monthsLeft: 6,
    dailyPace: 3.85,
    projectedExhaustionDate: "2024-09-17",
    daysExhaustedBeforeEnd: 106,
    newStakeholders: 1,
  },
  seat_utilisation_high: { seatsUsed: 47, seatsLicensed: 50, utilisationPct: 94, thresholdPct: 90 },
  new_stakeholder: {
    stakeholderId: "u1",
    name: "Wang Fang",
    role: "VP Sales",
    department: "Sales",
    firstSeenAt: "2024-06-25",
    daysAgo: 5,
  },
  new_department: { department: "Finance", firstSeenAt: "2024-06-20", daysAgo: 10 },
  renewal_risk: {
    renewalDate: "2024-08-01",
    daysToRenewal: 32,
    healthScore: 31,
    healthBand: "red",
    mrr: 4000,
  },
  discount_at_renewal: {
    discountPct: 35,
    thresholdPct: 25,
    renewalDate: "2024-08-01",
    daysToRenewal: 32,
    mrr: 4000,
  },
  ticket_spike: { lastWeekTickets: 9, baselineAvgTickets: 2, baselineWeeks: 8, ratio: 4.5, multiplier: 3 },
  nps_detractor: { contactId: null, contactName: null, score: 3, date: "2024-06-28" },
};

const DATA_WORDS = /Ann Lee|Wang Fang|VP Sales|Sales|Finance|NPS/g;

describe("signalText", () => {
  it("should render every built-in signal in English and Chinese without a missing template or parameter", () => {
    for (const type of BUILTIN_SIGNAL_TYPES) {
      const text = signalText(type, EVIDENCE[type]);
      for (const msg of [text.title, text.summary]) {
        for (const locale of ["en", "zh-CN"] as const) {
          const out = renderCoreMessage(locale, msg);
          expect(out, `${type} ${locale}`).not.toMatch(/\{\{|signalText\.|undefined|NaN/);
          if (locale === "zh-CN")
            expect(out.replace(DATA_WORDS, ""), `${type} zh`).not.toMatch(/[A-Za-z]{3,}/);
        }
      }
    }
  });

  it("should write the figures and dates the way the reader's language does when rendered", () => {
    const { summary } = signalText("quota_expansion", EVIDENCE.quota_expansion);
    expect(renderCoreMessage("en", summary)).toBe(
      "70% of the quota is used (700 of 1,000) with 6 months of contract left; at the current pace it runs out on Sep 17, 2024, 106 days before Dec 31, 2024.",
    );
    expect(renderCoreMessage("zh-CN", summary)).toBe(
      "已使用 70% 的配额（700 / 1,000），合同还剩 6 个月；按当前速度将在 2024年9月17日 用尽，比 2024年12月31日 早 106 天。",
    );
  });

  it("should name a respondent by name, contact id or as anonymous when the evidence says who answered", () => {
    const who = (e: SignalEvidence) => renderCoreMessage("en", signalText("nps_detractor", e).summary);
    expect(who({ contactId: "c9", contactName: "Ann Lee", score: 2, date: "2024-06-28" })).toMatch(
      /^Ann Lee answered/,
    );
    expect(who({ contactId: "c9", contactName: null, score: 2, date: "2024-06-28" })).toMatch(
      /^Contact c9 answered/,
    );
    expect(who({ contactId: null, contactName: null, score: 2, date: "2024-06-28" })).toMatch(
      /^An anonymous respondent/,
    );
  });

  it("should have a Chinese template for every English one", () => {
    const keys = (node: unknown, prefix = ""): string[] =>
      typeof node === "string"
        ? [prefix]
        : Object.entries(node as object).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
    for (const key of keys(CORE_MESSAGES.en)) {
      // English plural forms (_one/_other) map to the one Chinese form.
      const base = key.replace(/_(one|other)$/, "");
      const zh = lookupTemplate(CORE_MESSAGES["zh-CN"], key) ?? lookupTemplate(CORE_MESSAGES["zh-CN"], base);
      expect(zh, key).toBeDefined();
    }
  });

  it("should name a rule's figures by the metric's name in the reader's language when the product names the metric", () => {
    const { title, summary } = signalText(
      "rule:big",
      { mrr: 8000, npsScore: 4, custom_score: null },
      "Big and unhappy",
    );
    expect(renderCoreMessage("zh-CN", title)).toBe("Big and unhappy");
    expect(renderCoreMessage("zh-CN", summary)).toBe(
      "规则“Big and unhappy”已触发：MRR = 8,000、NPS 评分 = 4、custom_score = 空。",
    );
    expect(renderCoreMessage("en", summary)).toBe(
      'Rule "Big and unhappy" matched with MRR = 8,000, NPS answer = 4, custom_score = empty.',
    );
  });
});
