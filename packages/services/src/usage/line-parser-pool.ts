import { createRequire } from "node:module";
import { pathToFileURL } from "node:url";
import { Worker } from "node:worker_threads";
import { type ParsedLines, type ParseLinesOptions, parseEventLines } from "./event-lines";
import type { ParseRequest } from "./import-worker";

/**
 * Parses pieces of a JSON-lines file on worker threads (the second core), or on this thread when it
 * has none. Results come back in whatever order workers finish; callers await them in order.
 */
export class LineParserPool {
  private readonly workers: Worker[];
  private readonly waiting = new Map<
    number,
    { resolve: (r: ParsedLines) => void; reject: (e: Error) => void }
  >();
  private next = 0;
  private failed: Error | null = null;

  private constructor(count: number) {
    this.workers = Array.from({ length: count }, () => this.spawn());
  }

  /** A pool of `workers` threads (0: parse on the calling thread). */
  static start(workers: number): LineParserPool {
    return new LineParserPool(workers);
  }

  /** Parses whole lines; `bytes` (its whole buffer) is transferred to a worker and unusable after. */
  parse(bytes: Uint8Array, opts: ParseLinesOptions): Promise<ParsedLines> {
    if (this.workers.length === 0) {
      try {
        return Promise.resolve(parseEventLines(bytes, opts));
      } catch (error) {
        return Promise.reject(error);
      }
    }
    if (this.failed !== null) return Promise.reject(this.failed);
    const id = this.next++;
    const worker = this.workers[id % this.workers.length] as Worker;
    return new Promise((resolve, reject) => {
      this.waiting.set(id, { resolve, reject });
      const req: ParseRequest = { id, bytes, opts };
      worker.postMessage(req, [bytes.buffer as ArrayBuffer]);
    });
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((w) => w.terminate()));
  }

  private spawn(): Worker {
    const worker = startWorker();
    worker.on("message", (msg: { id: number; result: ParsedLines }) => {
      const w = this.waiting.get(msg.id);
      this.waiting.delete(msg.id);
      w?.resolve(msg.result);
    });
    const fail = (error: Error) => {
      this.failed = error;
      for (const w of this.waiting.values()) w.reject(error);
      this.waiting.clear();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => {
      if (this.waiting.size > 0) fail(new Error(`import worker stopped (exit code ${code})`));
    });
    return worker;
  }
}

/**
 * The worker thread. From the bundled CLI it is the bundle's own `import-worker.mjs` (see
 * scripts/build-cli.mjs); from TypeScript sources (tsx, vitest) it registers tsx first, since a new
 * thread does not inherit the parent's module loader.
 */
function startWorker(): Worker {
  const here = import.meta.url;
  if (!here.endsWith(".ts")) return new Worker(new URL("./import-worker.mjs", here));
  // tsx's ESM entry: its CommonJS build of the same API cannot load the ESM hooks from a worker.
  const api = pathToFileURL(
    createRequire(here)
      .resolve("tsx/esm/api")
      .replace(/\.cjs$/, ".mjs"),
  ).href;
  const script = new URL("./import-worker.ts", here).href;
  const boot = `import(${JSON.stringify(api)}).then((tsx) => { tsx.register(); return import(${JSON.stringify(script)}); });`;
  return new Worker(boot, { eval: true });
}
