// Entry of a recompute's usage reader thread (see UsagePrefetch): its own read connection, answering
// one usage read per step; the typed-array columns go back transferred, not copied.
import { parentPort, workerData } from "node:worker_threads";
import { openStorage } from "@tenure/storage";
import type { UsageReaderData, UsageReaderReply, UsageReaderRequest } from "./usage-prefetch";

const port = parentPort;
if (port === null) throw new Error("usage-reader runs as a worker thread");
const data = workerData as UsageReaderData;
const storage = await openStorage(data.config, { migrate: false });

port.on("message", (req: UsageReaderRequest) => {
  storage.healthUsage.userUsage(req.workspaceId, req.window, req.range).then(
    (usage) => {
      const reply: UsageReaderReply = { id: req.id, usage };
      port.postMessage(reply, [
        usage.weekEvents.buffer as ArrayBuffer,
        usage.recent.buffer as ArrayBuffer,
        usage.keyMask.buffer as ArrayBuffer,
      ]);
    },
    (error: unknown) => {
      const reply: UsageReaderReply = { id: req.id, error: (error as Error)?.message ?? String(error) };
      port.postMessage(reply);
    },
  );
});
port.on("close", () => {
  void storage.close();
});
port.postMessage({ kind: "ready" });
