// Starts the tracking writer thread from the TypeScript source (tests, `tenure` without a bundle):
// worker threads cannot take tsx through execArgv, so it registers here, inside the thread.
import { register } from "tsx/esm/api";

register();
await import("./tracking-worker.ts");
