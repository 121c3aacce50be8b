import type { MrrMatrix } from "../../revenue/mrr-matrix";
import type { Account, Contact, IsoDate, Month, Subscription } from "../../types";
import type { DataRow } from "../ml/table";

/** What a churn or expansion model predicts. */
export type PredictionTarget = "churn" | "expansion";

/** One account's product usage on one day (distinct users, events, distinct departments). */
export interface AccountUsageDay {
  accountId: string;
  day: IsoDate;
  activeUsers: number;
  events: number;
  departments: number;
}

/** A dated customer interaction or answer from the timeline (ticket, nps, note, call, meeting, email). */
export interface ChurnTimelineEntry {
  accountId: string;
  type: string;
  occurredAt: string;
  /** NPS answers carry `score`; other fields are ignored. */
  data: Readonly<Record<string, unknown>>;
}

/** One user active on one day (any event): distinct active users over a window come from these. */
export interface AccountUserDay {
  accountId: string;
  userKey: string;
  day: IsoDate;
}

/** A signal's life: risk signals open at a prediction date count as a feature. */
export interface ChurnSignal {
  accountId: string;
  kind: string;
  openedAt: string;
  resolvedAt: string | null;
}

/**
 * The default scorecard's dimensions (people, product, money) on one scored day. Days to renewal is
 * left out on purpose: the churn probability is the account's risk, not its contract calendar (a
 * 90-day figure that knew the renewal date would read ~0 for every account mid-term, and renewals
 * carry the risk to their own dates, see churnProbabilityWithin).
 */
export interface ChurnHealthDetail {
  accountId: string;
  date: IsoDate;
  people: number | null;
  product: number | null;
  money: number | null;
}

/** One stored health score. */
export interface ChurnHealthPoint {
  accountId: string;
  date: IsoDate;
  score: number | null;
}

/**
 * Everything the dataset builder reads, already loaded. Contacts carry no creation date, so contact
 * coverage is today's (the one feature that is not point-in-time).
 */
export interface ChurnInputs {
  accounts: readonly Account[];
  subscriptions: readonly Subscription[];
  /** Account × month MRR from the revenue engine; labels and MRR features come from it. */
  matrix: MrrMatrix;
  contacts: readonly Contact[];
  usage: readonly AccountUsageDay[];
  timeline: readonly ChurnTimelineEntry[];
  health: readonly ChurnHealthPoint[];
  /** Users active per day; without them "active users" is the window's busiest day. */
  userDays?: readonly AccountUserDay[];
  signals?: readonly ChurnSignal[];
  /** Health dimensions and days to renewal on scored days (month ends are enough). */
  healthDetails?: readonly ChurnHealthDetail[];
}

/** One account at one prediction date (the first day of `month`). */
export interface ChurnRow {
  accountId: string;
  month: Month;
  /** Model inputs, computed only from data dated strictly before the prediction date. */
  features: DataRow;
  /** 1/0, or null when the horizon is not over by the end of the data. */
  label: number | null;
}

export interface ChurnDatasetOptions {
  /** Prediction months; each row is predicted at the month's first day. */
  months: readonly Month[];
  /** Label horizon in days (default 90), rounded up to whole months of the MRR matrix. */
  horizonDays?: number;
  target: PredictionTarget;
  /** Last month whose MRR is final (default: the matrix's last month); later horizons give null labels. */
  labelUntil?: Month;
}

export interface ChurnDataset {
  target: PredictionTarget;
  horizonDays: number;
  horizonMonths: number;
  features: string[];
  rows: ChurnRow[];
}
