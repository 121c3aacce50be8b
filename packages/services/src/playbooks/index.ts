export { readMetric } from "./metric-reader";
export {
  archivePlaybook,
  createPlaybook,
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
  measureAllDueRuns,
  measureDueRuns,
  type PlaybookRunDeps,
  reschedulePlaybookRun,
  type StartRunInput,
  type StartRunResult,
  snoozePlaybookRun,
  startRun,
} from "./run-service";
