export * from "./cs-roi";
export * from "./effect-report";
export * from "./estimate-csv";
