/**
 * Domain records shared by every Tenure package. Plain data, no behaviour.
 * Dates are ISO strings: `IsoDate` = "YYYY-MM-DD", `Month` = "YYYY-MM".
 */

export type IsoDate = string;
export type Month = string;

export type BillingInterval = "month" | "quarter" | "year";
export const BILLING_INTERVALS: readonly BillingInterval[] = ["month", "quarter", "year"];

export type LifecycleStage = "onboarding" | "adoption" | "retention" | "expansion" | "advocacy" | "churned";
export const LIFECYCLE_STAGES: readonly LifecycleStage[] = [
  "onboarding",
  "adoption",
  "retention",
  "expansion",
  "advocacy",
  "churned",
];

export type ContactRole = "champion" | "decision_maker" | "admin" | "user" | "billing";
export const CONTACT_ROLES: readonly ContactRole[] = [
  "champion",
  "decision_maker",
  "admin",
  "user",
  "billing",
];

export type CustomFieldValue = string | number | boolean | null;

/** A customer company. `id` is the workspace-unique external id used by imports and the API. */
export interface Account {
  id: string;
  name: string;
  crmId: string | null;
  billingId: string | null;
  tier: string | null;
  segment: string | null;
  industry: string | null;
  region: string | null;
  owner: string | null;
  lifecycleStage: LifecycleStage | null;
  channel: string | null;
  utmSource: string | null;
  utmMedium: string | null;
  utmCampaign: string | null;
  tags: string[];
  customFields: Record<string, CustomFieldValue>;
}

/** A person at an account. */
export interface Contact {
  id: string;
  accountId: string;
  name: string;
  email: string | null;
  role: ContactRole | null;
  title: string | null;
  lastTouchAt: IsoDate | null;
  /** Day the person left the customer company; null while still there. */
  leftAt: IsoDate | null;
}

export interface Product {
  id: string;
  name: string;
}

/** A price point of a product. Subscriptions reference plans by `id`. */
export interface Plan {
  id: string;
  productId: string;
  name: string;
  interval: BillingInterval | null;
  amount: number | null;
  currency: string | null;
}

/**
 * One service period of a subscription. History is a sequence of rows (like dbt's subscription_periods).
 * `amount` is per interval per unit before discount; `endDate` is exclusive, null = open-ended.
 */
export interface Subscription {
  id: string;
  accountId: string;
  plan: string;
  startDate: IsoDate;
  endDate: IsoDate | null;
  amount: number;
  currency: string;
  interval: BillingInterval;
  quantity: number;
  discountPct: number;
  trial: boolean;
}

/** Metric of an entitlement that counts every usage event (track, page, screen) of the account. */
export const ALL_USAGE_EVENTS = "*";

/**
 * A usage allowance (quota): `quantity` units of `metric` over the contract term [periodStart, periodEnd)
 * (end exclusive, as Subscription.endDate). `metric` is a usage event name, or "*" for every event.
 */
export interface Entitlement {
  id: string;
  accountId: string;
  /** Subscription the allowance comes with, when known. */
  subscriptionId: string | null;
  metric: string;
  quantity: number;
  periodStart: IsoDate;
  periodEnd: IsoDate;
}

/** From `date` on, 1 unit of `currency` = `rate` units of the reporting currency. */
export interface ExchangeRate {
  date: IsoDate;
  currency: string;
  rate: number;
}

/** Acquisition spend for one channel in one month, in `currency`. */
export interface AcquisitionSpend {
  month: Month;
  channel: string;
  amount: number;
  currency: string;
}

/** Attributes an account can be cut by (`--segment attr=value`). `plan` and `product` match any subscription. */
export type SegmentAttribute =
  | "tier"
  | "segment"
  | "industry"
  | "region"
  | "owner"
  | "channel"
  | "lifecycleStage"
  | "plan"
  | "product"
  | "tag"
  | `custom.${string}`;

export interface SegmentFilter {
  attribute: string;
  value: string;
}
