import type { ReasonFact, ReasonKey } from "./reasons";

/**
 * English templates of the reasons (i18next syntax: `{{name}}`, `_one`/`_other` by `count`). The web
 * app loads these and REASON_MESSAGES_ZH (through @tenure/core/text); the CLI and API render their
 * `text` with these.
 */
export const REASON_MESSAGES_EN: Readonly<Record<ReasonKey, string>> = {
  noActivity: "no activity for {{days}} days",
  neverUsed: "no product usage recorded",
  activeUsersChange: "active users {{from}} → {{to}} in 4 weeks",
  activeUsers: "{{count}} active users in 28 days",
  usageChange: "usage {{change}}% vs the 4 weeks before",
  departments: "{{count}} departments active",
  seatUse: "{{pct}}% of {{seats}} seats in use",
  eventsPerSeat: "{{count}} events per seat in 28 days",
  healthScore: "health score {{score}}",
  noHealthScore: "no health score yet",
  healthChange: "health score {{delta}} in 30 days",
  peopleHealth: "people health {{score}} (contacts, touches)",
  productHealth: "product health {{score}} (usage, tickets)",
  moneyHealth: "money health {{score}} (discount, payments, MRR)",
  openRiskSignals: "{{count}} open risk signals",
  tickets: "{{count}} support tickets in 90 days",
  nps: "NPS answer {{score}}",
  noNps: "no NPS answer",
  contacts: "{{count}} contacts",
  keyRoles: "{{pct}}% of key roles covered",
  touches: "{{count}} CSM touches in 90 days",
  lastTouch: "last CSM touch {{days}} days ago",
  noTouch: "no CSM touch recorded",
  mrr: "MRR {{amount}}",
  mrrChange: "MRR {{change}}% over 3 months",
  tenure: "customer for {{months}} months",
  plan: "plan {{value}}",
  billing: "billed {{value}}",
  discount: "{{pct}}% discount",
  seats: "{{count}} seats",
  products: "{{count}} products",
  tier: "tier {{value}}",
  segment: "company size {{value}}",
  other: "other account facts",
};

/** The same templates in Simplified Chinese (the web app and zh-CN exports render these). */
export const REASON_MESSAGES_ZH: Readonly<Record<ReasonKey, string>> = {
  noActivity: "已 {{days}} 天无使用",
  neverUsed: "没有产品使用记录",
  activeUsersChange: "活跃用户 4 周内 {{from}} → {{to}}",
  activeUsers: "28 天内 {{count}} 名活跃用户",
  usageChange: "使用量较前 4 周 {{change}}%",
  departments: "{{count}} 个部门在使用",
  seatUse: "{{seats}} 个席位已用 {{pct}}%",
  eventsPerSeat: "28 天内每席位 {{count}} 次事件",
  healthScore: "健康分 {{score}}",
  noHealthScore: "尚无健康分",
  healthChange: "健康分 30 天内变化 {{delta}}",
  peopleHealth: "关系健康度 {{score}}（联系人、触达）",
  productHealth: "产品健康度 {{score}}（使用、工单）",
  moneyHealth: "收入健康度 {{score}}（折扣、付款、MRR）",
  openRiskSignals: "{{count}} 个未处理风险信号",
  tickets: "90 天内 {{count}} 张工单",
  nps: "NPS 回答 {{score}} 分",
  noNps: "没有 NPS 回答",
  contacts: "{{count}} 位联系人",
  keyRoles: "关键角色覆盖 {{pct}}%",
  touches: "90 天内 CSM 触达 {{count}} 次",
  lastTouch: "上次 CSM 触达在 {{days}} 天前",
  noTouch: "没有 CSM 触达记录",
  mrr: "MRR {{amount}}",
  mrrChange: "MRR 3 个月内变化 {{change}}%",
  tenure: "合作 {{months}} 个月",
  plan: "套餐 {{value}}",
  billing: "计费周期 {{value}}",
  discount: "折扣 {{pct}}%",
  seats: "{{count}} 个席位",
  products: "{{count}} 个产品",
  tier: "客户层级 {{value}}",
  segment: "公司规模 {{value}}",
  other: "其他客户情况",
};

const numberFormat = new Intl.NumberFormat("en", { maximumFractionDigits: 1 });

/** A reason in English, e.g. "no activity for 41 days" (signed changes get their sign: "+12"). */
export function reasonText(r: Pick<ReasonFact, "key" | "params">): string {
  const template = REASON_MESSAGES_EN[r.key as ReasonKey] ?? REASON_MESSAGES_EN.other;
  return template.replace(/\{\{(\w+)\}\}/g, (_, name: string) => {
    const v = r.params[name];
    if (typeof v !== "number") return v === undefined ? "" : String(v);
    const s = numberFormat.format(v);
    return (name === "change" || name === "delta") && v > 0 ? `+${s}` : s;
  });
}
