/** Public surface of the playbook library (issue 15 point 2): definitions, validation, runs, starters. */
export { closeRunStep, inAudience, planRunSteps, runSucceeded, shiftOpenSteps } from "./runs";
export * from "./starter-library";
export { taskTitleIn } from "./step-title";
export * from "./types";
export * from "./validate-playbook";
