import type { ContactRole, IsoDate } from "../types";

/** Whether a signal warns of loss (churn, contraction) or points at growth (expansion). */
export type SignalKind = "risk" | "opportunity";
export const SIGNAL_KINDS: readonly SignalKind[] = ["risk", "opportunity"];

export type SignalSeverity = "low" | "medium" | "high";
export const SIGNAL_SEVERITIES: readonly SignalSeverity[] = ["low", "medium", "high"];

/** Lifecycle of a stored signal: raised → seen by a person → closed (by hand or because it stopped being true). */
export type SignalStatus = "open" | "acknowledged" | "resolved";
export const SIGNAL_STATUSES: readonly SignalStatus[] = ["open", "acknowledged", "resolved"];

/** The built-in detectors. User rules use the type `rule:<ruleId>`. */
export type BuiltinSignalType =
  | "usage_drop"
  | "breadth_collapse"
  | "champion_left"
  | "champion_silent"
  | "no_login"
  | "quota_expansion"
  | "seat_utilisation_high"
  | "new_stakeholder"
  | "new_department"
  | "renewal_risk"
  | "discount_at_renewal"
  | "ticket_spike"
  | "nps_detractor";

export const BUILTIN_SIGNAL_TYPES: readonly BuiltinSignalType[] = [
  "usage_drop",
  "breadth_collapse",
  "champion_left",
  "champion_silent",
  "no_login",
  "quota_expansion",
  "seat_utilisation_high",
  "new_stakeholder",
  "new_department",
  "renewal_risk",
  "discount_at_renewal",
  "ticket_spike",
  "nps_detractor",
];

export type SignalType = BuiltinSignalType | `rule:${string}`;

/** Health band as read by the signal engine (the health scorecard owns how it is computed). */
export type SignalHealthBand = "green" | "yellow" | "red";

/** A person at the account as the detectors see them. */
export interface SignalContact {
  id: string;
  name: string;
  role: ContactRole | null;
  lastTouchAt: IsoDate | null;
  isChampion: boolean;
  /** Date the contact left the customer company, null while still there. */
  leftAt: IsoDate | null;
}

/** A user or contact first seen recently (who they are and where they sit). */
export interface SignalStakeholder {
  id: string;
  name: string;
  role: string | null;
  department: string | null;
  firstSeenAt: IsoDate;
}

export interface SignalDepartment {
  name: string;
  firstSeenAt: IsoDate;
}

export interface SignalQuota {
  used: number;
  entitled: number;
  periodStart: IsoDate;
  periodEnd: IsoDate;
  /** The pace as the usage card shows it (quotaPace); when given, the evidence uses it verbatim. */
  pace?: { dailyRunRate: number | null; exhaustionDate: IsoDate | null; metric: string };
}

export interface SignalSeats {
  used: number;
  licensed: number;
}

export interface SignalNpsResponse {
  date: IsoDate;
  /** 0-10. */
  score: number;
  contactId: string | null;
}

/**
 * Everything a detector may read about one account at `asOf`. Assembled elsewhere (usage rollups, CRM,
 * billing); the detectors only read it. Weekly series are oldest first, most recent week last.
 */
export interface SignalContext {
  accountId: string;
  asOf: IsoDate;
  /** Distinct active users per week (≥ 8 weeks for usage_drop). */
  weeklyActiveUsers: readonly number[];
  /** Distinct departments with an active user per week. */
  weeklyActiveDepartments: readonly number[];
  /** Usage events per week. */
  weeklyEvents: readonly number[];
  /** Days since any new usage data arrived; null when none ever did. */
  newDataDays: number | null;
  contacts: readonly SignalContact[];
  daysSinceLastLogin: number | null;
  quota: SignalQuota | null;
  seats: SignalSeats | null;
  contractEnd: IsoDate | null;
  renewalDate: IsoDate | null;
  newStakeholders: readonly SignalStakeholder[];
  newDepartments: readonly SignalDepartment[];
  healthScore: { score: number; band: SignalHealthBand } | null;
  /** Discount in percent, 0-100 (as Subscription.discountPct). */
  discountPct: number | null;
  ticketsPerWeek: readonly number[];
  npsResponses: readonly SignalNpsResponse[];
  mrr: number | null;
  /** Flat named figures that user rules test (e.g. "active_users_4w", "health_score"). */
  metrics: Readonly<Record<string, number | null>>;
}

export type SignalEvidence = Record<string, number | string | null>;

/** One condition found true at `asOf`, with the figures that made it true. */
export interface DetectedSignal {
  type: SignalType;
  kind: SignalKind;
  severity: SignalSeverity;
  /** English title, rendered from `signalText(type, evidence)` (readers in other languages render the same keys). */
  title: string;
  /** One readable English sentence with the numbers, rendered the same way. */
  summary: string;
  evidence: SignalEvidence;
  /** type + accountId + stable subject: a condition that stays true is not raised twice. */
  dedupKey: string;
}

/** A signal as persisted (the fields reconciliation and transitions need). */
export interface StoredSignal {
  id: string;
  dedupKey: string;
  status: SignalStatus;
  openedAt: IsoDate;
  resolvedAt: IsoDate | null;
  acknowledgedAt?: IsoDate | null;
  statusChangedBy?: string | null;
}

/** A detector: pure, reads the context and its own settings. */
export type SignalDetector<S> = (ctx: SignalContext, settings: S) => DetectedSignalFacts[];

/** What a detector finds: the signal without its text, which is composed from type and evidence. */
export type DetectedSignalFacts = Omit<DetectedSignal, "title" | "summary">;
