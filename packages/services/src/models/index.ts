export * from "./evaluate-csv";
