export {
  type EventImportInput,
  type EventImportSummary,
  importEvents,
  importEventsFile,
} from "./import-events";
