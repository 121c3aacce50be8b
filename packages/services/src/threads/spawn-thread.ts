import { setPriority } from "node:os";
import { Worker } from "node:worker_threads";
import type { StorageConfig } from "@tenure/storage";

/**
 * Starts a thread whose entry is `name`.ts next to the calling module (`callerUrl`: its
 * import.meta.url). From source (tsx, vitest) the entry loads through dev-entry.mjs, which registers
 * tsx inside the thread; in the bundled CLI every thread entry is a bundle entry `name`.mjs beside
 * the chunks (scripts/build-cli.mjs), so it is found next to the caller's chunk.
 */
export function spawnThread(callerUrl: string, name: string, data: Record<string, unknown>): Worker {
  if (callerUrl.endsWith(".ts"))
    return new Worker(new URL("./dev-entry.mjs", import.meta.url), {
      workerData: { ...data, entry: new URL(`./${name}.ts`, callerUrl).href },
    });
  return new Worker(new URL(`./${name}.mjs`, callerUrl), { workerData: data });
}

/** Whether a thread can open the store a second time (not an in-memory database). */
export const canUseThreads = (config: StorageConfig): boolean =>
  config.databaseUrl !== undefined || config.sqliteFile !== ":memory:";

/**
 * Resolves when the thread posts `{kind: "ready"}` (it has opened the database); rejects if it fails
 * or exits first.
 */
export function threadReady(worker: Worker): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const done = () => {
      worker.off("message", onReady);
      worker.off("error", onError);
      worker.off("exit", onExit);
    };
    const onReady = (m: { kind?: unknown }) => {
      if (m.kind !== "ready") return;
      done();
      resolve();
    };
    const onError = (error: Error) => {
      done();
      reject(error);
    };
    const onExit = (code: number) => {
      done();
      reject(new Error(`thread exited (code ${code}) before it was ready`));
    };
    worker.on("message", onReady);
    worker.on("error", onError);
    worker.on("exit", onExit);
  });
}

/**
 * Lowers the calling thread's CPU priority to `nice` (0 normal, 19 lowest), for background threads
 * that share cores with the ones answering requests. On Linux a nice value is a thread's own
 * (setpriority on the calling thread), so the process's other threads keep theirs; where the system
 * refuses, the thread stays at normal priority.
 */
export function runInBackground(nice: number): void {
  try {
    setPriority(nice);
  } catch {
    // Not permitted or not supported here: normal priority.
  }
}
