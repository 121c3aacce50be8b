// Entry of the tracking writer thread (see WorkerTrackingWriter): its own database connection, the
// request parsing and validation, and the group-commit queue.
import { parentPort, workerData } from "node:worker_threads";
import { runInBackground } from "@tenure/services";
import { openStorage, type StorageConfig } from "@tenure/storage";
import { type FromWriter, InlineTrackingWriter, serializeError, type ToWriter } from "./tracking-writer";

const port = parentPort;
if (port === null) throw new Error("tracking-worker runs as a worker thread");
const post = (m: FromWriter) => port.postMessage(m);
/** The tracking writer thread's nice value (0 normal, 19 lowest): below requests, above health. */
const TRACKING_THREAD_NICE = 5;

// Bulk ingestion: the threads answering people's requests get the CPU first (acknowledged calls
// still commit in order; under load they wait a little longer, see docs/benchmarks.md).
runInBackground(TRACKING_THREAD_NICE);

const storage = await openStorage((workerData as { config: StorageConfig }).config, { migrate: false });
const writer = new InlineTrackingWriter(storage);
writer.listen((workspaceId, accountIds) => post({ kind: "changed", workspaceId, accountIds }));

port.on("message", (m: ToWriter) => {
  if (m.kind === "close") {
    void writer
      .close()
      .then(() => storage.close())
      // The server waits for this thread's exit, which closing the port allows.
      .finally(() => port.close());
    return;
  }
  const work = m.kind === "submit" ? writer.submit(m.submission) : writer.flushRollups();
  work.then(
    () => post({ kind: "done", id: m.id }),
    (error: unknown) => post({ kind: "done", id: m.id, error: serializeError(error) }),
  );
});
post({ kind: "ready" });
