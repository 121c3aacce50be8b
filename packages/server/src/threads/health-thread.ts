// Entry of the health thread (see HealthThread): its own database connection and the health scheduler,
// so recomputing thousands of accounts never runs in the event loop that answers API requests.
import { parentPort, workerData } from "node:worker_threads";
import { HealthScheduler, RollupSources, runInBackground } from "@tenure/services";
import { openStorage } from "@tenure/storage";
import type { FromHealth, HealthThreadData, ToHealth } from "./health-thread-client";

const port = parentPort;
if (port === null) throw new Error("health-thread runs as a worker thread");
const post = (m: FromHealth) => port.postMessage(m);
const data = workerData as HealthThreadData;
/** The health thread's nice value (0 normal, 19 lowest). */
const HEALTH_THREAD_NICE = 10;

// Background work: the CPU goes to the threads answering requests first.
runInBackground(HEALTH_THREAD_NICE);

const storage = await openStorage(data.config, { migrate: false });
// The server's clock, as it last told (null: this thread's own UTC date).
let today = data.today;
// Before each recompute, the rollup counts the tracking writer holds in memory are flushed: the
// writer lives on another thread, so the server thread is asked to do it.
let nextFlush = 1;
const flushes = new Map<number, { resolve: () => void; reject: (e: Error) => void }>();
const rollupSources = new RollupSources();
rollupSources.add({
  flushRollups: () =>
    new Promise<void>((resolve, reject) => {
      const id = nextFlush++;
      flushes.set(id, { resolve, reject });
      post({ kind: "flush", id });
    }),
});

const scheduler = new HealthScheduler({
  storage,
  workspaces: async () => (await storage.workspaces.list()).map((w) => w.id),
  today: () => today ?? new Date().toISOString().slice(0, 10),
  reportingCurrency: data.reportingCurrency,
  intervalMinutes: data.intervalMinutes,
  // Nothing else runs in this thread: larger steps than the in-process default cost less, and a rest
  // as long as each step leaves the cores to the requests in between (on PostgreSQL a step's writes
  // keep a backend busy too: 5,000 accounts rescored at once held the account page's p99 at 90-400 ms).
  chunkAccounts: 250,
  restRatio: 1,
  // One thread only: a usage reader would make a full recompute faster but keep both cores busy, and
  // the API's latency matters more here (page p99 112 ms during a full recompute with it, 23 ms without).
  usageThread: false,
  rollupSources,
  onError: (err) => post({ kind: "error", error: (err as Error)?.stack ?? String(err) }),
  onDone: (workspaceId, result) => post({ kind: "done", workspaceId, result }),
});
scheduler.start();

port.on("message", (m: ToHealth) => {
  if (m.kind === "dirty") scheduler.markDirty(m.workspaceId, m.accountIds ?? undefined);
  else if (m.kind === "all-dirty") scheduler.markAllDirty();
  else if (m.kind === "today") today = m.today;
  else if (m.kind === "flushed") {
    const f = flushes.get(m.id);
    flushes.delete(m.id);
    if (m.error === undefined) f?.resolve();
    else f?.reject(new Error(m.error));
  } else if (m.kind === "close") {
    void scheduler
      .stop()
      .then(() => storage.close())
      .finally(() => port.close());
  }
});
post({ kind: "ready" });
