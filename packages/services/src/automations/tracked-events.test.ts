import type { AutomationDefinition } from "@tenure/core";
import { minimalAccount, openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../config/config";
import { buildJobRegistry } from "../jobs/job-handlers";
import { JobQueue } from "../jobs/job-queue";
import { silentJobLogger } from "../jobs/job-types";
import { JobWorker } from "../jobs/job-worker";
import { IngestQueue } from "../tracking/ingest-queue";
import { parseTrackingMessage, type TrackingMessage } from "../tracking/tracking-message";
import { automationLog, saveAutomation } from "./automation-service";
import { AUTOMATION_TRACKED_JOB } from "./tracked-events";

const WS = "ws";
const NOW = "2026-12-07T10:00:00.000Z";

const call = (raw: Record<string, unknown>): TrackingMessage => {
  const r = parseTrackingMessage({ timestamp: NOW, ...raw }, "test", { receivedAt: NOW });
  if (!r.ok) throw new Error(r.issue.message);
  return r.message;
};

const exportFailed: AutomationDefinition = {
  name: "Export failed on Pro",
  enabled: true,
  trigger: {
    type: "event_tracked",
    event: "export_failed",
    where: [{ property: "plan", op: "eq", value: "pro" }],
  },
  conditions: null,
  actions: [{ type: "add_tag", tag: "export-issue" }],
  options: { includeChurned: false, reentryDays: null, holdoutPct: 0 },
};

describe.each(testDialects())("tracked events fire automations through ingest on %s", (dialect) => {
  let t: TestStorage;
  let ingest: IngestQueue;
  let queue: JobQueue;
  let automationId: string;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    await t.storage.workspaces.ensure(WS, WS);
    await t.storage.accounts.upsertMany(WS, [
      { ...minimalAccount("acme"), name: "Acme" },
      { ...minimalAccount("globex"), name: "Globex" },
    ]);
    ingest = new IngestQueue(t.storage, { rollupFlushMs: 3_600_000 });
    queue = new JobQueue(t.storage);
    automationId = (await saveAutomation(t.storage, WS, exportFailed, { at: NOW })).id;
    // The users belong to their accounts (group calls, through the same ingest).
    await ingest.submit(WS, [
      call({ type: "group", messageId: "g1", userId: "ann", groupId: "acme" }),
      call({ type: "group", messageId: "g2", userId: "bob", groupId: "globex" }),
    ]);
  });
  afterAll(async () => {
    ingest.close();
    await t.cleanup();
  });

  /** Runs every due job with a real worker until none is left. */
  async function drain(): Promise<void> {
    const registry = buildJobRegistry({
      storage: t.storage,
      queue,
      config: loadConfig({}),
      logger: silentJobLogger,
      today: () => NOW.slice(0, 10),
    });
    const worker = new JobWorker({
      storage: t.storage,
      registry,
      queue,
      pollIntervalMs: 20,
      schedules: false,
    });
    worker.start();
    for (let i = 0; i < 500; i++) {
      const c = await queue.counts(WS);
      if (c.queued === 0 && c.running === 0) break;
      await new Promise((r) => setTimeout(r, 20));
    }
    await worker.stop();
  }

  const trackedJobs = async () => (await queue.list(WS, { kind: AUTOMATION_TRACKED_JOB })).total;
  const tags = async (id: string) => (await t.storage.accounts.get(WS, id))?.tags ?? [];

  it("should enqueue no pass for events no trigger listens for", async () => {
    await ingest.submit(WS, [
      call({
        type: "track",
        messageId: "e0",
        userId: "ann",
        event: "report_viewed",
        properties: { plan: "pro" },
      }),
    ]);
    expect(await trackedJobs()).toBe(0);
  });

  it("should fire once for a matching event and not for one whose property does not match", async () => {
    // One batch: a match (acme, plan pro), a non-match (globex, plan free): one pass for both.
    await ingest.submit(WS, [
      call({
        type: "track",
        messageId: "e1",
        userId: "ann",
        event: "export_failed",
        properties: { plan: "pro" },
      }),
      call({
        type: "track",
        messageId: "e2",
        userId: "bob",
        event: "export_failed",
        properties: { plan: "free" },
      }),
    ]);
    expect(await trackedJobs()).toBe(1);
    await drain();
    const log = await automationLog(t.storage, WS, automationId);
    expect(log.map((e) => [e.accountId, e.instance, e.outcome, e.status])).toEqual([
      ["acme", "event:e1", "fired", "done"],
    ]);
    expect(await tags("acme")).toEqual(["export-issue"]);
    expect(await tags("globex")).toEqual([]);
  });

  it("should ignore a repeated call (same messageId): no pass, no second log row", async () => {
    await ingest.submit(WS, [
      call({
        type: "track",
        messageId: "e1",
        userId: "ann",
        event: "export_failed",
        properties: { plan: "pro" },
      }),
    ]);
    expect(await trackedJobs()).toBe(1);
    await drain();
    expect(await automationLog(t.storage, WS, automationId)).toHaveLength(1);
  });
});
