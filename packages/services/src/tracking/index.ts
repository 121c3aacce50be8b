export {
  type IngestResult,
  ingestBatch,
  ingestInto,
  insertFresh,
  insertFreshDeferred,
  PendingUsage,
} from "./ingest";
export { IngestQueue, type IngestQueueOptions } from "./ingest-queue";
export {
  formatIssue,
  MAX_BATCH_BYTES,
  MAX_EVENT_BYTES,
  type ParseResult,
  parseTrackingMessage,
  TRACKING_CALL_TYPES,
  type TrackingIssue,
  type TrackingMessage,
  USAGE_CALL_TYPES,
} from "./tracking-message";
export { type ParsedTrackingRequest, parseTrackingRequest, type TrackingEndpoint } from "./tracking-request";
