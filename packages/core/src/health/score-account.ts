import { accountMatcher } from "../account-match";
import { TenureError } from "../errors";
import type { Account } from "../types";
import { compileMeasureScoring } from "./measure-scoring";
import type { MetricKey, MetricValues } from "./metric-catalog";
import type {
  AccountScore,
  DimensionScore,
  HealthBand,
  MeasureScore,
  Profile,
  Scorecard,
} from "./scorecard-types";

/**
 * Scoring: a measure with no value is left out and the others of its dimension are reweighted; a
 * dimension with no data is left out and the others are reweighted. Contributions are apportioned in
 * tenths of a point (largest remainder) so they add up to the rounded score exactly.
 */

/** Band of a score under the scorecard's thresholds (null → "none"). */
export function bandOf(score: number | null, bands: Scorecard["bands"]): HealthBand {
  if (score === null) return "none";
  if (score < bands.red) return "red";
  if (score < bands.yellow) return "yellow";
  return "green";
}

interface CompiledMeasure {
  key: string;
  label: string;
  metric: MetricKey;
  weight: number;
  score: (value: number) => number;
}

interface CompiledDimension {
  key: string;
  label: string;
  weight: number;
  measures: CompiledMeasure[];
}

interface CompiledProfile {
  id: string;
  matches: (account: Account) => boolean;
  dimensions: CompiledDimension[];
  measureCount: number;
}

function compileProfile(profile: Profile): CompiledProfile {
  const matchers = profile.appliesTo.map(accountMatcher);
  return {
    id: profile.id,
    matches: (a) => matchers.every((m) => m(a)),
    dimensions: profile.dimensions.map((d) => ({
      key: d.key,
      label: d.label,
      weight: d.weight,
      measures: d.measures.map((m) => ({
        key: m.key,
        label: m.label,
        metric: m.metric,
        weight: m.weight,
        score: compileMeasureScoring(m.scoring),
      })),
    })),
    measureCount: profile.dimensions.reduce((n, d) => n + d.measures.length, 0),
  };
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

/** Picks the first non-default profile whose filters all match, else the default profile. */
export function selectProfile(scorecard: Scorecard, account: Account): Profile {
  const hit = scorecard.profiles.find(
    (p) => p.appliesTo.length > 0 && p.appliesTo.every((f) => accountMatcher(f)(account)),
  );
  const fallback = scorecard.profiles.find((p) => p.appliesTo.length === 0) ?? scorecard.profiles[0];
  const profile = hit ?? fallback;
  if (profile === undefined)
    throw new TenureError("validation", "Scorecard has no profile; check it with parseScorecard");
  return profile;
}

/** Score, band and dimension scores only: what a daily history row needs, without the breakdown. */
export interface AccountScoreSummary {
  score: number | null;
  band: HealthBand;
  profileId: string;
  dimensions: { key: string; score: number | null }[];
}

/**
 * A score as stored with the daily history: numbers only, in the profile's order. `unpackScore` with the
 * same scorecard gives back exactly what the full scorer returns (labels and weights come from it).
 */
export interface PackedScore {
  score: number | null;
  band: HealthBand;
  profileId: string;
  /** Per dimension of the profile: its score, null when none of its measures has data. */
  dims: (number | null)[];
  /**
   * Per measure in profile order, three numbers: value (null = missing), score (1 decimal, null when
   * missing) and contribution in tenths of a point.
   */
  measures: (number | null)[];
}

/**
 * A compiled scorecard: call it for the full breakdown, `.pack` for the stored form, or `.summary` for
 * bulk jobs that need no breakdown (far less memory).
 */
export type AccountScorer = ((account: Account, metrics: MetricValues) => AccountScore) & {
  summary: (account: Account, metrics: MetricValues) => AccountScoreSummary;
  pack: (account: Account, metrics: MetricValues) => PackedScore;
};

/**
 * Precompiles a (validated) scorecard into a fast scorer `(account, metrics) => AccountScore`
 * (plus `.summary` without the per-measure breakdown); compile once, then score thousands of accounts.
 */
export function compileScorecard(scorecard: Scorecard): AccountScorer {
  const specific = scorecard.profiles.filter((p) => p.appliesTo.length > 0).map(compileProfile);
  const def = scorecard.profiles.find((p) => p.appliesTo.length === 0) ?? scorecard.profiles[0];
  if (def === undefined)
    throw new TenureError("validation", "Scorecard has no profile; check it with parseScorecard");
  const fallback = compileProfile(def);
  const { bands } = scorecard;

  // scratch buffers reused across accounts (scoring is synchronous), so the only allocations are the
  // result objects, each created once with its final values
  const all = [fallback, ...specific];
  const maxMeasures = Math.max(...all.map((p) => p.measureCount));
  const maxDims = Math.max(...all.map((p) => p.dimensions.length));
  const value = new Float64Array(maxMeasures); // NaN = missing
  const rawScore = new Float64Array(maxMeasures); // unrounded measure score
  const raw = new Float64Array(maxMeasures); // unrounded contribution
  const units = new Int32Array(maxMeasures); // contribution in tenths of a point
  const rema = new Float64Array(maxMeasures);
  const dimW = new Float64Array(maxDims); // sum of the weights of measures with data
  const dimS = new Float64Array(maxDims); // weighted sum of their scores

  /** Passes 1-3 into the scratch buffers; returns the profile, total weight and score in tenths. */
  const compute = (account: Account, metrics: MetricValues) => {
    let profile = fallback;
    for (const p of specific) {
      if (p.matches(account)) {
        profile = p;
        break;
      }
    }
    const dims = profile.dimensions;
    const n = profile.measureCount;

    // pass 1: measure scores and dimension sums
    let topWeight = 0;
    let j = 0;
    for (let di = 0; di < dims.length; di++) {
      const d = dims[di] as CompiledDimension;
      let wSum = 0;
      let sSum = 0;
      for (const m of d.measures) {
        const v = metrics[m.metric];
        if (typeof v === "number" && Number.isFinite(v)) {
          const s = m.score(v);
          value[j] = v;
          rawScore[j] = s;
          wSum += m.weight;
          sSum += m.weight * s;
        } else {
          value[j] = Number.NaN;
          rawScore[j] = 0;
        }
        j++;
      }
      dimW[di] = wSum;
      dimS[di] = sSum;
      if (wSum > 0) topWeight += d.weight;
    }

    // pass 2: unrounded contributions (dimension share × measure share × measure score)
    let total = 0;
    j = 0;
    for (let di = 0; di < dims.length; di++) {
      const d = dims[di] as CompiledDimension;
      const wSum = dimW[di] as number;
      const factor = wSum > 0 ? d.weight / topWeight / wSum : 0;
      for (const m of d.measures) {
        const c = Number.isNaN(value[j]) ? 0 : factor * m.weight * (rawScore[j] as number);
        raw[j++] = c;
        total += c;
      }
    }

    // pass 3: apportion tenths of a point (largest remainder) so contributions add up to the score
    const totalUnits = topWeight > 0 ? Math.round(total * 10) : 0;
    apportion(raw, units, rema, n, totalUnits);
    return { profile, topWeight, totalUnits };
  };

  const full = (account: Account, metrics: MetricValues): AccountScore => {
    const { profile, topWeight, totalUnits } = compute(account, metrics);
    const dims = profile.dimensions;
    let j = 0;
    // pass 4: the result
    const dimensions: DimensionScore[] = [];
    j = 0;
    for (let di = 0; di < dims.length; di++) {
      const d = dims[di] as CompiledDimension;
      const wSum = dimW[di] as number;
      const share = wSum > 0 ? d.weight / topWeight : 0;
      const measures: MeasureScore[] = [];
      for (const m of d.measures) {
        const v = value[j] as number;
        const missing = Number.isNaN(v);
        measures.push({
          key: m.key,
          label: m.label,
          metric: m.metric,
          value: missing ? null : v,
          score: missing ? null : round1(rawScore[j] as number),
          weight: m.weight,
          effectiveWeight: missing ? 0 : (share * m.weight) / wSum,
          contribution: (units[j] as number) / 10,
          missing,
        });
        j++;
      }
      dimensions.push({
        key: d.key,
        label: d.label,
        weight: d.weight,
        effectiveWeight: share,
        score: wSum > 0 ? round1((dimS[di] as number) / wSum) : null,
        measures,
      });
    }
    if (topWeight === 0) return { score: null, band: "none", profileId: profile.id, dimensions };
    const score = totalUnits / 10;
    return { score, band: bandOf(score, bands), profileId: profile.id, dimensions };
  };

  const summary = (account: Account, metrics: MetricValues): AccountScoreSummary => {
    const { profile, topWeight, totalUnits } = compute(account, metrics);
    const dimensions = profile.dimensions.map((d, di) => {
      const wSum = dimW[di] as number;
      return { key: d.key, score: wSum > 0 ? round1((dimS[di] as number) / wSum) : null };
    });
    if (topWeight === 0) return { score: null, band: "none", profileId: profile.id, dimensions };
    const score = totalUnits / 10;
    return { score, band: bandOf(score, bands), profileId: profile.id, dimensions };
  };

  const pack = (account: Account, metrics: MetricValues): PackedScore => {
    const { profile, topWeight, totalUnits } = compute(account, metrics);
    const dims = profile.dimensions;
    const dimScores: (number | null)[] = new Array(dims.length);
    const measures: (number | null)[] = new Array(profile.measureCount * 3);
    let j = 0;
    for (let di = 0; di < dims.length; di++) {
      const wSum = dimW[di] as number;
      dimScores[di] = wSum > 0 ? round1((dimS[di] as number) / wSum) : null;
      const count = (dims[di] as CompiledDimension).measures.length;
      for (let k = 0; k < count; k++, j++) {
        const v = value[j] as number;
        const missing = Number.isNaN(v);
        measures[j * 3] = missing ? null : v;
        measures[j * 3 + 1] = missing ? null : round1(rawScore[j] as number);
        measures[j * 3 + 2] = units[j] as number;
      }
    }
    if (topWeight === 0)
      return { score: null, band: "none", profileId: profile.id, dims: dimScores, measures };
    const score = totalUnits / 10;
    return { score, band: bandOf(score, bands), profileId: profile.id, dims: dimScores, measures };
  };

  return Object.assign(full, { summary, pack });
}

/**
 * The full breakdown of a packed score, read with the scorecard it was packed with (equal to what the
 * scorer returned). A profile or shape that no longer matches gives the score without dimensions.
 */
export function unpackScore(packed: PackedScore, scorecard: Scorecard): AccountScore {
  const head = { score: packed.score, band: packed.band, profileId: packed.profileId };
  const profile = scorecard.profiles.find((p) => p.id === packed.profileId);
  const measureCount = profile?.dimensions.reduce((n, d) => n + d.measures.length, 0) ?? -1;
  if (
    profile === undefined ||
    packed.dims.length !== profile.dimensions.length ||
    packed.measures.length !== measureCount * 3
  )
    return { ...head, dimensions: [] };
  // The same sums, in the same order, as the scorer's pass 1, so the shares come out bit for bit.
  const wSums: number[] = [];
  let topWeight = 0;
  let j = 0;
  for (const d of profile.dimensions) {
    let wSum = 0;
    for (const m of d.measures) {
      if (packed.measures[j * 3] !== null) wSum += m.weight;
      j++;
    }
    wSums.push(wSum);
    if (wSum > 0) topWeight += d.weight;
  }
  j = 0;
  const dimensions: DimensionScore[] = profile.dimensions.map((d, di) => {
    const wSum = wSums[di] as number;
    const share = wSum > 0 ? d.weight / topWeight : 0;
    const measures: MeasureScore[] = d.measures.map((m) => {
      const v = packed.measures[j * 3] ?? null;
      const score = packed.measures[j * 3 + 1] ?? null;
      const units = packed.measures[j * 3 + 2] ?? 0;
      j++;
      const missing = v === null;
      return {
        key: m.key,
        label: m.label,
        metric: m.metric,
        value: v,
        score: missing ? null : score,
        weight: m.weight,
        effectiveWeight: missing ? 0 : (share * m.weight) / wSum,
        contribution: units / 10,
        missing,
      };
    });
    return {
      key: d.key,
      label: d.label,
      weight: d.weight,
      effectiveWeight: share,
      score: packed.dims[di] ?? null,
      measures,
    };
  });
  return { ...head, dimensions };
}

/**
 * A short fingerprint of a scorecard's content (two 32-bit FNV-1a hashes of its JSON), naming the
 * version a stored score was packed with.
 */
export function scorecardVersion(scorecard: Scorecard): string {
  const text = JSON.stringify(scorecard);
  let a = 0x811c9dc5;
  let b = 0x01000193 ^ text.length;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    a = Math.imul(a ^ c, 0x01000193);
    b = Math.imul(b ^ c, 0x5bd1e995) ^ (b >>> 15);
  }
  const hex = (x: number) => (x >>> 0).toString(16).padStart(8, "0");
  return `${hex(a)}${hex(b)}`;
}

/**
 * Largest-remainder rounding of `raw[0..n)` (points) to whole tenths in `units` summing to `totalUnits`.
 */
function apportion(
  raw: Float64Array,
  units: Int32Array,
  rema: Float64Array,
  n: number,
  totalUnits: number,
): void {
  let floorSum = 0;
  for (let j = 0; j < n; j++) {
    const u = (raw[j] as number) * 10;
    const f = Math.floor(u);
    units[j] = f;
    rema[j] = u - f;
    floorSum += f;
  }
  for (let k = totalUnits - floorSum; k > 0; k--) {
    let best = -1;
    let bestRem = -1;
    for (let j = 0; j < n; j++) {
      if ((rema[j] as number) > bestRem) {
        bestRem = rema[j] as number;
        best = j;
      }
    }
    if (best < 0) break;
    units[best] = (units[best] as number) + 1;
    rema[best] = -2;
  }
  // float noise could in theory leave one unit too many: take it from the smallest remainder
  for (let k = totalUnits - floorSum; k < 0; k++) {
    let worst = -1;
    let worstRem = 2;
    for (let j = 0; j < n; j++) {
      if ((units[j] as number) > 0 && (rema[j] as number) < worstRem) {
        worstRem = rema[j] as number;
        worst = j;
      }
    }
    if (worst < 0) break;
    units[worst] = (units[worst] as number) - 1;
    rema[worst] = 3;
  }
}

/** Scores one account; for many accounts compile once with `compileScorecard`. */
export function scoreAccount(scorecard: Scorecard, account: Account, metrics: MetricValues): AccountScore {
  return compileScorecard(scorecard)(account, metrics);
}
