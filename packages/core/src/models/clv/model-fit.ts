import { TenureError } from "../../errors";

/** Log-parameters beyond ±LOG_BOUND are treated as infeasible (e^20 ≈ 5e8). */
export const LOG_BOUND = 20;

/** A fitted repeat-purchase model. */
export interface ModelFit<P> {
  params: P;
  logLikelihood: number;
  customers: number;
  converged: boolean;
  iterations: number;
  /** Non-convergence, parameters at a bound, degenerate data; empty when clean. */
  warnings: string[];
}

/** Shared tail of every fit: exp the log-parameters and collect warnings. */
export function finishFit<P>(
  result: { x: number[]; value: number; converged: boolean; iterations: number; message: string },
  customers: number,
  warnings: string[],
  toParams: (v: number[]) => P,
  bound: number = LOG_BOUND,
): ModelFit<P> {
  if (!result.converged) warnings.push(`optimiser did not converge: ${result.message}`);
  if (result.x.some((u) => Math.abs(u) > bound - 2)) {
    warnings.push("a parameter is at its bound: the data hardly identify the model");
  }
  if (!Number.isFinite(result.value)) {
    throw new TenureError(
      "internal",
      "the likelihood is not finite at any point tried; check the input data",
    );
  }
  return {
    params: toParams(result.x.map(Math.exp)),
    logLikelihood: -result.value * customers,
    customers,
    converged: result.converged,
    iterations: result.iterations,
    warnings,
  };
}
