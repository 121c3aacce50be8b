import { TenureError } from "../../errors";

// Lanczos approximation, g = 7, n = 9 (Numerical Recipes / Boost coefficients): ~15 significant digits.
const LANCZOS_G = 7;
const LANCZOS = [
  0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
  12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
];
const HALF_LOG_2PI = 0.5 * Math.log(2 * Math.PI);

/** ln Γ(x) for x > 0 (Lanczos); for x ≤ 0 non-integer, ln |Γ(x)| via reflection. */
export function lgamma(x: number): number {
  if (Number.isNaN(x)) return Number.NaN;
  if (x <= 0 && Number.isInteger(x)) return Number.POSITIVE_INFINITY;
  if (x < 0.5) {
    // Reflection: Γ(x)Γ(1−x) = π / sin(πx).
    return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - lgamma(1 - x);
  }
  if (x === 1 || x === 2) return 0;
  const z = x - 1;
  let sum = LANCZOS[0]!;
  for (let i = 1; i < LANCZOS.length; i++) sum += LANCZOS[i]! / (z + i);
  const t = z + LANCZOS_G + 0.5;
  return HALF_LOG_2PI + (z + 0.5) * Math.log(t) - t + Math.log(sum);
}

/** ln B(a, b) = ln Γ(a) + ln Γ(b) − ln Γ(a + b). */
export function lbeta(a: number, b: number): number {
  return lgamma(a) + lgamma(b) - lgamma(a + b);
}

/** Digamma ψ(x) = d/dx ln Γ(x), for x > 0 (recurrence up to 10, then the asymptotic series). */
export function digamma(x: number): number {
  if (!(x > 0)) {
    if (x <= 0 && Number.isInteger(x)) return Number.NaN;
    // Reflection: ψ(1−x) − ψ(x) = π cot(πx).
    return digamma(1 - x) - Math.PI / Math.tan(Math.PI * x);
  }
  let acc = 0;
  let y = x;
  while (y < 10) {
    acc -= 1 / y;
    y += 1;
  }
  const inv = 1 / y;
  const inv2 = inv * inv;
  return (
    acc +
    Math.log(y) -
    0.5 * inv -
    inv2 * (1 / 12 - inv2 * (1 / 120 - inv2 * (1 / 252 - inv2 * (1 / 240 - inv2 * (1 / 132)))))
  );
}

/** ln(e^a + e^b) without overflow. */
export function logAddExp(a: number, b: number): number {
  if (a === Number.NEGATIVE_INFINITY) return b;
  if (b === Number.NEGATIVE_INFINITY) return a;
  return a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b));
}

const MAX_TERMS = 1_000_000;
const RESCALE = 1e250;

/**
 * Power series of ₂F₁(a, b; c; z) for 0 ≤ z < 1 as [log |sum|, sign], rescaling as it goes so large
 * values do not overflow. NaN when it fails to converge (callers inside optimisers treat that as "bad point").
 */
function series(a: number, b: number, c: number, z: number): [number, number] {
  let term = 1;
  let sum = 1;
  let logScale = 0;
  for (let k = 0; k < MAX_TERMS; k++) {
    const ratio = (((a + k) * (b + k)) / ((c + k) * (k + 1))) * z;
    term *= ratio;
    sum += term;
    if (!Number.isFinite(sum)) return [Number.NaN, 0];
    if (term === 0) break;
    if (Math.abs(sum) > RESCALE) {
      sum /= RESCALE;
      term /= RESCALE;
      logScale += Math.log(RESCALE);
    }
    // The term ratio tends to z; bound the tail by a geometric series with the larger of the two.
    const rho = Math.max(Math.abs(ratio), Math.abs(z));
    if (rho < 1 && (Math.abs(term) * rho) / (1 - rho) <= 1e-16 * Math.abs(sum)) break;
    if (k === MAX_TERMS - 1) return [Number.NaN, 0];
  }
  return sum === 0 ? [Number.NEGATIVE_INFINITY, 0] : [logScale + Math.log(Math.abs(sum)), Math.sign(sum)];
}

/** [ln |₂F₁(a,b;c;z)|, sign] for z < 1, or [NaN, 0] if the series does not converge. Pfaff-transforms z < 0. */
export function hyp2f1LogSigned(a: number, b: number, c: number, z: number): [number, number] {
  if (!(z < 1) || Number.isNaN(a + b + c)) return [Number.NaN, 0];
  if (c <= 0 && Number.isInteger(c)) return [Number.NaN, 0];
  if (z === 0) return [0, 1];
  if (z < 0) {
    // Pfaff: ₂F₁(a,b;c;z) = (1−z)^(−a) ₂F₁(a, c−b; c; z/(z−1)), which maps (−∞, 0) onto (0, 1).
    const [l, s] = series(a, c - b, c, z / (z - 1));
    return [l - a * Math.log1p(-z), s];
  }
  return series(a, b, c, z);
}

/** Gauss hypergeometric ₂F₁(a, b; c; z) for z < 1 by its power series, with a convergence check. */
export function hyp2f1(a: number, b: number, c: number, z: number): number {
  const [l, s] = hyp2f1LogSigned(a, b, c, z);
  if (Number.isNaN(l)) {
    throw new TenureError("internal", `hypergeometric 2F1(${a}, ${b}; ${c}; ${z}) did not converge`, {
      a,
      b,
      c,
      z,
    });
  }
  return s * Math.exp(l);
}
