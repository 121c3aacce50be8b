import type { Objective, OptimizeResult } from "./optimize-types";

export interface NelderMeadOptions {
  maxIterations?: number;
  /** Stop when the simplex spans less than this in every coordinate… */
  xTolerance?: number;
  /** …and the values at its vertices differ by less than this. */
  fTolerance?: number;
  /** Size of the initial simplex along each axis. */
  initialStep?: number;
}

const finite = (v: number) => (Number.isFinite(v) ? v : Number.POSITIVE_INFINITY);

/** Derivative-free minimisation (Nelder–Mead, adaptive coefficients of Gao & Han 2012). */
export function nelderMead(
  f: Objective,
  x0: readonly number[],
  options: NelderMeadOptions = {},
): OptimizeResult {
  const n = x0.length;
  const maxIterations = options.maxIterations ?? 5000 * n;
  const xTol = options.xTolerance ?? 1e-10;
  const fTol = options.fTolerance ?? 1e-12;
  const step = options.initialStep ?? 0.1;
  const alpha = 1;
  const beta = 1 + 2 / n;
  const gamma = 0.75 - 1 / (2 * n);
  const delta = 1 - 1 / n;
  let evaluations = 0;
  const evalAt = (p: Float64Array) => {
    evaluations++;
    return finite(f(p));
  };

  const simplex: Float64Array[] = [];
  const values: number[] = [];
  for (let i = 0; i <= n; i++) {
    const p = Float64Array.from(x0);
    if (i > 0) p[i - 1] = p[i - 1]! + step * Math.max(1, Math.abs(p[i - 1]!));
    simplex.push(p);
    values.push(evalAt(p));
  }
  const order = Array.from({ length: n + 1 }, (_, i) => i);
  const centroid = new Float64Array(n);
  const trial = (from: Float64Array, coef: number) => {
    const p = new Float64Array(n);
    for (let j = 0; j < n; j++) p[j] = centroid[j]! + coef * (centroid[j]! - from[j]!);
    return p;
  };

  let iterations = 0;
  let converged = false;
  for (; iterations < maxIterations; iterations++) {
    order.sort((a, b) => values[a]! - values[b]!);
    const best = order[0]!;
    const worst = order[n]!;
    const second = order[n - 1]!;
    let span = 0;
    for (let i = 1; i <= n; i++) {
      for (let j = 0; j < n; j++) span = Math.max(span, Math.abs(simplex[i]![j]! - simplex[0]![j]!));
    }
    if (span <= xTol && Math.abs(values[worst]! - values[best]!) <= fTol) {
      converged = true;
      break;
    }
    centroid.fill(0);
    for (const i of order.slice(0, n)) for (let j = 0; j < n; j++) centroid[j]! += simplex[i]![j]! / n;

    const xr = trial(simplex[worst]!, alpha);
    const fr = evalAt(xr);
    if (fr < values[best]!) {
      const xe = trial(simplex[worst]!, alpha * beta);
      const fe = evalAt(xe);
      if (fe < fr) [simplex[worst], values[worst]] = [xe, fe];
      else [simplex[worst], values[worst]] = [xr, fr];
      continue;
    }
    if (fr < values[second]!) {
      [simplex[worst], values[worst]] = [xr, fr];
      continue;
    }
    const outside = fr < values[worst]!;
    const xc = trial(simplex[worst]!, outside ? alpha * gamma : -gamma);
    const fc = evalAt(xc);
    if (fc <= (outside ? fr : values[worst]!)) {
      [simplex[worst], values[worst]] = [xc, fc];
      continue;
    }
    // Shrink towards the best vertex.
    const b = simplex[best]!;
    for (let i = 0; i <= n; i++) {
      if (i === best) continue;
      const p = simplex[i]!;
      for (let j = 0; j < n; j++) p[j] = b[j]! + delta * (p[j]! - b[j]!);
      values[i] = evalAt(p);
    }
  }
  let bestIndex = 0;
  for (let i = 1; i <= n; i++) if (values[i]! < values[bestIndex]!) bestIndex = i;
  return {
    x: Array.from(simplex[bestIndex]!),
    value: values[bestIndex]!,
    iterations,
    evaluations,
    converged,
    message: converged ? "converged" : `stopped after ${iterations} iterations without converging`,
  };
}
