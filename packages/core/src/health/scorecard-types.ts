import type { SegmentFilter } from "../types";
import type { MetricKey } from "./metric-catalog";

/**
 * A health scorecard: JSON configuration (editable in the UI) that turns per-account metrics into a
 * 0-100 score. Profiles let different segments (high-touch enterprise, tech-touch SMB) use different
 * dimensions, weights and thresholds under one scorecard.
 */

/** value at `worst` scores 0, at `best` 100, linear in between, clamped; worst > best = lower is better. */
export interface LinearScoring {
  type: "linear";
  worst: number;
  best: number;
}

/** One band of a step scoring: `min` inclusive, `max` exclusive; a missing bound is unbounded. */
export interface ScoringStep {
  min?: number;
  max?: number;
  score: number;
}

/** The first step whose range contains the value gives the score; steps must cover every number. */
export interface StepScoring {
  type: "steps";
  steps: ScoringStep[];
}

export type MeasureScoring = LinearScoring | StepScoring;

export interface Measure {
  key: string;
  label: string;
  metric: MetricKey;
  weight: number;
  scoring: MeasureScoring;
}

export interface Dimension {
  key: string;
  label: string;
  weight: number;
  measures: Measure[];
}

export interface Profile {
  id: string;
  name: string;
  /** Every filter must match the account; [] marks the default profile (exactly one required). */
  appliesTo: SegmentFilter[];
  dimensions: Dimension[];
}

export interface Scorecard {
  id: string;
  name: string;
  version: number;
  /** score < red → red; < yellow → yellow; else green. */
  bands: { red: number; yellow: number };
  profiles: Profile[];
}

/** "none" = no metric had data, so there is no score. */
export type HealthBand = "red" | "yellow" | "green" | "none";

export interface MeasureScore {
  key: string;
  label: string;
  metric: MetricKey;
  value: number | null;
  /** 0-100, null when the value is missing. */
  score: number | null;
  /** Configured weight within the dimension. */
  weight: number;
  /** Share (0-1) of the total score this measure carried after renormalisation; 0 when missing. */
  effectiveWeight: number;
  /** Points this measure adds to the total; contributions of all measures sum to the score. */
  contribution: number;
  missing: boolean;
}

export interface DimensionScore {
  key: string;
  label: string;
  /** Configured weight at the top level. */
  weight: number;
  /** Share (0-1) of the total score after renormalisation; 0 when the dimension has no data. */
  effectiveWeight: number;
  /** 0-100 with 1 decimal, null when no measure of the dimension has data. */
  score: number | null;
  measures: MeasureScore[];
}

export interface AccountScore {
  /** 0-100 with 1 decimal; null when nothing had data. */
  score: number | null;
  band: HealthBand;
  profileId: string;
  dimensions: DimensionScore[];
}
