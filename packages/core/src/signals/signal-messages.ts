import { EXPLAIN_MESSAGES_EN, EXPLAIN_MESSAGES_ZH } from "../health/explain-messages";
import { lookupTemplate, type MessageCatalog, renderMessage, type TextMessage } from "../text/message";
import type { SignalEvidence, SignalType } from "./types";

/**
 * A signal's title and summary are composed from its type and evidence (keys `signalText.<type>.*`), so a
 * stored signal reads in whichever language its reader uses; the stored English text is the same
 * rendering, for API and CLI readers.
 */
export interface SignalText {
  title: TextMessage;
  summary: TextMessage;
}

const m = (key: string, params: TextMessage["params"] = {}): TextMessage => ({ key, params });
const num = (v: SignalEvidence[string] | undefined): number | null => (typeof v === "number" ? v : null);
const str = (v: SignalEvidence[string] | undefined): string | null => (typeof v === "string" ? v : null);

/** The parts of a summary that vary with the evidence, as nested messages. */
function summaryOf(type: SignalType, e: SignalEvidence): TextMessage {
  const key = `signalText.${type}.summary`;
  switch (type) {
    case "usage_drop":
      return m(key, {
        dropPct: Math.round(-(num(e.changePct) ?? 0)),
        previous: num(e.previousAvgActiveUsers),
        recent: num(e.recentAvgActiveUsers),
        count: num(e.windowWeeks) ?? 4,
      });
    case "breadth_collapse": {
      const stale = e.noNewDataReason === "no_new_data";
      const change = num(e.eventChangePct);
      const data = stale
        ? m("signalText.breadth_collapse.noNewData", { count: num(e.newDataDays) })
        : change === null
          ? m("signalText.breadth_collapse.flatData", { weeks: num(e.eventWindowWeeks) })
          : m("signalText.breadth_collapse.noGrowth", { pct: change, weeks: num(e.eventWindowWeeks) });
      return m(key, {
        peak: num(e.peakDepartments),
        current: num(e.currentDepartments),
        count: num(e.recentActiveUsers) ?? 0,
        data,
      });
    }
    case "champion_left": {
      const remaining = num(e.remainingChampions) ?? 0;
      return m(key, {
        name: str(e.contactName),
        date: str(e.leftAt),
        count: num(e.daysAgo) ?? 0,
        remaining:
          remaining === 0
            ? m("signalText.champion_left.noneRemain")
            : m("signalText.champion_left.someRemain", { count: remaining }),
      });
    }
    case "champion_silent":
      return m(key, {
        name: str(e.contactName),
        count: num(e.daysSinceTouch) ?? 0,
        date: str(e.lastTouchAt),
        threshold: num(e.thresholdDays),
      });
    case "no_login":
      return m(key, { count: num(e.daysSinceLastLogin) ?? 0, threshold: num(e.thresholdDays) });
    case "quota_expansion": {
      const exhaustion = str(e.projectedExhaustionDate);
      const early = num(e.daysExhaustedBeforeEnd);
      const projection =
        exhaustion === null
          ? m("signalText.quota_expansion.noPace")
          : early !== null && early > 0
            ? m("signalText.quota_expansion.runsOut", {
                date: exhaustion,
                count: early,
                end: str(e.contractEnd),
              })
            : m("signalText.quota_expansion.lasts", { date: exhaustion });
      return m(key, {
        usedPct: Math.round(num(e.usedPct) ?? 0),
        used: num(e.used),
        entitled: num(e.entitled),
        count: num(e.monthsLeft) ?? 0,
        projection,
      });
    }
    case "seat_utilisation_high":
      return m(key, {
        used: num(e.seatsUsed),
        licensed: num(e.seatsLicensed),
        pct: Math.round(num(e.utilisationPct) ?? 0),
        threshold: Math.round(num(e.thresholdPct) ?? 0),
      });
    case "new_stakeholder": {
      if (typeof e.people === "number") {
        const more = e.people - (str(e.names)?.split(", ").length ?? 0);
        return m("signalText.new_stakeholder.groupSummary", {
          count: e.people,
          date: str(e.firstSeenAt),
          names: str(e.names),
          more: more > 0 ? m("signalText.new_stakeholder.more", { count: more }) : m("signalText.empty"),
        });
      }
      const where = [str(e.role), str(e.department)].filter((x): x is string => x !== null && x !== "");
      return m(key, {
        name: str(e.name),
        where:
          where.length > 0
            ? m("signalText.new_stakeholder.where", { where: where.join(", ") })
            : m("signalText.empty"),
        date: str(e.firstSeenAt),
        count: num(e.daysAgo) ?? 0,
      });
    }
    case "new_department":
      return m(key, { department: str(e.department), date: str(e.firstSeenAt), count: num(e.daysAgo) ?? 0 });
    case "renewal_risk":
      return m(key, {
        date: str(e.renewalDate),
        count: num(e.daysToRenewal) ?? 0,
        score: num(e.healthScore),
      });
    case "discount_at_renewal":
      return m(key, {
        date: str(e.renewalDate),
        count: num(e.daysToRenewal) ?? 0,
        discount: num(e.discountPct),
        threshold: num(e.thresholdPct),
      });
    case "ticket_spike": {
      const ratio = num(e.ratio);
      return m(key, {
        last: num(e.lastWeekTickets),
        count: num(e.baselineWeeks) ?? 0,
        average: num(e.baselineAvgTickets),
        ratio: ratio === null ? m("signalText.empty") : m("signalText.ticket_spike.ratio", { ratio }),
      });
    }
    case "nps_detractor": {
      const name = str(e.contactName);
      const who =
        name !== null
          ? m("signalText.nps_detractor.named", { name })
          : e.contactId === null || e.contactId === undefined
            ? m("signalText.nps_detractor.anonymous")
            : m("signalText.nps_detractor.contact", { id: str(e.contactId) });
      return m(key, { who, score: num(e.score), date: str(e.date) });
    }
    default:
      return m("signalText.rule.summary", {
        valueNames: Object.entries(e).map(([metric, value]) =>
          m("signalText.rule.value", {
            // A metric the product names is named in the reader's language; any other as the rule wrote it.
            metric: lookupTemplate(EXPLAIN_MESSAGES_EN, `metric.${metric}`) ? m(`metric.${metric}`) : metric,
            value: value === null ? m("signalText.rule.empty") : value,
          }),
        ),
      });
  }
}

/**
 * The title and summary of a signal of `type` with this evidence. A user rule's title is its name (`ruleName`),
 * shown as written.
 */
export function signalText(type: SignalType, evidence: SignalEvidence, ruleName = ""): SignalText {
  const isRule = type.startsWith("rule:");
  let title = m(`signalText.${type}.title`);
  if (isRule) title = m("signalText.rule.title", { name: ruleName });
  else if (type === "new_stakeholder" && typeof evidence.people === "number")
    title = m("signalText.new_stakeholder.groupTitle");
  const summary = summaryOf(type, evidence);
  if (isRule) (summary.params as Record<string, unknown>).name = ruleName;
  return { title, summary };
}

export const SIGNAL_MESSAGES_EN: MessageCatalog = {
  signalText: {
    empty: "",
    usage_drop: {
      title: "Usage dropped",
      summary_one:
        "Weekly active users fell {{dropPct}}% (average {{previous}} → {{recent}}) over the last week compared with the week before.",
      summary_other:
        "Weekly active users fell {{dropPct}}% (average {{previous}} → {{recent}}) over the last {{count}} weeks compared with the {{count}} weeks before.",
    },
    breadth_collapse: {
      title: "Usage collapsed to a single team",
      summary_one:
        "Active departments fell from {{peak}} to {{current}}, with {{count}} active user left and {{data}}.",
      summary_other:
        "Active departments fell from {{peak}} to {{current}}, with {{count}} active users left and {{data}}.",
      noNewData: "no new data for {{count}} days",
      flatData: "no growth in data volume (flat events over {{weeks}} weeks)",
      noGrowth: "no growth in data volume ({{pct}}% events over {{weeks}} weeks)",
    },
    champion_left: {
      title: "Champion left",
      summary: "Champion {{name}} left the company on {{date}} ({{count}} days ago); {{remaining}}.",
      noneRemain: "no other champion remains",
      someRemain_one: "{{count}} other champion remains",
      someRemain_other: "{{count}} other champions remain",
    },
    champion_silent: {
      title: "Champion gone silent",
      summary:
        "Champion {{name}} has not been touched for {{count}} days (last touch {{date}}, threshold {{threshold}} days).",
    },
    no_login: {
      title: "No logins",
      summary: "Nobody has logged in for {{count}} days (threshold {{threshold}} days).",
    },
    quota_expansion: {
      title: "Quota running out early",
      summary:
        "{{usedPct}}% of the quota is used ({{used}} of {{entitled}}) with {{count}} months of contract left; {{projection}}.",
      noPace: "no usage pace to project from",
      runsOut: "at the current pace it runs out on {{date}}, {{count}} days before {{end}}",
      lasts: "at the current pace it lasts until {{date}}",
    },
    seat_utilisation_high: {
      title: "Seats nearly full",
      summary: "{{used}} of {{licensed}} licensed seats are in use ({{pct}}%, threshold {{threshold}}%).",
    },
    new_stakeholder: {
      title: "New stakeholder",
      summary: "{{name}}{{where}} appeared on {{date}}, {{count}} days ago.",
      where: " ({{where}})",
      groupTitle: "New stakeholders",
      groupSummary: "{{count}} people started using the product since {{date}}: {{names}}{{more}}.",
      more: " and {{count}} more",
    },
    new_department: {
      title: "New department",
      summary: "The {{department}} department started using the product on {{date}}, {{count}} days ago.",
    },
    renewal_risk: {
      title: "Renewal at risk",
      summary: "Renewal on {{date}} is {{count}} days away and the health score is red ({{score}}).",
    },
    discount_at_renewal: {
      title: "High discount at renewal",
      summary:
        "The account renews on {{date}} ({{count}} days) with a {{discount}}% discount, above the {{threshold}}% threshold.",
    },
    ticket_spike: {
      title: "Support ticket spike",
      summary: "{{last}} tickets last week against a {{count}}-week average of {{average}}{{ratio}}.",
      ratio: " ({{ratio}}×)",
    },
    nps_detractor: {
      title: "NPS detractor",
      summary: "{{who}} answered {{score}}/10 to the NPS survey on {{date}}.",
      named: "{{name}}",
      anonymous: "An anonymous respondent",
      contact: "Contact {{id}}",
    },
    rule: {
      title: "{{name}}",
      summary: 'Rule "{{name}}" matched with {{valueNames}}.',
      value: "{{metric}} = {{value}}",
      empty: "empty",
    },
  },
};

export const SIGNAL_MESSAGES_ZH: MessageCatalog = {
  signalText: {
    empty: "",
    usage_drop: {
      title: "使用量下降",
      summary:
        "近 {{count}} 周的周活跃用户比之前 {{count}} 周下降 {{dropPct}}%（平均 {{previous}} → {{recent}}）。",
    },
    breadth_collapse: {
      title: "使用范围收缩到单个团队",
      summary: "活跃部门从 {{peak}} 个减少到 {{current}} 个，仅剩 {{count}} 名活跃用户，且{{data}}。",
      noNewData: "已 {{count}} 天没有新数据",
      flatData: "数据量没有增长（{{weeks}} 周内事件数持平）",
      noGrowth: "数据量没有增长（{{weeks}} 周内事件数变化 {{pct}}%）",
    },
    champion_left: {
      title: "内部支持者已离职",
      summary: "内部支持者 {{name}} 于 {{date}} 离开公司（{{count}} 天前）；{{remaining}}。",
      noneRemain: "已没有其他内部支持者",
      someRemain: "还有 {{count}} 名其他内部支持者",
    },
    champion_silent: {
      title: "内部支持者失联",
      summary: "已 {{count}} 天没有联系内部支持者 {{name}}（上次接触 {{date}}，阈值 {{threshold}} 天）。",
    },
    no_login: {
      title: "无人登录",
      summary: "已 {{count}} 天无人登录（阈值 {{threshold}} 天）。",
    },
    quota_expansion: {
      title: "配额提前用尽",
      summary:
        "已使用 {{usedPct}}% 的配额（{{used}} / {{entitled}}），合同还剩 {{count}} 个月；{{projection}}。",
      noPace: "没有可用于预测的使用速度",
      runsOut: "按当前速度将在 {{date}} 用尽，比 {{end}} 早 {{count}} 天",
      lasts: "按当前速度可用到 {{date}}",
    },
    seat_utilisation_high: {
      title: "席位即将用满",
      summary: "{{licensed}} 个授权席位中已使用 {{used}} 个（{{pct}}%，阈值 {{threshold}}%）。",
    },
    new_stakeholder: {
      title: "新的干系人",
      summary: "{{name}}{{where}} 于 {{date}} 出现，{{count}} 天前。",
      where: "（{{where}}）",
      groupTitle: "新的干系人",
      groupSummary: "自 {{date}} 起有 {{count}} 人开始使用产品：{{names}}{{more}}。",
      more: " 等另外 {{count}} 人",
    },
    new_department: {
      title: "新部门",
      summary: "{{department}} 部门于 {{date}} 开始使用产品，{{count}} 天前。",
    },
    renewal_risk: {
      title: "续约有风险",
      summary: "距 {{date}} 续约还有 {{count}} 天，健康分为红色（{{score}}）。",
    },
    discount_at_renewal: {
      title: "续约折扣过高",
      summary: "客户将于 {{date}} 续约（{{count}} 天后），折扣 {{discount}}%，高于 {{threshold}}% 的阈值。",
    },
    ticket_spike: {
      title: "工单激增",
      summary: "上周 {{last}} 个工单，而前 {{count}} 周平均 {{average}} 个{{ratio}}。",
      ratio: "（{{ratio}} 倍）",
    },
    nps_detractor: {
      title: "NPS 贬损者",
      summary: "{{who}} 于 {{date}} 在 NPS 调查中打了 {{score}}/10 分。",
      named: "{{name}}",
      anonymous: "一位匿名受访者",
      contact: "联系人 {{id}}",
    },
    rule: {
      title: "{{name}}",
      summary: "规则“{{name}}”已触发：{{valueNames}}。",
      value: "{{metric}} = {{value}}",
      empty: "空",
    },
  },
};

// Metric names (a rule's figures) come from the health catalogue.
const CATALOGS = {
  en: { ...EXPLAIN_MESSAGES_EN, ...SIGNAL_MESSAGES_EN },
  "zh-CN": { ...EXPLAIN_MESSAGES_ZH, ...SIGNAL_MESSAGES_ZH },
} as const;

/** The English title and summary stored with a detected signal. */
export function signalTextEn(
  type: SignalType,
  evidence: SignalEvidence,
  ruleName = "",
): {
  title: string;
  summary: string;
} {
  const t = signalText(type, evidence, ruleName);
  return { title: renderMessage(CATALOGS, "en", t.title), summary: renderMessage(CATALOGS, "en", t.summary) };
}
