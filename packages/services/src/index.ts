export * from "./config/config";
export * from "./demo/seed-demo";
export * from "./import";
export * from "./revenue/reports";
export * from "./revenue/revenue-service";
export * from "./usage";
