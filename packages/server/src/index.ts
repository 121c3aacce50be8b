export { createApp } from "./app";
export { SESSION_COOKIE } from "./auth";
export type { AppDeps } from "./context";
export { createUserAdmin, type UserAdmin } from "./identity/user-admin";
export { type RunningServer, startServer } from "./serve";
export { webDistDir } from "./web-root";
