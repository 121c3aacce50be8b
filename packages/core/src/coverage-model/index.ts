export * from "./coverage";
