export * from "./progress";
export * from "./templates";
