/** Customer lifetime value models (issue 4 point 1): sBG for subscriptions; BG/NBD, Pareto/NBD, Gamma-Gamma. */
export * from "./bg-nbd";
export * from "./discounted-clv";
export * from "./gamma-gamma";
export { type LbfgsOptions, lbfgs } from "./lbfgs";
export type { ModelFit } from "./model-fit";
export { type NelderMeadOptions, nelderMead } from "./nelder-mead";
export type * from "./optimize-types";
export * from "./pareto-nbd";
export * from "./rfm";
export type { RfmPoint } from "./rfm-compress";
export * from "./sbg";
export { digamma, hyp2f1, lbeta, lgamma } from "./special-functions";
export * from "./transactions-text";
