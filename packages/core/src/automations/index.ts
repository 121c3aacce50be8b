/** Public surface of the automation engine: definitions, validation, cron and the pure evaluator. */
export * from "./cron";
export * from "./evaluate-automations";
export * from "./types";
export * from "./validate-automation";
