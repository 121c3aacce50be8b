import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import { backfillAccountLists, canUseThreads, RenewalBacktestRunner, RollupSources } from "@tenure/services";
import { createApp } from "./app";
import type { AppDeps } from "./context";
import { type HealthRecompute, HealthThread } from "./threads/health-thread-client";
import { type TrackingWriter, WorkerTrackingWriter } from "./tracking/tracking-writer";

export interface RunningServer {
  url: string;
  port: number;
  close(): Promise<void>;
}

/**
 * Starts the HTTP server; resolves once it is listening. The tracking writer and the health scheduler
 * run on threads of their own (each with its own database connection), so the event loop that answers
 * requests does neither; `threads: false`, or an in-memory database, keeps both in this thread.
 */
export async function startServer(
  deps: AppDeps,
  opts: { port: number; host: string; threads?: boolean },
): Promise<RunningServer> {
  const threads = opts.threads !== false && canUseThreads(deps.storage.config);
  const rollupSources = deps.rollupSources ?? new RollupSources();
  const writer: TrackingWriter | undefined =
    deps.trackingWriter ??
    (threads ? await WorkerTrackingWriter.start(deps.storage, rollupSources, deps.logger) : undefined);
  let health: HealthRecompute | undefined = deps.healthThread;
  if (health === undefined && threads && deps.healthIntervalMinutes !== undefined && writer !== undefined) {
    health = await HealthThread.start({
      storage: deps.storage,
      intervalMinutes: deps.healthIntervalMinutes,
      reportingCurrency: deps.config.reportingCurrency,
      today: deps.today,
      logger: deps.logger,
      flushRollups: () => writer.flushRollups(),
    });
  }
  const renewalBacktests =
    deps.renewalBacktests ??
    new RenewalBacktestRunner({
      storage: deps.storage,
      reportingCurrency: deps.config.reportingCurrency,
      threads,
      onError: (err, ws) => deps.logger?.error({ err, workspace: ws }, "renewal backtest failed"),
      onSkipped: (reason, ws) => deps.logger?.warn({ workspace: ws, reason }, "renewal backtest skipped"),
    });
  const app = createApp({
    ...deps,
    rollupSources,
    trackingWriter: writer,
    healthThread: health,
    renewalBacktests,
  });
  // The stored accounts list, built now where this database has none for today (a database from before
  // it: the one-time backfill), so that the first list request does not wait for it.
  const backfill = backfillAccountLists(deps.storage, {
    asOf: deps.today?.() ?? new Date().toISOString().slice(0, 10),
    reportingCurrency: deps.config.reportingCurrency,
  }).catch((err: unknown) => deps.logger?.error({ err }, "accounts list backfill failed"));
  const stopThreads = async () => {
    await backfill;
    await renewalBacktests.stop();
    await health?.stop();
    await writer?.close();
  };
  return new Promise((resolve, reject) => {
    const server = serve({ fetch: app.fetch, port: opts.port, hostname: opts.host }, (info: AddressInfo) => {
      const host = opts.host === "0.0.0.0" || opts.host === "127.0.0.1" ? "localhost" : opts.host;
      resolve({
        url: `http://${host}:${info.port}`,
        port: info.port,
        close: async () => {
          await new Promise<void>((done) => server.close(() => done()));
          await stopThreads();
        },
      });
    });
    server.once("error", (error) => {
      void stopThreads();
      reject(error);
    });
  });
}
