import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { isTenureError } from "@tenure/core";
import { catchUpRollups, RollupSources } from "@tenure/services";
import { openStorage, type Storage } from "@tenure/storage";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import {
  InlineTrackingWriter,
  type TrackingSubmission,
  WorkerTrackingWriter,
} from "../src/tracking/tracking-writer";

const WS = "default";
const bytes = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const submission = (body: unknown, workspaceId: string | null = WS): TrackingSubmission => ({
  endpoint: "batch",
  body: bytes(body),
  workspaceId,
  receivedAt: "2026-05-01T10:00:00.000Z",
});

describe.each(["inline", "thread"] as const)("tracking writer (%s)", (kind) => {
  let dir: string;
  let storage: Storage;
  let writer: InlineTrackingWriter | WorkerTrackingWriter;
  let sources: RollupSources;

  beforeEach(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "tenure-writer-"));
    storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
    sources = new RollupSources();
    writer =
      kind === "thread"
        ? await WorkerTrackingWriter.start(storage, sources)
        : new InlineTrackingWriter(storage, sources);
  });

  afterEach(async () => {
    await writer.close();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("reports the accounts a group call and a rollup flush changed, and the server's catch-up sees the counts", async () => {
    const changes: Array<[string, string[]]> = [];
    writer.listen((ws, ids) => changes.push([ws, ids]));
    await writer.submit(
      submission({
        batch: [
          {
            type: "group",
            messageId: "g1",
            userId: "u1",
            groupId: "acc-1",
            timestamp: "2026-05-01T09:00:00Z",
          },
          {
            type: "track",
            messageId: "t1",
            userId: "u1",
            event: "Report Run",
            timestamp: "2026-05-01T09:01:00Z",
          },
          {
            type: "track",
            messageId: "t2",
            userId: "u2",
            event: "Report Run",
            timestamp: "2026-05-01T09:02:00Z",
          },
        ],
      }),
    );
    // Committed and acknowledged: the events are stored, their rollups not yet flushed.
    expect(await storage.usageEvents.count(WS)).toBe(3);
    await expect.poll(() => changes.length).toBeGreaterThan(0);
    expect(changes[0]).toEqual([WS, ["acc-1"]]);

    // The server's catch-up asks the writer to flush the counts it holds (on its thread, if any).
    await catchUpRollups(storage, sources);
    expect(await storage.usageRollups.list(WS)).toEqual([
      { userKey: "u1", day: "2026-05-01", event: "Report Run", count: 1 },
      { userKey: "u2", day: "2026-05-01", event: "Report Run", count: 1 },
    ]);
    // The flush reports the mapped accounts of the users it counted (u2 has none yet).
    await expect.poll(() => changes.length).toBe(2);
    expect(changes[1]).toEqual([WS, ["acc-1"]]);
  });

  it("rejects a bad request whole with the item and field named, and an unknown body key", async () => {
    const bad = writer.submit(submission({ batch: [{ type: "track", messageId: "x", event: "E" }] }));
    await expect(bad).rejects.toSatisfy(
      (e) => isTenureError(e, "validation") && /batch\[0\]\.userId/.test((e as Error).message),
    );
    await expect(
      writer.submit({ ...submission({}), body: new TextEncoder().encode("{nope") }),
    ).rejects.toSatisfy(
      (e) => isTenureError(e, "validation") && /body: invalid JSON/.test((e as Error).message),
    );
    await expect(writer.submit(submission({ writeKey: "tk_unknown", batch: [] }, null))).rejects.toSatisfy(
      (e) => isTenureError(e, "unauthorized"),
    );
    expect(await storage.usageEvents.count(WS)).toBe(0);
  });
});

describe("tracking writer thread supervision", () => {
  it("fails the requests in flight when the thread dies, starts a new one and keeps what was committed", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "tenure-writer-crash-"));
    const storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
    const writer = await WorkerTrackingWriter.start(storage, new RollupSources());
    try {
      const call = (id: string) => ({ type: "track", messageId: id, userId: "u1", event: "E" });
      await writer.submit(submission({ batch: [call("before")] }));
      const first = writer.thread;
      const inFlight = writer.submit(submission({ batch: [call("in-flight")] }));
      await first.terminate();
      // Either it was committed before the thread died, or it failed and the client retries.
      const outcome = await inFlight.then(
        () => "committed",
        (e: unknown) => (isTenureError(e, "internal") ? "failed" : String(e)),
      );
      expect(["committed", "failed"]).toContain(outcome);
      await expect.poll(() => writer.thread !== first).toBe(true);
      await writer.submit(submission({ batch: [call("in-flight"), call("after")] }));
      // Every acknowledged call is stored once, the retried one too.
      expect(await storage.usageEvents.count(WS)).toBe(3);
    } finally {
      await writer.close();
      await storage.close();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
