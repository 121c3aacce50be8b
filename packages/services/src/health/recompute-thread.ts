// Entry of a recompute's second thread (recomputeHealth, option `threads`): its own database connection,
// the steps it is given, and their counts back.
import { parentPort, workerData } from "node:worker_threads";
import { type AccountRange, openStorage, type StorageConfig } from "@tenure/storage";
import { type RecomputeShared, recomputeSteps } from "./recompute-health";

const port = parentPort;
if (port === null) throw new Error("recompute-thread runs as a worker thread");
const storage = await openStorage((workerData as { config: StorageConfig }).config);
port.once("message", (m: { shared: RecomputeShared; ranges: AccountRange[] }) => {
  recomputeSteps(storage, m.shared, m.ranges)
    .then(
      (counts) => port.postMessage({ kind: "done", counts }),
      (error: unknown) =>
        port.postMessage({ kind: "error", error: (error as Error)?.stack ?? String(error) }),
    )
    .finally(() => void storage.close().finally(() => port.close()));
});
port.postMessage({ kind: "ready" });
