export * from "./estimate-csv";
