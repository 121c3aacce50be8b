import { Worker } from "node:worker_threads";
import type { StorageConfig } from "@tenure/storage";

/** The server's own threads; each is an entry of the CLI bundle (scripts/build-cli.mjs). */
export type ThreadName = "tracking-thread" | "health-thread";

/**
 * Starts one of the server's threads. From source (tsx, vitest) it loads the TypeScript entry through
 * dev-entry.mjs, which registers tsx inside the thread; from the bundled CLI, the bundled entry beside
 * the chunk this code is in.
 */
export function spawnThread(name: ThreadName, data: Record<string, unknown>): Worker {
  const here = import.meta.url;
  if (here.endsWith(".ts"))
    return new Worker(new URL("./dev-entry.mjs", here), {
      workerData: { ...data, entry: new URL(`./${name}.ts`, here).href },
    });
  return new Worker(new URL(`./${name}.mjs`, here), { workerData: data });
}

/** Whether a thread can open the store a second time (not an in-memory database). */
export const canUseThreads = (config: StorageConfig): boolean =>
  config.databaseUrl !== undefined || config.sqliteFile !== ":memory:";

/** Resolves when the thread posts `{kind: "ready"}` (it has opened the database); rejects if it fails first. */
export function threadReady(worker: Worker): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    const onReady = (m: { kind?: unknown }) => {
      if (m.kind !== "ready") return;
      worker.off("message", onReady);
      worker.off("error", reject);
      resolve();
    };
    worker.on("message", onReady);
    worker.once("error", reject);
  });
}
