export { trackingRoutes } from "./tracking-routes";
export { usageRoutes } from "./usage-route";
