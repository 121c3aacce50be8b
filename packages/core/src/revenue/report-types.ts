import type { Month } from "../types";

/** Outputs of the revenue engine. Amounts are in the reporting currency, per month, unrounded. */

export type MovementKind = "new" | "expansion" | "contraction" | "churn" | "reactivation";
export const MOVEMENT_KINDS: readonly MovementKind[] = [
  "new",
  "expansion",
  "contraction",
  "churn",
  "reactivation",
];

/** One account's MRR change in one month. `amount` is signed: churn and contraction are negative. */
export interface AccountMovement {
  month: Month;
  accountId: string;
  kind: MovementKind;
  amount: number;
  mrrBefore: number;
  mrrAfter: number;
}

/** Portfolio metrics of one month. Rates are fractions (0.05 = 5%); null when undefined (no base). */
export interface MonthMetrics {
  month: Month;
  mrr: number;
  arr: number;
  customers: number;
  new: number;
  expansion: number;
  contraction: number;
  churn: number;
  reactivation: number;
  netMovement: number;
  newCustomers: number;
  expansionCustomers: number;
  contractionCustomers: number;
  churnedCustomers: number;
  reactivatedCustomers: number;
  arpa: number | null;
  logoChurnRate: number | null;
  grossMrrChurnRate: number | null;
  netMrrChurnRate: number | null;
  /** Trailing 12 months: MRR now of accounts paying 12 months ago / their MRR then. */
  ndr: number | null;
  grr: number | null;
  quickRatio: number | null;
}

export interface CohortRow {
  cohort: Month;
  size: number;
  startMrr: number;
  /** index = months since start; fraction of the cohort's accounts paying; null past the last month. */
  logo: (number | null)[];
  /** index = months since start; cohort MRR / start MRR. */
  revenue: (number | null)[];
}

export interface CohortTable {
  cohorts: CohortRow[];
  maxAge: number;
}

export interface ChannelEconomics {
  channel: string;
  spend: number;
  newCustomers: number;
  cac: number | null;
  arpaNew: number | null;
  logoChurnRate: number | null;
  ltv: number | null;
  ltvToCac: number | null;
  paybackMonths: number | null;
}

export interface UnitEconomics {
  from: Month;
  to: Month;
  grossMargin: number;
  arpa: number | null;
  /** Average monthly logo churn rate over the period. */
  logoChurnRate: number | null;
  ltv: number | null;
  overall: ChannelEconomics;
  channels: ChannelEconomics[];
}

export interface BundleRow {
  bundle: string;
  products: string[];
  accounts: number;
  activeAccounts: number;
  /** Share of accounts still paying 12 months after their start (of those started ≥ 12 months ago). */
  retention12: number | null;
  avgLifetimeMonths: number;
  arpa: number | null;
  logoChurnRate: number | null;
  ltv: number | null;
  /** LTV relative to the average single-product LTV. */
  ltvMultiple: number | null;
}

export interface WhatIfScenario {
  rate: number;
  points: { month: Month; mrr: number }[];
}

export interface WhatIf {
  startMonth: Month;
  startMrr: number;
  scenarios: WhatIfScenario[];
}
