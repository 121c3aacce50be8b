import { TenureError } from "../../errors";
import { lbfgs } from "./lbfgs";
import { finishFit, LOG_BOUND, type ModelFit } from "./model-fit";
import { nelderMead } from "./nelder-mead";
import { type CompressedRfm, compressRfm, type RfmPoint } from "./rfm-compress";
import { hyp2f1LogSigned, lgamma } from "./special-functions";

/** Pareto/NBD parameters (Schmittlein, Morrison & Colombo 1987): λ ~ Gamma(r, α), dropout μ ~ Gamma(s, β). */
export interface ParetoNbdParams {
  r: number;
  alpha: number;
  s: number;
  beta: number;
}

/**
 * ln[(s/(r+s+x)) · A₀] of Fader, Hardie & Lee's note "Implementing the Pareto/NBD model" (2005), eq. (3),
 * choosing the hypergeometric argument by whether α ≥ β so that it lies in [0, 1). NaN when a series fails.
 */
function logA0Term(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const rsx = r + s + x;
  const [m, b2] = alpha >= beta ? [alpha, s + 1] : [beta, r + x];
  const diff = Math.abs(alpha - beta);
  const [l1] = hyp2f1LogSigned(rsx, b2, rsx + 1, diff / (m + tx));
  const [l2] = hyp2f1LogSigned(rsx, b2, rsx + 1, diff / (m + T));
  const e1 = l1 - rsx * Math.log(m + tx);
  const e2 = l2 - rsx * Math.log(m + T);
  if (!(e1 >= e2)) return e1 === e2 ? Number.NEGATIVE_INFINITY : Number.NaN;
  // ln(e^e1 − e^e2) = e1 + ln(1 − e^(e2 − e1)); e1 ≥ e2 because the integrand is positive.
  return Math.log(s / rsx) + e1 + Math.log(-Math.expm1(e2 - e1));
}

/** ln L(r, α, s, β | x, t_x, T) of one customer. */
function logLik(p: ParetoNbdParams, x: number, tx: number, T: number): number {
  const { r, alpha, s, beta } = p;
  const head = lgamma(r + x) - lgamma(r) + r * Math.log(alpha) + s * Math.log(beta);
  const a = -(r + x) * Math.log(alpha + T) - s * Math.log(beta + T);
  const b = logA0Term(p, x, tx, T);
  if (b === Number.NEGATIVE_INFINITY) return head + a;
  return head + (a > b ? a + Math.log1p(Math.exp(b - a)) : b + Math.log1p(Math.exp(a - b)));
}

function objective(data: CompressedRfm) {
  return (u: Float64Array) => {
    for (let i = 0; i < 4; i++) if (!(Math.abs(u[i]!) <= LOG_BOUND)) return Number.POSITIVE_INFINITY;
    const p = { r: Math.exp(u[0]!), alpha: Math.exp(u[1]!), s: Math.exp(u[2]!), beta: Math.exp(u[3]!) };
    let ll = 0;
    for (let i = 0; i < data.x.length; i++)
      ll += data.count[i]! * logLik(p, data.x[i]!, data.tx[i]!, data.T[i]!);
    return Number.isNaN(ll) ? Number.POSITIVE_INFINITY : -ll / data.customers;
  };
}

/** Total log-likelihood of customers under Pareto/NBD parameters. */
export function paretoNbdLogLikelihood(params: ParetoNbdParams, customers: readonly RfmPoint[]): number {
  const data = compressRfm(customers);
  const u = Float64Array.from([params.r, params.alpha, params.s, params.beta].map(Math.log));
  return -objective(data)(u) * data.customers;
}

/** Fits Pareto/NBD by maximum likelihood: Nelder–Mead on log-parameters, polished by L-BFGS with central differences. */
export function fitParetoNbd(customers: readonly RfmPoint[]): ModelFit<ParetoNbdParams> {
  const data = compressRfm(customers);
  if (data.repeatBuyers === 0) {
    throw new TenureError(
      "validation",
      "every customer bought only once (frequency 0): Pareto/NBD cannot separate purchase rate from dropout",
    );
  }
  const f = objective(data);
  const meanT = data.T.reduce((s, t, i) => s + t * data.count[i]!, 0) / data.customers;
  const start = [0, Math.log(Math.max(1e-3, meanT / 4)), 0, Math.log(Math.max(1e-3, meanT / 4))];
  const nm = nelderMead(f, start, { initialStep: 0.5, xTolerance: 1e-8, fTolerance: 1e-12 });
  const h = 1e-6;
  const withGradient = (u: Float64Array, grad: Float64Array) => {
    const v = Float64Array.from(u);
    for (let i = 0; i < 4; i++) {
      v[i] = u[i]! + h;
      const up = f(v);
      v[i] = u[i]! - h;
      const down = f(v);
      v[i] = u[i]!;
      grad[i] = (up - down) / (2 * h);
    }
    return f(u);
  };
  const polished = lbfgs(withGradient, nm.x, { gradientTolerance: 1e-8 });
  const best = polished.value <= nm.value ? polished : nm;
  const result = { ...best, converged: nm.converged || polished.converged };
  return finishFit(
    result,
    data.customers,
    [],
    ([r, alpha, s, beta]) => ({ r, alpha, s, beta }) as ParetoNbdParams,
  );
}

/** E[X(t)]: expected purchases in (0, t] of a new customer. */
export function paretoNbdExpectedPurchases(params: ParetoNbdParams, t: number): number {
  const { r, alpha, s, beta } = params;
  if (Math.abs(s - 1) < 1e-10) return ((r * beta) / alpha) * Math.log((beta + t) / beta);
  return ((r * beta) / (alpha * (s - 1))) * (1 - (beta / (beta + t)) ** (s - 1));
}

/** P(alive | x, t_x, T). */
export function paretoNbdProbabilityAlive(params: ParetoNbdParams, c: RfmPoint): number {
  const { r, alpha, s, beta } = params;
  const { frequency: x, recency: tx, T } = c;
  const b = logA0Term(params, x, tx, T);
  if (Number.isNaN(b)) {
    throw new TenureError(
      "internal",
      "P(alive) could not be computed: a hypergeometric series did not converge",
    );
  }
  if (b === Number.NEGATIVE_INFINITY) return 1;
  return 1 / (1 + Math.exp(b + (r + x) * Math.log(alpha + T) + s * Math.log(beta + T)));
}

/** E[Y(t) | x, t_x, T]: expected purchases in the next t time units of a customer with this history. */
export function paretoNbdConditionalExpectedPurchases(
  params: ParetoNbdParams,
  c: RfmPoint,
  t: number,
): number {
  const { r, alpha, s, beta } = params;
  const { frequency: x, T } = c;
  const rate = (r + x) / (alpha + T);
  const bt = beta + T;
  const horizon =
    Math.abs(s - 1) < 1e-10
      ? bt * Math.log((bt + t) / bt)
      : (bt / (s - 1)) * (1 - (bt / (bt + t)) ** (s - 1));
  return paretoNbdProbabilityAlive(params, c) * rate * horizon;
}
