import type { Account, Contact } from "@tenure/core";

/**
 * The variables an email template may use: a fixed, documented set (docs/deliveries.md), so a template
 * that names anything else is rejected when saved rather than rendering an empty gap when sent.
 */
export const TEMPLATE_VARIABLES = {
  "account.id": "The account's id",
  "account.name": "The account's name",
  "account.tier": "Tier (e.g. enterprise)",
  "account.segment": "Segment",
  "account.industry": "Industry",
  "account.region": "Region",
  "account.lifecycleStage": "Lifecycle stage",
  "account.owner.name": "The account owner's name",
  "account.owner.email": "The account owner's email, when known",
  "account.arr": "Annual recurring revenue, formatted in the reporting currency",
  "account.mrr": "Monthly recurring revenue, formatted in the reporting currency",
  "account.renewalDate": "Next renewal date (YYYY-MM-DD)",
  "account.healthScore": "Latest health score (0-100)",
  "account.healthBand": "Latest health band (green, yellow, red)",
  "contact.name": "The recipient contact's name",
  "contact.email": "The recipient contact's email",
  "contact.title": "The recipient contact's job title",
  "workspace.name": "The workspace's name",
} as const;

/** One of the documented template variables. */
export type TemplateVariable = keyof typeof TEMPLATE_VARIABLES;

/** True when `name` is a documented template variable. */
export function isTemplateVariable(name: string): name is TemplateVariable {
  return Object.hasOwn(TEMPLATE_VARIABLES, name);
}

/** What the variables are read from: an account as the account page shows it, and a contact. */
export interface TemplateSource {
  account: Account;
  arr: number;
  mrr: number;
  renewalDate: string | null;
  healthScore: number | null;
  healthBand: string | null;
  reportingCurrency: string;
  owner: { name: string; email: string | null } | null;
  contact: Pick<Contact, "name" | "email" | "title"> | null;
  workspaceName: string;
}

/** The nested object Mustache renders (`{{account.owner.name}}`); missing values are empty strings. */
export type TemplateView = {
  account: Record<string, string | Record<string, string>>;
  contact: Record<string, string>;
  workspace: Record<string, string>;
};

/** The template view of a source, amounts formatted for `locale` (en: "$12,000"; zh-CN: "US$12,000"). */
export function templateView(src: TemplateSource, locale: string): TemplateView {
  const money = new Intl.NumberFormat(locale, {
    style: "currency",
    currency: src.reportingCurrency,
    maximumFractionDigits: 0,
  });
  const a = src.account;
  return {
    account: {
      id: a.id,
      name: a.name,
      tier: a.tier ?? "",
      segment: a.segment ?? "",
      industry: a.industry ?? "",
      region: a.region ?? "",
      lifecycleStage: a.lifecycleStage ?? "",
      owner: { name: src.owner?.name ?? a.owner ?? "", email: src.owner?.email ?? "" },
      arr: money.format(src.arr),
      mrr: money.format(src.mrr),
      renewalDate: src.renewalDate ?? "",
      healthScore: src.healthScore === null ? "" : String(Math.round(src.healthScore)),
      healthBand: src.healthBand ?? "",
    },
    contact: {
      name: src.contact?.name ?? "",
      email: src.contact?.email ?? "",
      title: src.contact?.title ?? "",
    },
    workspace: { name: src.workspaceName },
  };
}
