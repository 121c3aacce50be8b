// Entry of the renewal backtest thread (see RenewalBacktestRunner): its own database connection, one
// backtest computed and stored, one message back, then it ends.
import { parentPort, workerData } from "node:worker_threads";
import { openStorage } from "@tenure/storage";
import {
  computeStoring,
  type FromRenewalBacktestThread,
  type RenewalBacktestThreadData,
} from "./renewal-backtest-runner";

const port = parentPort;
if (port === null) throw new Error("renewal-backtest-thread runs as a worker thread");
const data = workerData as RenewalBacktestThreadData;
const post = (m: FromRenewalBacktestThread) => port.postMessage(m);

const storage = await openStorage(data.config, { migrate: false });
try {
  const skipped = await computeStoring(storage, data);
  post(skipped === null ? { kind: "done" } : { kind: "skipped", reason: skipped });
} catch (e) {
  post({ kind: "error", error: (e as Error)?.stack ?? String(e) });
} finally {
  await storage.close();
  port.close();
}
