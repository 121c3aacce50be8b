/** Outcome of a minimisation: the best point found and whether the stopping test was met. */
export interface OptimizeResult {
  x: number[];
  /** Objective value at `x`. */
  value: number;
  iterations: number;
  evaluations: number;
  converged: boolean;
  /** Why it stopped, for warnings shown to users. */
  message: string;
}

/** Objective with gradient: returns f(x) and writes ∇f(x) into `grad`. Non-finite f means "infeasible". */
export type ObjectiveWithGradient = (x: Float64Array, grad: Float64Array) => number;

/** Plain objective. Non-finite values are treated as +∞ (the optimisers step back). */
export type Objective = (x: Float64Array) => number;
