import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { IsoDate } from "@tenure/core";
import { startServer } from "@tenure/server";
import { RevenueService, seedDemo } from "@tenure/services";
import { openStorage, type Storage } from "@tenure/storage";

export interface DemoServer {
  url: string;
  storage: Storage;
  /** The same service the server uses, for expected figures. */
  revenue: RevenueService;
  close(): Promise<void>;
}

export interface DemoServerOptions {
  webRoot: string;
  /** Demo size and PRNG seed; omitted = what `tenure demo` seeds (2,400 accounts, seed 42). */
  accounts?: number;
  seed?: number;
  today: IsoDate;
  /** TENURE_REPORTING_CURRENCY of the server (default USD). */
  reportingCurrency?: string;
}

/** A temp SQLite store seeded with the demo company, served in-process in demo mode on an ephemeral port. */
export async function startDemoServer(opts: DemoServerOptions): Promise<DemoServer> {
  const dir = await mkdtemp(join(tmpdir(), "tenure-e2e-db-"));
  const storage = await openStorage({ sqliteFile: join(dir, "tenure.db") });
  try {
    await seedDemo(storage, { workspaceId: "default", accounts: opts.accounts, seed: opts.seed });
    const { key } = await storage.apiKeys.create("default", { name: "e2e", kind: "admin" });
    const today = () => opts.today;
    const server = await startServer(
      {
        storage,
        config: { reportingCurrency: opts.reportingCurrency ?? "USD", grossMargin: 1 },
        demoKey: key,
        webRoot: opts.webRoot,
        today,
      },
      { port: 0, host: "127.0.0.1" },
    );
    const revenue = new RevenueService(storage, {
      workspaceId: "default",
      reportingCurrency: opts.reportingCurrency ?? "USD",
      grossMargin: 1,
      today,
    });
    return {
      url: server.url,
      storage,
      revenue,
      close: async () => {
        await server.close();
        await storage.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (error) {
    await storage.close();
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
}
