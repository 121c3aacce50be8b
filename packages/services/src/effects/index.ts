export * from "./effect-report";
export * from "./estimate-csv";
