export { MEASURE_RUNS_JOB, playbookJobModule, scheduleRunMeasurement } from "./job-module";
export { readMetric, readMetrics } from "./metric-reader";
export {
  archivePlaybook,
  createPlaybook,
  ensureStarterLibrary,
  getPlaybook,
  installStarterPlaybooks,
  listPlaybooks,
  type PlaybookDetail,
  playbookReferences,
  updatePlaybook,
} from "./playbook-library";
export { listPlaybookRuns, type RunView } from "./run-list";
export {
  closePlaybookStep,
  closeStepIn,
  completeRunsWhenTasksClose,
  measureAllDueRuns,
  measureDueRuns,
  type PlaybookRunDeps,
  reschedulePlaybookRun,
  type StartRunInput,
  type StartRunResult,
  snoozePlaybookRun,
  startRun,
} from "./run-service";
