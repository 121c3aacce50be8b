import { TenureError } from "../../errors";
import { lbfgs } from "./lbfgs";
import { nelderMead } from "./nelder-mead";
import { type CompressedRfm, compressRfm, type RfmPoint } from "./rfm-compress";
import { digamma, hyp2f1, lgamma } from "./special-functions";

/** BG/NBD parameters (Fader, Hardie & Lee 2005): purchase rate λ ~ Gamma(r, α), dropout p ~ Beta(a, b). */
export interface BgNbdParams {
  r: number;
  alpha: number;
  a: number;
  b: number;
}

import { finishFit, LOG_BOUND, type ModelFit } from "./model-fit";

/**
 * Mean negative log-likelihood in log-parameters u = ln(r, α, a, b), with its gradient (written to `grad`).
 * Terms that depend only on x are computed once per distinct x.
 */
export function bgNbdObjective(data: CompressedRfm): (u: Float64Array, grad: Float64Array) => number {
  const nx = data.uniqueX.length;
  const base = new Float64Array(nx);
  const dR = new Float64Array(nx);
  const dA = new Float64Array(nx);
  const dB = new Float64Array(nx);
  const logAOverB = new Float64Array(nx);
  const { x, tx, T, count, xIndex } = data;
  const n = x.length;
  // Calibration ends on one date, so T takes few values: index them to take one log per value.
  const uniqueT = Float64Array.from(new Set(T));
  const tPos = new Map(Array.from(uniqueT, (t, j) => [t, j]));
  const tIndex = Int32Array.from(T, (t) => tPos.get(t)!);
  const nT = uniqueT.length;
  const logAlphaT = new Float64Array(nT);
  const total = data.customers;
  return (u, grad) => {
    grad.fill(0);
    for (let i = 0; i < 4; i++) if (!(Math.abs(u[i]!) <= LOG_BOUND)) return Number.POSITIVE_INFINITY;
    const r = Math.exp(u[0]!);
    const alpha = Math.exp(u[1]!);
    const a = Math.exp(u[2]!);
    const b = Math.exp(u[3]!);
    const lgR = lgamma(r);
    const psiR = digamma(r);
    const lgAB = lgamma(a + b);
    const lgB = lgamma(b);
    const psiAB = digamma(a + b);
    const psiB = digamma(b);
    const logAlpha = Math.log(alpha);
    for (let k = 0; k < nx; k++) {
      const xv = data.uniqueX[k]!;
      base[k] = lgamma(r + xv) - lgR + r * logAlpha + lgAB + lgamma(b + xv) - lgB - lgamma(a + b + xv);
      dR[k] = digamma(r + xv) - psiR + logAlpha;
      dA[k] = psiAB - digamma(a + b + xv);
      dB[k] = psiAB + digamma(b + xv) - psiB - digamma(a + b + xv);
    }
    const logA = Math.log(a);
    for (let k = 0; k < nx; k++) logAOverB[k] = logA - Math.log(b + data.uniqueX[k]! - 1);
    for (let j = 0; j < nT; j++) logAlphaT[j] = Math.log(alpha + uniqueT[j]!);
    let ll = 0;
    let gr = 0;
    let gAlpha = 0;
    let ga = 0;
    let gb = 0;
    for (let i = 0; i < n; i++) {
      const xv = x[i]!;
      const k = xIndex[i]!;
      const c = count[i]!;
      const rx = r + xv;
      const logAT = logAlphaT[tIndex[i]!]!;
      const dAT = -rx / (alpha + T[i]!);
      if (xv > 0) {
        // ln(e^A3 + e^A4) = A3 + ln(1 + e^(A4 − A3)); w is the share of the "dropped out at t_x" branch.
        const logAtx = Math.log(alpha + tx[i]!);
        const e = Math.exp(logAOverB[k]! - rx * (logAtx - logAT));
        const w = e / (1 + e);
        ll += c * (base[k]! - rx * logAT + Math.log1p(e));
        gr += c * (dR[k]! - (1 - w) * logAT - w * logAtx);
        gAlpha += c * ((1 - w) * dAT - (w * rx) / (alpha + tx[i]!));
        ga += c * (dA[k]! + w / a);
        gb += c * (dB[k]! - w / (b + xv - 1));
      } else {
        ll += c * (base[k]! - rx * logAT);
        gr += c * (dR[k]! - logAT);
        gAlpha += c * dAT;
        ga += c * dA[k]!;
        gb += c * dB[k]!;
      }
    }
    // Chain rule for log-parameters, and sign/scale for the mean negative log-likelihood.
    grad[0] = (-gr * r) / total;
    grad[1] = (-(gAlpha + (r / alpha) * total) * alpha) / total;
    grad[2] = (-ga * a) / total;
    grad[3] = (-gb * b) / total;
    return -ll / total;
  };
}

/** Total log-likelihood of customers under BG/NBD parameters. */
export function bgNbdLogLikelihood(params: BgNbdParams, customers: readonly RfmPoint[]): number {
  const data = compressRfm(customers);
  const u = Float64Array.from([params.r, params.alpha, params.a, params.b].map(Math.log));
  return -bgNbdObjective(data)(u, new Float64Array(4)) * data.customers;
}

/** Fits BG/NBD by maximum likelihood (L-BFGS on log-parameters, Nelder–Mead fallback). */
export function fitBgNbd(customers: readonly RfmPoint[]): ModelFit<BgNbdParams> {
  const data = compressRfm(customers);
  const warnings: string[] = [];
  if (data.repeatBuyers === 0) {
    throw new TenureError(
      "validation",
      "every customer bought only once (frequency 0): BG/NBD cannot separate purchase rate from dropout",
    );
  }
  const f = bgNbdObjective(data);
  const meanT = data.T.reduce((s, t, i) => s + t * data.count[i]!, 0) / data.customers;
  const start = [0, Math.log(Math.max(1e-3, meanT / 10)), 0, 0];
  let result = lbfgs(f, start, { gradientTolerance: 1e-9 });
  if (!result.converged) {
    const scratch = new Float64Array(4);
    const nm = nelderMead((u) => f(u, scratch), result.x, { initialStep: 0.2 });
    result = lbfgs(f, nm.x, { gradientTolerance: 1e-9 });
  }
  return finishFit(
    result,
    data.customers,
    warnings,
    ([r, alpha, a, b]) => ({ r, alpha, a, b }) as BgNbdParams,
  );
}

/** E[X(t)]: expected purchases in (0, t] of a new customer. */
export function bgNbdExpectedPurchases(params: BgNbdParams, t: number): number {
  const { r, alpha, a, b } = params;
  if (t === 0) return 0;
  const z = t / (alpha + t);
  return ((a + b - 1) / (a - 1)) * (1 - (alpha / (alpha + t)) ** r * hyp2f1(r, b, a + b - 1, z));
}

/** P(alive | x, t_x, T). */
export function bgNbdProbabilityAlive(params: BgNbdParams, c: RfmPoint): number {
  const { r, alpha, a, b } = params;
  const { frequency: x, recency: tx, T } = c;
  if (x === 0) return 1;
  const logRatio = Math.log(a) - Math.log(b + x - 1) + (r + x) * (Math.log(alpha + T) - Math.log(alpha + tx));
  return 1 / (1 + Math.exp(logRatio));
}

/** E[Y(t) | x, t_x, T]: expected purchases in the next t time units of a customer with this history. */
export function bgNbdConditionalExpectedPurchases(params: BgNbdParams, c: RfmPoint, t: number): number {
  const { r, alpha, a, b } = params;
  const { frequency: x, T } = c;
  if (t === 0) return 0;
  const z = t / (alpha + T + t);
  const f = hyp2f1(r + x, b + x, a + b + x - 1, z);
  const num = ((a + b + x - 1) / (a - 1)) * (1 - ((alpha + T) / (alpha + T + t)) ** (r + x) * f);
  return num * bgNbdProbabilityAlive(params, c);
}
