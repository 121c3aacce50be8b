export * from "./access-middleware";
export * from "./route-rules";
