import { isTenureError } from "../errors";
import { runSucceeded } from "../playbooks/runs";
import type { MetricGoal } from "../playbooks/types";
import { type EffectSample, estimateEffect } from "./estimate-effect";

/** Where the control group of an estimate comes from. */
export type EffectControl = "holdout" | "matched";

/**
 * Why a version has no estimate, as a code each reader's language renders: fewer than 2 treated runs
 * measured, fewer than 2 hold-out or matched controls, no variance to build an interval on, or no
 * hold-out and no signal type to match controls by.
 */
export const EFFECT_REASON_CODES = [
  "few_treated",
  "few_holdout",
  "few_matched",
  "no_variance",
  "no_signal_type",
] as const;
export type EffectReasonCode = (typeof EFFECT_REASON_CODES)[number];

/** What the report needs of a playbook run (treated or hold-out). */
export interface EffectRun {
  accountId: string;
  holdout: boolean;
  /** YYYY-MM-DD. */
  startDate: string;
  /** YYYY-MM-DD. */
  windowEnd: string;
  startValue: number | null;
  endValue: number | null;
  status: string;
  /** The account as the run found it: what matched controls are matched on. */
  cell: MatchCell;
  arr: number;
}

/** The strata of matching: segment, health-score band and ARR band. */
export interface MatchCell {
  segment: string | null;
  band: string;
  arrBand: string;
}

/** A run's window measured on both ends. */
export const isMeasured = (r: Pick<EffectRun, "startValue" | "endValue">): boolean =>
  r.startValue !== null &&
  r.endValue !== null &&
  Number.isFinite(r.startValue) &&
  Number.isFinite(r.endValue);

// ARR bands on a roughly logarithmic scale (reporting currency): small enough strata to compare like
// with like, wide enough that a cell has several accounts.
const ARR_BANDS: [upper: number, label: string][] = [
  [5_000, "<5k"],
  [25_000, "5k-25k"],
  [100_000, "25k-100k"],
  [500_000, "100k-500k"],
];

/** The ARR band an annual amount falls in: <5k, 5k-25k, 25k-100k, 100k-500k or 500k+. */
export function arrBand(arr: number): string {
  for (const [upper, label] of ARR_BANDS) if (arr < upper) return label;
  return "500k+";
}

/** Monday (UTC) of the ISO week of a YYYY-MM-DD day: "the same week" of matching. */
export function weekOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  const back = (d.getUTCDay() + 6) % 7;
  d.setUTCDate(d.getUTCDate() - back);
  return d.toISOString().slice(0, 10);
}

const cellKey = (c: MatchCell, week: string) => `${week}|${c.segment ?? ""}|${c.band}|${c.arrBand}`;

/** An account that met the trigger in a week without the playbook: a candidate control. */
export interface MatchCandidate {
  accountId: string;
  /** YYYY-MM-DD: the day it met the trigger. */
  day: string;
  cell: MatchCell;
  arr: number;
}

/** A treated run and the candidates matched to it (read their metric on the run's own dates). */
export interface MatchPair<R> {
  run: R;
  controls: MatchCandidate[];
}

/**
 * Matches each treated run to up to `perRun` candidates of the same week, segment, score band and ARR
 * band, nearest in ARR first and one per run per round, each candidate used once (per account and
 * week) and never an account treated in that week. Deterministic: ties break by account id.
 */
export function matchControls<R extends Pick<EffectRun, "accountId" | "startDate" | "cell" | "arr">>(
  treated: readonly R[],
  candidates: readonly MatchCandidate[],
  perRun = 3,
): MatchPair<R>[] {
  const treatedInWeek = new Set(treated.map((r) => `${weekOf(r.startDate)}|${r.accountId}`));
  const pools = new Map<string, MatchCandidate[]>();
  const seen = new Set<string>();
  for (const c of candidates) {
    const week = weekOf(c.day);
    const id = `${week}|${c.accountId}`;
    if (treatedInWeek.has(id) || seen.has(id)) continue;
    seen.add(id);
    const key = cellKey(c.cell, week);
    const pool = pools.get(key);
    if (pool) pool.push(c);
    else pools.set(key, [c]);
  }
  const ordered = [...treated].sort(
    (a, b) => a.startDate.localeCompare(b.startDate) || a.accountId.localeCompare(b.accountId),
  );
  const pairs: MatchPair<R>[] = ordered.map((run) => ({ run, controls: [] }));
  // Rounds: every run gets its nearest remaining candidate before any run gets a second one, so a
  // thin cell spreads over its runs instead of going to the first.
  for (let round = 0; round < perRun; round++) {
    for (const pair of pairs) {
      const pool = pools.get(cellKey(pair.run.cell, weekOf(pair.run.startDate)));
      if (!pool || pool.length === 0) continue;
      let best = 0;
      for (let i = 1; i < pool.length; i++) {
        const c = pool[i];
        const b = pool[best];
        if (!c || !b) continue;
        const d = Math.abs(c.arr - pair.run.arr) - Math.abs(b.arr - pair.run.arr);
        if (d < 0 || (d === 0 && c.accountId < b.accountId)) best = i;
      }
      const [chosen] = pool.splice(best, 1);
      if (chosen) pair.controls.push(chosen);
    }
  }
  return pairs;
}

/** One playbook version's estimate, as the report shows it. */
export interface VersionEffect {
  /** Treated runs started (hold-outs not counted). */
  runs: number;
  effect: number | null;
  ciLow: number | null;
  ciHigh: number | null;
  pValue: number | null;
  relativeEffect: number | null;
  theta: number | null;
  nTreated: number;
  nControl: number;
  control: EffectControl;
  /** Why there is no estimate (too few measured runs or controls, no variance); null when there is one. */
  reason: string | null;
  /** The reason as a code (see EFFECT_REASON_CODES); null when there is an estimate. */
  reasonCode: EffectReasonCode | null;
  /** Measured treated runs whose metric moved the way the playbook wants. */
  succeeded: number;
  /** Treated runs that completed every step. */
  completed: number;
  /** Mean end value of the control group: the base of the relative effect (and of a relative interval). */
  controlMean: number | null;
}

/**
 * The effect of one playbook version: CUPED + Welch (`estimateEffect`) on the measured treated runs
 * against `controls`, plus how many runs succeeded (moved the metric towards `goal`) and completed.
 * Too few units or no variance give a null effect with the reason, not an error: one version's thin
 * data must not hide the others.
 */
export function versionEffect(
  runs: readonly EffectRun[],
  controls: readonly EffectSample[],
  control: EffectControl,
  goal: MetricGoal,
): VersionEffect {
  const treated = runs.filter((r) => !r.holdout);
  const measured = treated.filter(isMeasured);
  const samples = measured.map((r) => ({ pre: r.startValue ?? 0, post: r.endValue ?? 0 }));
  const succeeded = samples.filter((s) => runSucceeded(goal, s.pre, s.post)).length;
  const completed = treated.filter((r) => r.status === "completed").length;
  const base = {
    runs: treated.length,
    nTreated: samples.length,
    nControl: controls.length,
    control,
    succeeded,
    completed,
    controlMean: controls.length === 0 ? null : controls.reduce((a, c) => a + c.post, 0) / controls.length,
  };
  const none = (reasonCode: EffectReasonCode, reason: string): VersionEffect => ({
    ...base,
    effect: null,
    ciLow: null,
    ciHigh: null,
    pValue: null,
    relativeEffect: null,
    theta: null,
    reason,
    reasonCode,
  });
  if (samples.length < 2) return none("few_treated", "fewer than 2 runs measured at the end of their window");
  if (controls.length < 2)
    return control === "holdout"
      ? none("few_holdout", "fewer than 2 hold-out accounts measured")
      : none("few_matched", "fewer than 2 matched accounts");
  try {
    const e = estimateEffect({ treated: samples, control: controls });
    return {
      ...base,
      effect: e.effect,
      ciLow: e.ciLow,
      ciHigh: e.ciHigh,
      pValue: e.pValue,
      relativeEffect: e.relativeEffect,
      theta: e.theta,
      reason: null,
      reasonCode: null,
    };
  } catch (err) {
    if (isTenureError(err, "validation")) return none("no_variance", err.message);
    throw err;
  }
}
