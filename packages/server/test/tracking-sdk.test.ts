import { mkdtempSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import path from "node:path";
import { Analytics } from "@segment/analytics-node";
import { usageReport } from "@tenure/services";
import { openStorage, type Storage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type RunningServer, startServer } from "../src/serve";

interface RudderClient {
  group(m: Record<string, unknown>, callback?: (err?: Error) => void): void;
  track(m: Record<string, unknown>, callback?: (err?: Error) => void): void;
  flush(cb?: (err?: Error) => void): Promise<unknown>;
}
const RudderAnalytics = createRequire(import.meta.url)("@rudderstack/rudder-sdk-node") as new (
  writeKey: string,
  options: Record<string, unknown>,
) => RudderClient;

const WS = "default";
const DAY = "2026-04-01";
let dir: string;
let storage: Storage;
let server: RunningServer;
let writeKey: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "tenure-sdk-"));
  storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
  writeKey = (await storage.apiKeys.create(WS, { name: "sdk", kind: "write" })).key;
  server = await startServer(
    { storage, config: { reportingCurrency: "USD", grossMargin: 1 } },
    { port: 0, host: "127.0.0.1" },
  );
});

afterAll(async () => {
  await server?.close();
  await storage?.close();
  rmSync(dir, { recursive: true, force: true });
});

const timestamp = new Date(`${DAY}T09:00:00Z`);

describe("real SDKs against the tracking API", () => {
  it("should count Segment analytics-node tracks exactly once when the same events are sent twice", async () => {
    const send = async () => {
      const analytics = new Analytics({ writeKey, host: server.url, flushAt: 50, maxRetries: 0 });
      const errors: unknown[] = [];
      analytics.on("error", (e) => errors.push(e));
      analytics.group({ userId: "seg-a1", groupId: "seg-acc-a", traits: { name: "Segment A" } });
      analytics.group({ userId: "seg-b1", groupId: "seg-acc-b" });
      analytics.group({ userId: "seg-b2", groupId: "seg-acc-b" });
      for (let i = 0; i < 120; i++) {
        const userId = i % 3 === 0 ? "seg-a1" : i % 3 === 1 ? "seg-b1" : "seg-b2";
        analytics.track({
          userId,
          event: i % 2 === 0 ? "Report Run" : "Export",
          messageId: `seg-${i}`,
          timestamp,
        });
      }
      await analytics.closeAndFlush();
      expect(errors).toEqual([]);
    };
    await send();
    await send();
    const a = await usageReport(storage, WS, { accountId: "seg-acc-a", from: DAY, to: DAY });
    const b = await usageReport(storage, WS, { accountId: "seg-acc-b", from: DAY, to: DAY });
    // i % 3 === 0 → 40 calls for a1; even i → "Report Run": among multiples of 3 in 0..119, 20 even.
    expect(a.days).toEqual([{ date: DAY, events: { "Report Run": 20, Export: 20 }, activeUsers: 1 }]);
    expect(b.days).toEqual([{ date: DAY, events: { "Report Run": 40, Export: 40 }, activeUsers: 2 }]);
    expect((await storage.accounts.get(WS, "seg-acc-a"))?.name).toBe("Segment A");
  });

  it("should count RudderStack rudder-sdk-node (gzip, /v1/batch) tracks exactly once when sent twice", async () => {
    const send = async () => {
      const client = new RudderAnalytics(writeKey, {
        dataPlaneUrl: server.url,
        flushAt: 50,
        flushInterval: 20,
        retryCount: 0,
        logLevel: "error",
      });
      // Each call's callback runs when the batch holding it was answered: wait for all of them,
      // since the SDK's flush() may resolve while another flush still holds queued calls.
      const delivered: Promise<void>[] = [];
      const call = (method: "group" | "track", message: Record<string, unknown>) =>
        delivered.push(
          new Promise((resolve, reject) =>
            client[method](message, (err?: Error) => (err ? reject(err) : resolve())),
          ),
        );
      call("group", { userId: "rs-1", groupId: "rs-acc-1" });
      call("group", { userId: "rs-2", groupId: "rs-acc-2" });
      for (let i = 0; i < 90; i++) {
        call("track", {
          userId: i % 2 === 0 ? "rs-1" : "rs-2",
          event: "Clicked",
          messageId: `rs-${i}`,
          timestamp,
        });
      }
      void client.flush();
      await Promise.all(delivered);
    };
    await send();
    await send();
    const one = await usageReport(storage, WS, { accountId: "rs-acc-1", from: DAY, to: DAY });
    const two = await usageReport(storage, WS, { accountId: "rs-acc-2", from: DAY, to: DAY });
    expect(one.days).toEqual([{ date: DAY, events: { Clicked: 45 }, activeUsers: 1 }]);
    expect(two.days).toEqual([{ date: DAY, events: { Clicked: 45 }, activeUsers: 1 }]);
  });
});
