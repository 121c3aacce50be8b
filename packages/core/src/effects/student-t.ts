import { TenureError } from "../errors";
import { lbeta, lgamma } from "../models/clv/special-functions";

// Modified Lentz: tiny stands in for a zero denominator; EPS is the relative change that ends the fraction.
const TINY = 1e-300;
const EPS = 1e-16;
const MAX_ITERATIONS = 10_000;

/**
 * Continued fraction of the incomplete beta function (Numerical Recipes §6.4, eq. 6.4.5), evaluated by
 * the modified Lentz method. Converges fast for x < (a + 1) / (a + b + 2); the caller swaps otherwise.
 */
function betaContinuedFraction(x: number, a: number, b: number): number {
  const qab = a + b;
  const qap = a + 1;
  const qam = a - 1;
  let c = 1;
  let d = 1 - (qab * x) / qap;
  if (Math.abs(d) < TINY) d = TINY;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= MAX_ITERATIONS; m++) {
    const m2 = 2 * m;
    // Even step d_{2m}.
    let aa = (m * (b - m) * x) / ((qam + m2) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    h *= d * c;
    // Odd step d_{2m+1}.
    aa = (-(a + m) * (qab + m) * x) / ((a + m2) * (qap + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < TINY) d = TINY;
    c = 1 + aa / c;
    if (Math.abs(c) < TINY) c = TINY;
    d = 1 / d;
    const delta = d * c;
    h *= delta;
    if (Math.abs(delta - 1) < EPS) return h;
  }
  throw new TenureError("internal", `incomplete beta I_${x}(${a}, ${b}) did not converge`, { x, a, b });
}

/**
 * Regularized incomplete beta function I_x(a, b) = B(x; a, b) / B(a, b) for 0 ≤ x ≤ 1 and a, b > 0.
 * @example regularizedIncompleteBeta(0.5, 2, 3) // 0.6875
 */
export function regularizedIncompleteBeta(x: number, a: number, b: number): number {
  if (!(a > 0) || !(b > 0) || !(x >= 0 && x <= 1)) {
    throw new TenureError(
      "validation",
      `incomplete beta needs 0 ≤ x ≤ 1 and a, b > 0 (got x=${x}, a=${a}, b=${b})`,
      {
        x,
        a,
        b,
      },
    );
  }
  if (x === 0) return 0;
  if (x === 1) return 1;
  // x^a (1−x)^b / B(a, b), in logs so large a, b do not overflow.
  const front = Math.exp(a * Math.log(x) + b * Math.log1p(-x) - lbeta(a, b));
  // The fraction converges quickly only below the mean-ish point; above it use I_x(a,b) = 1 − I_{1−x}(b,a).
  if (x < (a + 1) / (a + b + 2)) return (front * betaContinuedFraction(x, a, b)) / a;
  return 1 - (front * betaContinuedFraction(1 - x, b, a)) / b;
}

function checkDf(df: number): void {
  if (!(df > 0) || !Number.isFinite(df)) {
    throw new TenureError("validation", `degrees of freedom must be a positive number (got ${df})`, { df });
  }
}

/**
 * P(T > |t|) for Student's t with `df` degrees of freedom (one tail), without the cancellation of
 * 1 − cdf: ½ · I_{df/(df+t²)}(df/2, ½).
 */
export function studentTUpperTail(t: number, df: number): number {
  checkDf(df);
  if (Number.isNaN(t)) return Number.NaN;
  if (!Number.isFinite(t)) return 0;
  const t2 = t * t;
  // For |t| ≪ √df, x is near 1 and 1 − x loses digits: take the complement t²/(df+t²) directly.
  const x = df / (df + t2);
  if (x > 0.5) return 0.5 * (1 - regularizedIncompleteBeta(t2 / (df + t2), 0.5, df / 2));
  return 0.5 * regularizedIncompleteBeta(x, df / 2, 0.5);
}

/** Student's t cumulative distribution P(T ≤ t) for any real df > 0 (not only whole numbers). */
export function studentTCdf(t: number, df: number): number {
  const tail = studentTUpperTail(t, df);
  return t < 0 ? tail : 1 - tail;
}

/** Student's t density at t for df > 0. */
export function studentTDensity(t: number, df: number): number {
  checkDf(df);
  const logDensity =
    lgamma((df + 1) / 2) -
    lgamma(df / 2) -
    0.5 * Math.log(df * Math.PI) -
    ((df + 1) / 2) * Math.log1p((t * t) / df);
  return Math.exp(logDensity);
}

/**
 * The t with P(T ≤ t) = p for Student's t with `df` > 0 degrees of freedom (0 < p < 1): bracketed
 * Newton steps on the tail probability, falling back to bisection when a step leaves the bracket.
 * @example studentTQuantile(0.975, 10) // 2.228138851986274
 */
export function studentTQuantile(p: number, df: number): number {
  checkDf(df);
  if (!(p > 0 && p < 1)) {
    throw new TenureError(
      "validation",
      `a quantile needs a probability strictly between 0 and 1 (got ${p})`,
      { p },
    );
  }
  if (p === 0.5) return 0;
  // Solve on the upper tail q = min(p, 1−p) so that probabilities near 1 keep their precision.
  const q = p < 0.5 ? p : 1 - p;
  let lo = 0;
  let hi = 1;
  while (studentTUpperTail(hi, df) > q) {
    lo = hi;
    hi *= 2;
    if (!Number.isFinite(hi)) return p < 0.5 ? Number.NEGATIVE_INFINITY : Number.POSITIVE_INFINITY;
  }
  let t = (lo + hi) / 2;
  for (let i = 0; i < 200; i++) {
    const f = studentTUpperTail(t, df) - q;
    if (f === 0) break;
    // The tail falls as t grows: f > 0 means t is still too small.
    if (f > 0) lo = t;
    else hi = t;
    const next = t + f / studentTDensity(t, df);
    const stepped = next > lo && next < hi ? next : (lo + hi) / 2;
    if (Math.abs(stepped - t) <= 1e-15 * Math.max(1, Math.abs(t))) {
      t = stepped;
      break;
    }
    t = stepped;
  }
  return p < 0.5 ? -t : t;
}
