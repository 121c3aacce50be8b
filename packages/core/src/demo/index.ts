export {
  DEMO_COMPANY_NAME,
  type DemoCompany,
  type DemoOptions,
  generateDemoCompany,
} from "./generate-demo-company";
