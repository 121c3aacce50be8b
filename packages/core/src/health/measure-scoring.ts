import type { MeasureScoring } from "./scorecard-types";

/**
 * Scores one metric value 0-100 under a measure's scoring.
 * Linear: `worst` → 0, `best` → 100, clamped (worst > best scores lower-is-better metrics).
 * Steps: the first step with min <= value < max; 0 when none matches (validated scorecards cover all values).
 */
export function scoreMeasureValue(scoring: MeasureScoring, value: number): number {
  if (scoring.type === "linear") {
    const t = (value - scoring.worst) / (scoring.best - scoring.worst);
    return t <= 0 ? 0 : t >= 1 ? 100 : t * 100;
  }
  for (const step of scoring.steps) {
    if ((step.min === undefined || value >= step.min) && (step.max === undefined || value < step.max)) {
      return step.score;
    }
  }
  return 0;
}

/** Builds a scorer for one measure; avoids re-reading the configuration per account. */
export function compileMeasureScoring(scoring: MeasureScoring): (value: number) => number {
  if (scoring.type === "linear") {
    const { worst } = scoring;
    const span = scoring.best - scoring.worst;
    return (value) => {
      const t = (value - worst) / span;
      return t <= 0 ? 0 : t >= 1 ? 100 : t * 100;
    };
  }
  const n = scoring.steps.length;
  const mins = scoring.steps.map((s) => s.min ?? Number.NEGATIVE_INFINITY);
  const maxs = scoring.steps.map((s) => s.max ?? Number.POSITIVE_INFINITY);
  const scores = scoring.steps.map((s) => s.score);
  return (value) => {
    for (let i = 0; i < n; i++) {
      if (value >= (mins[i] as number) && value < (maxs[i] as number)) return scores[i] as number;
    }
    return 0;
  };
}
