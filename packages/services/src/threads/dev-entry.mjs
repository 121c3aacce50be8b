// Starts a server thread from the TypeScript source (tests, `tenure` without a bundle): worker threads
// cannot take tsx through execArgv, so it is registered here, inside the thread, before the entry loads.
import { workerData } from "node:worker_threads";
import { register } from "tsx/esm/api";

register();
await import(workerData.entry);
