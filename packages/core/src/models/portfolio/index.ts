/** Portfolio views of the models: CLV per account, ARR at risk, high-potential accounts, renewals. */
export * from "./account-value";
export * from "./arr-at-risk";
export * from "./renewal-backtest";
export * from "./renewal-model";
export * from "./renewals";
export * from "./survival";
