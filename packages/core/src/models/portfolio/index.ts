/** Portfolio views of the models: CLV per account, ARR at risk, high-potential accounts, renewals. */
export * from "./arr-at-risk";
export * from "./renewals";
export * from "./survival";
