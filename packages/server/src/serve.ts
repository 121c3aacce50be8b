import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { createApp } from "./app";
import type { AppDeps } from "./context";
import { canUseWriterThread, type TrackingWriter, WorkerTrackingWriter } from "./tracking/tracking-writer";

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the HTTP server; resolves once it is listening. The tracking API writes on its own thread
 * (own connection) unless the store is an in-memory database or `trackingThread` is false.
 */
export async function startServer(
  deps: AppDeps,
  opts: { port: number; host: string; trackingThread?: boolean },
): Promise<RunningServer> {
  let writer: TrackingWriter | undefined = deps.trackingWriter;
  if (writer === undefined && opts.trackingThread !== false && canUseWriterThread(deps.storage.config))
    writer = await WorkerTrackingWriter.start(deps.storage, deps.logger);
  const app = createApp({ ...deps, trackingWriter: writer });
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host }, (info: AddressInfo) => {
      const host = opts.host === "0.0.0.0" || opts.host === "127.0.0.1" ? "localhost" : opts.host;
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        close: async () => {
          await new Promise<void>((done) => server.close(() => done()));
          await writer?.close();
        },
      });
    });
    server.once("error", (error) => {
      void writer?.close();
      reject(error);
    });
  });
}
