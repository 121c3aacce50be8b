// Entry of the tracking writer thread (see WorkerTrackingWriter): its own database connection, the
// request parsing and validation, and the group-commit queue.
import { parentPort, workerData } from "node:worker_threads";
import { openStorage, type StorageConfig } from "@tenure/storage";
import { type FromWriter, InlineTrackingWriter, serializeError, type ToWriter } from "./tracking-writer";

const port = parentPort;
if (port === null) throw new Error("tracking-worker runs as a worker thread");
const post = (m: FromWriter) => port.postMessage(m);

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
