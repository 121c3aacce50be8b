export { trackingRoutes } from "./tracking-routes";
export {
  canUseWriterThread,
  InlineTrackingWriter,
  type TrackingWriter,
  WorkerTrackingWriter,
} from "./tracking-writer";
export { usageRoutes } from "./usage-route";
