export * from "./access";
export * from "./accounts";
export * from "./audit/index";
export * from "./automations";
export * from "./bulk-import";
export * from "./config/config";
export * from "./coverage-model";
export * from "./deliveries";
export {
  DEMO_COMPANY_NAME,
  type DemoCompany,
  type DemoOptions,
  generateDemoCompany,
} from "./demo/generate-demo-company";
export * from "./demo/seed-demo";
export { DEMO_ADMIN_EMAIL, seedDemoUsers } from "./demo/seed-users";
export * from "./effects";
export * from "./health";
export * from "./import";
export * from "./jobs";
export * from "./keys/index";
export * from "./models";
export * from "./playbooks";
export * from "./predictions";
export * from "./renewals";
export * from "./revenue/reports";
export * from "./revenue/revenue-service";
export * from "./rollups";
export * from "./signals";
export * from "./success-plans";
export * from "./tasks";
export * from "./team";
export { canUseThreads, runInBackground, spawnThread, threadReady } from "./threads/spawn-thread";
export * from "./tracking";
export * from "./workspaces";
