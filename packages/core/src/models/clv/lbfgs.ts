import type { ObjectiveWithGradient, OptimizeResult } from "./optimize-types";

export interface LbfgsOptions {
  maxIterations?: number;
  /** Stop when the largest gradient component is below this (scaled by max(1, |f|)). */
  gradientTolerance?: number;
  /** Stop when f changes by less than this relative amount over one iteration. */
  fTolerance?: number;
  /** Number of correction pairs kept. */
  memory?: number;
}

const C1 = 1e-4;
const C2 = 0.9;

interface Point {
  x: Float64Array;
  f: number;
  g: Float64Array;
}

const dot = (a: Float64Array, b: Float64Array) => {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
};

/** Limited-memory BFGS with a strong-Wolfe line search (Nocedal & Wright, algorithms 7.4, 3.5, 3.6). */
export function lbfgs(
  fg: ObjectiveWithGradient,
  x0: readonly number[],
  options: LbfgsOptions = {},
): OptimizeResult {
  const n = x0.length;
  const maxIterations = options.maxIterations ?? 500;
  const gTol = options.gradientTolerance ?? 1e-9;
  const fTol = options.fTolerance ?? 1e-13;
  const m = options.memory ?? 8;
  let evaluations = 0;

  const evaluate = (x: Float64Array): Point => {
    const g = new Float64Array(n);
    evaluations++;
    let f = fg(x, g);
    if (!Number.isFinite(f) || g.some((v) => !Number.isFinite(v))) f = Number.POSITIVE_INFINITY;
    return { x, f, g };
  };
  const along = (p: Point, d: Float64Array, t: number) => {
    const x = new Float64Array(n);
    for (let i = 0; i < n; i++) x[i] = p.x[i]! + t * d[i]!;
    return evaluate(x);
  };

  let current = evaluate(Float64Array.from(x0));
  if (!Number.isFinite(current.f)) {
    return {
      x: [...x0],
      value: current.f,
      iterations: 0,
      evaluations,
      converged: false,
      message: "objective is not finite at the starting point",
    };
  }
  const sList: Float64Array[] = [];
  const yList: Float64Array[] = [];
  const rhoList: number[] = [];
  const maxAbs = (g: Float64Array) => g.reduce((a, v) => Math.max(a, Math.abs(v)), 0);

  let iterations = 0;
  let message = `stopped after ${maxIterations} iterations without converging`;
  let converged = false;
  for (; iterations < maxIterations; iterations++) {
    if (maxAbs(current.g) <= gTol * Math.max(1, Math.abs(current.f))) {
      converged = true;
      message = "converged (gradient)";
      break;
    }
    // Two-loop recursion: d = −H ∇f.
    const q = Float64Array.from(current.g);
    const alphas = new Array<number>(sList.length);
    for (let i = sList.length - 1; i >= 0; i--) {
      const a = rhoList[i]! * dot(sList[i]!, q);
      alphas[i] = a;
      for (let j = 0; j < n; j++) q[j]! -= a * yList[i]![j]!;
    }
    const last = sList.length - 1;
    const scale = last >= 0 ? dot(sList[last]!, yList[last]!) / dot(yList[last]!, yList[last]!) : 1;
    for (let j = 0; j < n; j++) q[j]! *= scale;
    for (let i = 0; i < sList.length; i++) {
      const b = rhoList[i]! * dot(yList[i]!, q);
      for (let j = 0; j < n; j++) q[j]! += sList[i]![j]! * (alphas[i]! - b);
    }
    const d = q.map((v) => -v);
    let slope = dot(d, current.g);
    if (!(slope < 0)) {
      // Not a descent direction (numerical trouble): restart from steepest descent.
      sList.length = yList.length = rhoList.length = 0;
      for (let j = 0; j < n; j++) d[j] = -current.g[j]!;
      slope = dot(d, current.g);
    }
    const t0 = sList.length === 0 ? Math.min(1, 1 / Math.max(1e-12, maxAbs(current.g))) : 1;
    const next = wolfeSearch(current, d, slope, t0, along);
    if (!next) {
      converged = maxAbs(current.g) <= Math.sqrt(gTol) * Math.max(1, Math.abs(current.f));
      message = converged ? "converged (no further decrease at rounding precision)" : "line search failed";
      break;
    }
    const s = new Float64Array(n);
    const y = new Float64Array(n);
    for (let j = 0; j < n; j++) {
      s[j] = next.x[j]! - current.x[j]!;
      y[j] = next.g[j]! - current.g[j]!;
    }
    const sy = dot(s, y);
    if (sy > 1e-16 * Math.sqrt(dot(s, s) * dot(y, y))) {
      sList.push(s);
      yList.push(y);
      rhoList.push(1 / sy);
      if (sList.length > m) {
        sList.shift();
        yList.shift();
        rhoList.shift();
      }
    }
    const change = Math.abs(current.f - next.f);
    current = next;
    if (change <= fTol * Math.max(1, Math.abs(current.f)) && maxAbs(current.g) <= Math.sqrt(gTol)) {
      iterations++;
      converged = true;
      message = "converged (objective change)";
      break;
    }
  }
  return { x: Array.from(current.x), value: current.f, iterations, evaluations, converged, message };
}

/** Strong-Wolfe line search with bracketing and a safeguarded cubic zoom; undefined when it fails. */
function wolfeSearch(
  p0: Point,
  d: Float64Array,
  slope0: number,
  t0: number,
  along: (p: Point, d: Float64Array, t: number) => Point,
): Point | undefined {
  let tPrev = 0;
  let pPrev = p0;
  let slopePrev = slope0;
  let t = t0;
  for (let i = 0; i < 40; i++) {
    const p = along(p0, d, t);
    if (!Number.isFinite(p.f)) {
      // Stepped outside the feasible region: shrink.
      t = tPrev + (t - tPrev) * 0.1;
      continue;
    }
    const slope = dot(p.g, d);
    if (p.f > p0.f + C1 * t * slope0 || (i > 0 && p.f >= pPrev.f)) {
      return zoom(p0, d, slope0, tPrev, pPrev, slopePrev, t, p, slope, along);
    }
    if (Math.abs(slope) <= -C2 * slope0) return p;
    if (slope >= 0) return zoom(p0, d, slope0, t, p, slope, tPrev, pPrev, slopePrev, along);
    tPrev = t;
    pPrev = p;
    slopePrev = slope;
    t *= 2;
  }
  return undefined;
}

function zoom(
  p0: Point,
  d: Float64Array,
  slope0: number,
  tLo0: number,
  pLo0: Point,
  slopeLo0: number,
  tHi0: number,
  pHi0: Point,
  slopeHi0: number,
  along: (p: Point, d: Float64Array, t: number) => Point,
): Point | undefined {
  let [tLo, pLo, slopeLo, tHi, pHi, slopeHi] = [tLo0, pLo0, slopeLo0, tHi0, pHi0, slopeHi0];
  for (let i = 0; i < 30; i++) {
    let t = cubicMin(tLo, pLo.f, slopeLo, tHi, pHi.f, slopeHi);
    const lo = Math.min(tLo, tHi);
    const width = Math.abs(tHi - tLo);
    if (!Number.isFinite(t) || t < lo + 0.1 * width || t > lo + 0.9 * width) t = (tLo + tHi) / 2;
    const p = along(p0, d, t);
    // At rounding-noise level no step can show a decrease: give up early instead of bisecting on noise.
    if (Math.abs(p.f - p0.f) <= 8 * Number.EPSILON * Math.abs(p0.f)) break;
    const slope = Number.isFinite(p.f) ? dot(p.g, d) : Number.NaN;
    if (!Number.isFinite(p.f) || p.f > p0.f + C1 * t * slope0 || p.f >= pLo.f) {
      [tHi, pHi, slopeHi] = [t, p, slope];
      continue;
    }
    if (Math.abs(slope) <= -C2 * slope0) return p;
    if (slope * (tHi - tLo) >= 0) [tHi, pHi, slopeHi] = [tLo, pLo, slopeLo];
    [tLo, pLo, slopeLo] = [t, p, slope];
    if (width < 1e-16 * Math.max(1, Math.abs(t))) break;
  }
  // Accept a point that at least decreases f; the outer loop can still make progress.
  return pLo.f < p0.f ? pLo : undefined;
}

/** Minimiser of the cubic through (a, fa, ga) and (b, fb, gb); NaN when it has none. */
function cubicMin(a: number, fa: number, ga: number, b: number, fb: number, gb: number): number {
  if (!Number.isFinite(fb) || !Number.isFinite(gb)) return Number.NaN;
  const d1 = ga + gb - (3 * (fa - fb)) / (a - b);
  const disc = d1 * d1 - ga * gb;
  if (disc < 0) return Number.NaN;
  const d2 = Math.sign(b - a) * Math.sqrt(disc);
  return b - (b - a) * ((gb + d2 - d1) / (gb - ga + 2 * d2));
}
