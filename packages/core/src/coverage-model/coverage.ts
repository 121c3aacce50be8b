import { addMonthsToIsoDate } from "../models/portfolio/renewals";

/**
 * High-touch and tech-touch coverage (seed 000): large accounts are run quarter by quarter with a
 * revenue target and a QBR; small ones by automated light SOPs focused on their first weeks.
 */

export const COVERAGE_MOTIONS = ["high_touch", "mid_touch", "tech_touch"] as const;
export type CoverageMotion = (typeof COVERAGE_MOTIONS)[number];

/** How one tier is covered: which team owns it, how often it gets a QBR, which playbooks run by themselves. */
export interface TierCoverage {
  tier: string;
  motion: CoverageMotion;
  /** The owning team's id (a team of members); null: not assigned yet. */
  teamId: string | null;
  /** Months between QBRs; null: no QBRs (tech-touch). */
  qbrCadenceMonths: number | null;
  /** Playbook keys started automatically for accounts of this tier. */
  automaticPlaybooks: string[];
}

/** A workspace's coverage model: one entry per tier. */
export interface CoverageModel {
  tiers: TierCoverage[];
}

/** The model a new workspace starts with (seed 000's large/small split, a mid tier in between). */
export const DEFAULT_COVERAGE: CoverageModel = {
  tiers: [
    {
      tier: "enterprise",
      motion: "high_touch",
      teamId: null,
      qbrCadenceMonths: 3,
      automaticPlaybooks: ["qbr-high-touch", "renewal-prep-90"],
    },
    {
      tier: "mid-market",
      motion: "mid_touch",
      teamId: null,
      qbrCadenceMonths: 6,
      automaticPlaybooks: ["low-adoption-rescue", "renewal-prep-90"],
    },
    {
      tier: "smb",
      motion: "tech_touch",
      teamId: null,
      qbrCadenceMonths: null,
      automaticPlaybooks: ["onboarding-first-30-days", "low-adoption-rescue"],
    },
  ],
};

/** The problems of a coverage model, each naming its field (empty when valid). */
export function validateCoverage(
  model: CoverageModel,
  known: { teamIds: ReadonlySet<string>; playbookKeys: ReadonlySet<string> },
): string[] {
  const problems: string[] = [];
  const seen = new Set<string>();
  model.tiers.forEach((t, i) => {
    const at = `tiers[${i}]`;
    if (t.tier.trim() === "") problems.push(`${at}.tier: must not be empty`);
    if (seen.has(t.tier)) problems.push(`${at}.tier: "${t.tier}" is listed twice`);
    seen.add(t.tier);
    if (t.teamId !== null && !known.teamIds.has(t.teamId))
      problems.push(`${at}.teamId: no team "${t.teamId}"`);
    if (
      t.qbrCadenceMonths !== null &&
      (!Number.isInteger(t.qbrCadenceMonths) || t.qbrCadenceMonths < 1 || t.qbrCadenceMonths > 12)
    ) {
      problems.push(
        `${at}.qbrCadenceMonths: must be a whole number of months from 1 to 12, or null for no QBRs`,
      );
    }
    if (t.motion === "tech_touch" && t.qbrCadenceMonths !== null) {
      problems.push(`${at}.qbrCadenceMonths: a tech-touch tier has no QBRs (null)`);
    }
    t.automaticPlaybooks.forEach((k, j) => {
      if (!known.playbookKeys.has(k)) problems.push(`${at}.automaticPlaybooks[${j}]: no playbook "${k}"`);
    });
  });
  return problems;
}

/** First and last day of a "YYYY-Qn" quarter. */
export function quarterBounds(quarter: string): { start: string; end: string } {
  const m = /^(\d{4})-Q([1-4])$/.exec(quarter);
  if (m === null) throw new RangeError(`not a quarter: "${quarter}" (expected YYYY-Qn)`);
  const year = Number(m[1]);
  const q = Number(m[2]);
  const startMonth = (q - 1) * 3 + 1;
  const endMonth = startMonth + 2;
  const lastDay = new Date(Date.UTC(year, endMonth, 0)).getUTCDate();
  const mm = (n: number) => String(n).padStart(2, "0");
  return { start: `${year}-${mm(startMonth)}-01`, end: `${year}-${mm(endMonth)}-${mm(lastDay)}` };
}

/** The quarter `n` quarters after `quarter` (negative: before). */
export function shiftQuarter(quarter: string, n: number): string {
  const { start } = quarterBounds(quarter);
  const index = Number(start.slice(0, 4)) * 4 + (Number(start.slice(5, 7)) - 1) / 3 + n;
  return `${Math.floor(index / 4)}-Q${(index % 4) + 1}`;
}

/** When an account's next QBR is due: its last QBR (or signing) plus the cadence; null without QBRs. */
export function nextQbrDue(
  lastHeldOn: string | null,
  signedOn: string | null,
  cadenceMonths: number | null,
): string | null {
  if (cadenceMonths === null) return null;
  const from = lastHeldOn ?? signedOn;
  return from === null ? null : addMonthsToIsoDate(from, cadenceMonths);
}

/** Actual over target (1 = on target); null without a positive target. */
export function attainment(target: number | null, actual: number | null): number | null {
  if (target === null || actual === null || target <= 0) return null;
  return Math.round((actual / target) * 1000) / 1000;
}
