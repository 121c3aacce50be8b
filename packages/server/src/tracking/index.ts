export { trackingRoutes } from "./tracking-routes";
export {
  InlineTrackingWriter,
  type TrackingWriter,
  WorkerTrackingWriter,
} from "./tracking-writer";
