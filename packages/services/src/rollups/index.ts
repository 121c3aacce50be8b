export { applyPendingRollups, catchUpRollups, DeferredRollups } from "./deferred-rollups";
export { RollupCounter } from "./rollup-counter";
export { type RollupSource, RollupSources } from "./rollup-sources";
export {
  type ActiveUsers,
  activeUsers,
  type UsageDay,
  type UsageReport,
  usageDays,
  usageReport,
} from "./usage-report";
