export { createApp } from "./app";
export { SESSION_COOKIE } from "./auth";
export type { AppDeps } from "./context";
export { createUserAdmin, type UserAdmin } from "./identity/user-admin";
export { createLogger, LOG_REDACT_PATHS, scrubSecrets } from "./logger";
export { type RunningServer, startServer } from "./serve";
export { webDistDir } from "./web-root";
