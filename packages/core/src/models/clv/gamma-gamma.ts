import { TenureError } from "../../errors";
import { lbfgs } from "./lbfgs";
import { finishFit, LOG_BOUND, type ModelFit } from "./model-fit";
import { digamma, lgamma } from "./special-functions";

/** Gamma-Gamma spend parameters (Fader, Hardie & Lee 2005, "RFM and CLV"). */
export interface GammaGammaParams {
  p: number;
  q: number;
  v: number;
}

/** What the spend model needs of a customer: repeat purchases and their mean value. */
export interface SpendPoint {
  frequency: number;
  monetaryValue: number;
}

/**
 * Fits p, q, v on repeat buyers (frequency > 0 and a positive mean repeat value); others are skipped.
 * L-BFGS on log-parameters with the analytic gradient.
 */
export function fitGammaGamma(customers: readonly SpendPoint[]): ModelFit<GammaGammaParams> {
  const rows = customers.filter((c) => c.frequency > 0 && c.monetaryValue > 0);
  const warnings: string[] = [];
  const skipped = customers.filter((c) => c.frequency > 0 && !(c.monetaryValue > 0)).length;
  if (skipped > 0) warnings.push(`${skipped} repeat buyers with a mean value ≤ 0 were left out`);
  if (rows.length === 0) {
    throw new TenureError(
      "validation",
      "Gamma-Gamma needs repeat buyers with a positive average order value; there are none",
    );
  }
  for (const c of rows) {
    if (!Number.isInteger(c.frequency) || !Number.isFinite(c.monetaryValue)) {
      throw new TenureError(
        "validation",
        `bad spend row: frequency ${c.frequency}, value ${c.monetaryValue}`,
      );
    }
  }
  const x = Float64Array.from(rows, (c) => c.frequency);
  const m = Float64Array.from(rows, (c) => c.monetaryValue);
  const logM = m.map(Math.log);
  const logX = x.map(Math.log);
  const n = rows.length;
  const f = (u: Float64Array, grad: Float64Array) => {
    grad.fill(0);
    for (let i = 0; i < 3; i++) if (!(Math.abs(u[i]!) <= LOG_BOUND)) return Number.POSITIVE_INFINITY;
    const p = Math.exp(u[0]!);
    const q = Math.exp(u[1]!);
    const v = Math.exp(u[2]!);
    const lgQ = lgamma(q);
    const psiQ = digamma(q);
    const logV = Math.log(v);
    let ll = 0;
    let gp = 0;
    let gq = 0;
    let gv = 0;
    for (let i = 0; i < n; i++) {
      const px = p * x[i]!;
      const logVxm = Math.log(v + x[i]! * m[i]!);
      const psiPxq = digamma(px + q);
      ll +=
        lgamma(px + q) -
        lgamma(px) -
        lgQ +
        q * logV +
        (px - 1) * logM[i]! +
        px * logX[i]! -
        (px + q) * logVxm;
      gp += x[i]! * (psiPxq - digamma(px) + logM[i]! + logX[i]! - logVxm);
      gq += psiPxq - psiQ + logV - logVxm;
      gv += q / v - (px + q) / (v + x[i]! * m[i]!);
    }
    grad[0] = (-gp * p) / n;
    grad[1] = (-gq * q) / n;
    grad[2] = (-gv * v) / n;
    return -ll / n;
  };
  const meanM = m.reduce((a, b) => a + b, 0) / n;
  const result = lbfgs(f, [0, 0, Math.log(meanM)], { gradientTolerance: 1e-10 });
  const fit = finishFit(result, n, warnings, ([p, q, v]) => ({ p, q, v }) as GammaGammaParams);
  if (fit.params.q <= 1) fit.warnings.push("q ≤ 1: the population mean spend is infinite under this fit");
  return fit;
}

/**
 * E[M | p, q, v, x, m_x]: expected average order value, a weighted mean of the population mean
 * p·v/(q−1) and the customer's own mean m_x with weight p·x/(p·x+q−1).
 */
export function gammaGammaExpectedAverageValue(params: GammaGammaParams, c: SpendPoint): number {
  const { p, q, v } = params;
  if (q <= 1) throw new TenureError("validation", `expected spend needs q > 1, got q = ${q}`);
  const w = (p * c.frequency) / (p * c.frequency + q - 1);
  return (1 - w) * ((p * v) / (q - 1)) + w * (c.frequency > 0 ? c.monetaryValue : 0);
}
