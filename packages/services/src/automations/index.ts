export { AUTOMATION_METRICS, loadAutomationCatalog } from "./automation-catalog";
export { loadAutomationFacts } from "./automation-facts";
export {
  type AutomationLogEntry,
  type AutomationPassInputs,
  type AutomationPassResult,
  type AutomationView,
  automationLog,
  automationVersions,
  type DryRunRow,
  dryRunAutomation,
  getAutomation,
  listAutomations,
  loadAutomationPassInputs,
  runAutomationPass,
  runTrackedEventPass,
  saveAutomation,
  setAutomationEnabled,
  snoozeAutomationAccount,
} from "./automation-service";
export {
  AUTOMATION_EVALUATE_JOB,
  AUTOMATION_PASS_CRON,
  automationJobModule,
  scheduleAutomationPasses,
} from "./job-module";
export {
  AUTOMATION_STEP_JOB,
  type AutomationRunDeps,
  advanceAutomationRun,
  enqueueRunStep,
  stepKey,
} from "./run-actions";
export { AUTOMATION_TRACKED_JOB, enqueueTrackedEventPass, type TrackedEvent } from "./tracked-events";
