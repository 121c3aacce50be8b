import type { Matrix } from "./encoder";

/** An L2-regularised logistic regression on standardised features. */
export interface LogisticModel {
  intercept: number;
  coefficients: Float64Array;
  lambda: number;
}

export const sigmoid = (z: number) => (z >= 0 ? 1 / (1 + Math.exp(-z)) : Math.exp(z) / (1 + Math.exp(z)));

/** Rows of `m` selected by `rows` (all when omitted). */
function rowList(m: Matrix, rows?: ArrayLike<number>): ArrayLike<number> {
  return rows ?? Int32Array.from({ length: m.n }, (_, i) => i);
}

/** Solves A x = b for symmetric positive-definite A (k×k, row-major) by Cholesky; A is overwritten. */
function choleskySolve(a: Float64Array, b: Float64Array, k: number): Float64Array {
  for (let j = 0; j < k; j++) {
    let d = a[j * k + j]!;
    for (let t = 0; t < j; t++) d -= a[j * k + t]! ** 2;
    const ljj = Math.sqrt(Math.max(d, 1e-12));
    a[j * k + j] = ljj;
    for (let i = j + 1; i < k; i++) {
      let s = a[i * k + j]!;
      for (let t = 0; t < j; t++) s -= a[i * k + t]! * a[j * k + t]!;
      a[i * k + j] = s / ljj;
    }
  }
  const y = new Float64Array(k);
  for (let i = 0; i < k; i++) {
    let s = b[i]!;
    for (let t = 0; t < i; t++) s -= a[i * k + t]! * y[t]!;
    y[i] = s / a[i * k + i]!;
  }
  const x = new Float64Array(k);
  for (let i = k - 1; i >= 0; i--) {
    let s = y[i]!;
    for (let t = i + 1; t < k; t++) s -= a[t * k + i]! * x[t]!;
    x[i] = s / a[i * k + i]!;
  }
  return x;
}

/** Penalised negative log-likelihood: Σ logloss + λ/2 ‖w‖² (the intercept is not penalised). */
function objective(
  m: Matrix,
  y: ArrayLike<number>,
  rows: ArrayLike<number>,
  w: Float64Array,
  lambda: number,
) {
  const p = m.p;
  let f = 0;
  for (let r = 0; r < rows.length; r++) {
    const i = rows[r]!;
    let z = w[p]!;
    const off = i * p;
    for (let j = 0; j < p; j++) z += m.data[off + j]! * w[j]!;
    // log(1 + e^z) − y z, computed stably.
    f += (z > 0 ? z + Math.log1p(Math.exp(-z)) : Math.log1p(Math.exp(z))) - y[i]! * z;
  }
  let pen = 0;
  for (let j = 0; j < p; j++) pen += w[j]! ** 2;
  return f + (lambda / 2) * pen;
}

/**
 * Fits L2 logistic regression by Newton's method (IRLS) with backtracking: minimises
 * Σ logloss(yᵢ, σ(b + xᵢ·w)) + λ/2 ‖w‖². `rows` restricts the fit to a subset (CV folds); `init` warm-starts.
 * `signs[j]` = +1 / −1 keeps coefficient j ≥ 0 / ≤ 0 (a coefficient that would cross zero is held at
 * zero from then on: an active set, so monotone features stay monotone).
 */
export function fitLogistic(
  m: Matrix,
  y: ArrayLike<number>,
  lambda: number,
  options: {
    rows?: ArrayLike<number>;
    init?: LogisticModel;
    maxIter?: number;
    tol?: number;
    signs?: ArrayLike<number>;
  } = {},
): LogisticModel {
  const { maxIter = 50, tol = 1e-9, signs } = options;
  const rows = rowList(m, options.rows);
  const p = m.p;
  const k = p + 1; // last slot = intercept
  const w = new Float64Array(k);
  const held = new Uint8Array(p);
  const wrongSign = (j: number, v: number) => signs !== undefined && (signs[j] ?? 0) * v < 0;
  if (options.init) {
    w.set(options.init.coefficients);
    w[p] = options.init.intercept;
    for (let j = 0; j < p; j++) if (wrongSign(j, w[j]!)) w[j] = 0;
  } else {
    let pos = 0;
    for (let r = 0; r < rows.length; r++) pos += y[rows[r]!]!;
    const rate = Math.min(1 - 1e-6, Math.max(1e-6, pos / Math.max(1, rows.length)));
    w[p] = Math.log(rate / (1 - rate));
  }
  let f = objective(m, y, rows, w, lambda);
  const grad = new Float64Array(k);
  const hess = new Float64Array(k * k);
  const xi = new Float64Array(k);
  const nz = new Int32Array(k);
  for (let iter = 0; iter < maxIter; iter++) {
    grad.fill(0);
    hess.fill(0);
    for (let r = 0; r < rows.length; r++) {
      const i = rows[r]!;
      const off = i * p;
      let z = w[p]!;
      for (let j = 0; j < p; j++) {
        const v = m.data[off + j]!;
        xi[j] = v;
        z += v * w[j]!;
      }
      xi[p] = 1;
      const mu = sigmoid(z);
      const g = mu - y[i]!;
      const h = Math.max(mu * (1 - mu), 1e-10);
      // One-hot columns are mostly zero: accumulate over the non-zero entries only.
      let nnz = 0;
      for (let a = 0; a < k; a++) if (xi[a] !== 0) nz[nnz++] = a;
      for (let u = 0; u < nnz; u++) {
        const a = nz[u]!;
        const xa = xi[a]!;
        grad[a]! += g * xa;
        const hx = h * xa;
        const rowOff = a * k;
        for (let v = 0; v <= u; v++) {
          const b = nz[v]!;
          hess[rowOff + b]! += hx * xi[b]!;
        }
      }
    }
    for (let a = 0; a < k; a++) for (let b = 0; b < a; b++) hess[b * k + a] = hess[a * k + b]!;
    for (let j = 0; j < p; j++) {
      grad[j]! += lambda * w[j]!;
      hess[j * k + j]! += lambda;
    }
    hess[p * k + p]! += 1e-9;
    // A held coefficient takes no step: its row and column become the identity's.
    for (let j = 0; j < p; j++) {
      if (!held[j]) continue;
      grad[j] = 0;
      for (let a = 0; a < k; a++) {
        hess[j * k + a] = 0;
        hess[a * k + j] = 0;
      }
      hess[j * k + j] = 1;
    }
    const step = choleskySolve(hess, grad, k);
    // Projection onto the allowed signs; a coefficient stopped at zero stays held.
    const project = (next: Float64Array) => {
      for (let j = 0; j < p; j++) if (wrongSign(j, next[j]!)) next[j] = 0;
      return next;
    };
    let t = 1;
    let next = project(w.map((v, j) => v - step[j]!));
    let fNext = objective(m, y, rows, next, lambda);
    while (fNext > f + 1e-12 * Math.abs(f) && t > 1e-6) {
      t /= 2;
      next = project(w.map((v, j) => v - t * step[j]!));
      fNext = objective(m, y, rows, next, lambda);
    }
    for (let j = 0; j < p; j++)
      if (signs !== undefined && next[j] === 0 && (signs[j] ?? 0) !== 0) held[j] = 1;
    let maxStep = 0;
    for (let j = 0; j < k; j++) maxStep = Math.max(maxStep, Math.abs(next[j]! - w[j]!));
    w.set(next);
    const done = Math.abs(f - fNext) <= tol * (1 + Math.abs(f)) || maxStep < 1e-10;
    f = fNext;
    if (done) break;
  }
  return { intercept: w[p]!, coefficients: w.slice(0, p), lambda };
}

/** Log-odds for each selected row. */
export function logisticMargins(model: LogisticModel, m: Matrix, rows?: ArrayLike<number>): Float64Array {
  const list = rowList(m, rows);
  const out = new Float64Array(list.length);
  for (let r = 0; r < list.length; r++) {
    const off = list[r]! * m.p;
    let z = model.intercept;
    for (let j = 0; j < m.p; j++) z += m.data[off + j]! * model.coefficients[j]!;
    out[r] = z;
  }
  return out;
}
