import { createLogger, type RunningServer, startServer, webDistDir } from "@tenure/server";
import {
  isWorkspaceEmpty,
  type JobWorker,
  seedDemo,
  seedDemoUsers,
  type TenureConfig,
  trainModel,
} from "@tenure/services";
import type { Storage } from "@tenure/storage";
import type pino from "pino";
import { today } from "../context";
import { type Io, progressBar, writeLine } from "../output";

/** The admin key older demos signed the web app in with (revoked: the demo now signs in a demo user). */
const DEMO_KEY_NAME = "demo session";

/** TENURE_HEALTH_INTERVAL_MINUTES: minutes between health recomputes (default 15, 0 = only after new data). */
function healthInterval(env = process.env): number {
  const raw = env.TENURE_HEALTH_INTERVAL_MINUTES;
  const n = raw === undefined || raw === "" ? 15 : Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : 15;
}

/** Starts the API and web app; resolves with the running server (the process stays up). */
export async function serveCommand(
  storage: Storage,
  config: TenureConfig,
  args: { port?: number; demo?: boolean; worker?: boolean },
  io: Io,
): Promise<RunningServer> {
  const logger = createLogger({ level: config.logLevel });
  const server = await startServer(
    {
      storage,
      config,
      logger,
      demo: args.demo,
      webRoot: webDistDir(),
      today,
      healthIntervalMinutes: healthInterval(),
      rateLimits: {
        keyPerMinute: config.rateLimitKeyPerMinute,
        keyBurst: config.rateLimitKeyBurst,
        ipPerMinute: config.rateLimitIpPerMinute,
        ipBurst: config.rateLimitIpBurst,
        trustProxy: config.trustProxy === "on",
      },
    },
    { port: args.port ?? config.port, host: config.host },
  );
  writeLine(io.out, `Tenure is running at ${server.url} (API: ${server.url}/api/openapi.json)`);
  // Queued jobs run in this process unless --no-worker or TENURE_WORKER=off (then: `tenure worker`).
  let worker: JobWorker | null = null;
  if (args.worker !== false && config.worker === "on") {
    const { startJobWorker } = await import("./worker");
    worker = startJobWorker(storage, config, logger);
  }
  stopOnSignal(server, storage, logger, worker);
  return server;
}

/**
 * SIGTERM / SIGINT: stop taking requests, let the ones in flight finish (at most 10 s), stop the
 * tracking writer and close the database, then exit. Every acknowledged event is already durable;
 * rollup counts still in memory are replayed from the event log at the next start.
 */
function stopOnSignal(
  server: RunningServer,
  storage: Storage,
  logger: pino.Logger,
  worker: JobWorker | null,
): void {
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, "shutting down");
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    void server
      .close()
      .then(() => worker?.stop())
      .then(() => storage.close())
      .catch((err: unknown) => logger.error({ err }, "shutdown failed"))
      .finally(() => process.exit(0));
  };
  process.once("SIGTERM", stop);
  process.once("SIGINT", stop);
}

/** `tenure demo`: seeds the demo company on first run, then serves it with automatic sign-in. */
export async function demoCommand(
  storage: Storage,
  config: TenureConfig,
  args: {
    workspaceId: string;
    accounts?: number;
    seed?: number;
    serve: boolean;
    port?: number;
    worker?: boolean;
  },
  io: Io,
): Promise<RunningServer | null> {
  if (await isWorkspaceEmpty(storage, args.workspaceId)) {
    const bar = progressBar(io, "seeding demo company");
    writeLine(io.out, `Generating the demo company (${args.accounts ?? "default"} accounts)...`);
    const result = await seedDemo(storage, {
      workspaceId: args.workspaceId,
      accounts: args.accounts,
      seed: args.seed,
      // The demo company's history ends today, whenever today is.
      asOf: today(),
      reportingCurrency: config.reportingCurrency,
      onProgress: (_step, done, total) => bar.update(done, total),
    });
    bar.stop();
    writeLine(
      io.out,
      `Seeded ${result.company}: ${result.accounts} accounts, ${result.subscriptions} subscription periods, ` +
        `${result.contacts} contacts, ${result.products} products.`,
    );
    // The demo's accounts carry churn and expansion predictions from the start, as after `tenure predict train`.
    for (const target of ["churn", "expansion"] as const) {
      // Churn also stores the renewal backtest here, before serving: the server only reads it.
      const r = await trainModel(storage, args.workspaceId, {
        asOf: today(),
        target,
        reportingCurrency: config.reportingCurrency,
      });
      writeLine(
        io.out,
        `Trained the ${target} model (${r.model}, backtest ROC-AUC ${r.backtest.metrics.chosen.auc.toFixed(3)}); scored ${r.scored} accounts.`,
      );
    }
  } else {
    writeLine(
      io.out,
      "The demo workspace already has data; keeping it (delete the data folder to start over).",
    );
  }
  if (!args.serve) return null;
  // Demo data folders from before sign-in existed get their users now; the old demo session keys go.
  await seedDemoUsers(storage, args.workspaceId);
  for (const k of await storage.apiKeys.list(args.workspaceId)) {
    if (k.name === DEMO_KEY_NAME && !k.revokedAt) await storage.apiKeys.revoke(args.workspaceId, k.id);
  }
  return serveCommand(storage, config, { port: args.port, demo: true, worker: args.worker }, io);
}
