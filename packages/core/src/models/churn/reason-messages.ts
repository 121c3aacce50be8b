import type { ReasonFact, ReasonKey } from "./reasons";

/**
 * English templates of the reasons (i18next syntax: `{{name}}`, `_one`/`_other` by `count`). The web
 * app carries the same templates in English and Chinese (features/predictions/i18n-*.ts, checked
 * equal to these by a test); the CLI and API render their `text` with these.
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
