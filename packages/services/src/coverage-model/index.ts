export {
  getCoverage,
  type QbrRow,
  type QbrSchedule,
  qbrSchedule,
  saveCoverage,
  setQbr,
} from "./coverage-service";
