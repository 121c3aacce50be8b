import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catchUpRollups } from "../rollups/deferred-rollups";
import { RollupSources } from "../rollups/rollup-sources";
import { IngestQueue } from "../tracking/ingest-queue";
import { parseTrackingMessage, type TrackingMessage } from "../tracking/tracking-message";
import { importEvents, importEventsFile } from "./import-events";
import { linePieces, type ReadInto } from "./json-lines";

const track = (i: number, user = `u${i % 7}`) =>
  JSON.stringify({
    type: "track",
    messageId: `m-${i}`,
    userId: user,
    event: `e${i % 3}`,
    timestamp: `2026-11-${String(1 + (i % 4)).padStart(2, "0")}T10:00:00.000Z`,
    properties: { i },
  });

/** Reads `bytes` at most `step` bytes per call, as a slow stream would. */
const slowReader = (bytes: Uint8Array, step: number): ReadInto => {
  let at = 0;
  return async (into, offset) => {
    const n = Math.min(step, into.length - offset, bytes.length - at);
    into.set(bytes.subarray(at, at + n), offset);
    at += n;
    return n;
  };
};

describe("linePieces", () => {
  it("should rebuild every line when lines and multi-byte characters are split across pieces", async () => {
    const text = '\uFEFFa\n{"x":"é€😀"}\n\nlast';
    const lines: string[] = [];
    for await (const p of linePieces(slowReader(new TextEncoder().encode(text), 3), 4))
      lines.push(...Buffer.from(p.bytes).toString("utf8").split("\n"));
    expect(lines).toEqual(["a", '{"x":"é€😀"}', "", "last"]);
  });
});

describe.each(testDialects())("event import and ingest queue on %s", (dialect) => {
  let t: TestStorage;
  const dir = mkdtempSync(path.join(tmpdir(), "tenure-events-"));
  beforeAll(async () => {
    t = await openTestStorage(dialect);
  });
  afterAll(async () => {
    await t?.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("should count each messageId once and keep rollups exact when a file spans many write chunks", async () => {
    const ws = "ws-import-big";
    const n = 12_000;
    const lines = Array.from({ length: n }, (_, i) => track(i));
    lines.splice(100, 0, track(5), track(6)); // repeats inside the file
    const file = path.join(dir, "big.jsonl");
    writeFileSync(file, `${lines.join("\n")}\n`);
    const first = await importEventsFile(t.storage, { workspaceId: ws, path: file, chunkSize: 1_000 });
    expect(first).toMatchObject({ rowsRead: n + 2, accepted: n, duplicates: 2, written: true, errors: [] });
    const again = await importEventsFile(t.storage, { workspaceId: ws, path: file, chunkSize: 1_000 });
    expect(again).toMatchObject({ accepted: 0, duplicates: n + 2, written: true });
    expect(await t.storage.usageEvents.count(ws)).toBe(n);
    const rollups = await t.storage.usageRollups.list(ws);
    expect(rollups.reduce((s, r) => s + r.count, 0)).toBe(n);
    expect(rollups.filter((r) => r.event === "e0").reduce((s, r) => s + r.count, 0)).toBe(Math.ceil(n / 3));
    expect((await t.storage.usageUsers.list(ws)).length).toBe(7);
  });

  it("should write nothing and name every bad line when a file has bad lines after good ones", async () => {
    const ws = "ws-import-bad";
    const content = new TextEncoder().encode(
      [track(1), "{not json", track(2), JSON.stringify({ type: "track", userId: "u1" })].join("\n"),
    );
    const summary = await importEvents(t.storage, { workspaceId: ws, fileName: "bad.jsonl", content });
    expect(summary.written).toBe(false);
    expect(summary.errors.map((e) => [e.row, e.column])).toEqual([
      [2, null],
      [4, "event"],
    ]);
    expect(await t.storage.usageEvents.count(ws)).toBe(0);
    expect(await t.storage.usageRollups.list(ws)).toEqual([]);
  });

  it("should store the same events, users and rollups when a worker thread parses the file", async () => {
    const lines = Array.from({ length: 3_000 }, (_, i) =>
      i % 500 === 0
        ? JSON.stringify({
            type: "group",
            messageId: `g-${i}`,
            userId: `u${i % 7}`,
            groupId: `acct-${i % 3}`,
            timestamp: "2026-11-02T00:00:00Z",
          })
        : i % 3 === 0
          ? JSON.stringify({
              type: "page",
              messageId: `p-${i}`,
              anonymousId: `a${i % 5}`,
              name: "Home",
              timestamp: "2026-11-02T00:00:00Z",
            })
          : i % 600 === 100
            ? // one user whose first call (line 100) carries another anonymousId than its later ones
              JSON.stringify({
                type: "track",
                messageId: `d-${i}`,
                userId: "dual",
                anonymousId: i === 100 ? "first" : `later-${i}`,
                event: "e1",
                timestamp: "2026-11-03T00:00:00Z",
              })
            : track(i),
    );
    const identify =
      '  {"type":"identify","userId":"u1","timestamp":"2026-11-02T00:00:00Z","traits":{"email":"u1@x.io"}}  ';
    lines.splice(10, 0, track(5), "", identify);
    const content = new TextEncoder().encode(lines.join("\n"));
    const read = async (ws: string, workers: number, countsEvery?: number, pieceBytes?: number) => {
      const summary = await importEvents(t.storage, {
        workspaceId: ws,
        fileName: "w.jsonl",
        content,
        workers,
        chunkSize: 700,
        countsEvery,
        pieceBytes,
      });
      const events = (await t.storage.usageEvents.list(ws)).map(({ receivedAt, ...e }) => e);
      const users = await t.storage.usageUsers.list(ws);
      return { summary, events, users, rollups: await t.storage.usageRollups.list(ws) };
    };
    const here = await read("ws-here", 0);
    const worker = await read("ws-worker", 1);
    // Rollups added in several parts while the worker reads on end up the same.
    const parts = await read("ws-parts", 1, 400);
    expect(parts.rollups).toEqual(here.rollups);
    expect(parts.events).toEqual(here.events);
    expect(parts.users).toEqual(here.users);
    expect(worker.summary).toEqual(here.summary);
    expect(here.summary).toMatchObject({
      rowsRead: 3_002,
      duplicates: 1,
      written: true,
      createdAccounts: ["acct-0", "acct-2", "acct-1"],
    });
    expect(worker.events).toEqual(here.events);
    expect(worker.users).toEqual(here.users);
    expect(worker.rollups).toEqual(here.rollups);
    expect(here.events.length).toBe(3_001);

    // Several parsers, pieces handed out in turn, counts taken at different times: the same result,
    // users' first calls included (u1's anonymous first call decides nothing: users are per key).
    for (const [ws, workers] of [
      ["ws-two", 2],
      ["ws-three", 3],
    ] as const) {
      const many = await read(ws, workers, 350, 16 << 10);
      expect(many.summary).toEqual(here.summary);
      expect(many.events).toEqual(here.events);
      expect(many.users).toEqual(here.users);
      expect(many.rollups).toEqual(here.rollups);
      expect(many.users.find((u) => u.userKey === "dual")?.anonymousId).toBe("first");
    }
    expect(here.users.find((u) => u.userKey === "dual")?.anonymousId).toBe("first");
  });

  it("should name the same bad lines when a worker thread parses the file", async () => {
    const lines = Array.from({ length: 2_000 }, (_, i) =>
      i % 400 === 7 ? `{"type":"track","userId":"u${i}"}` : track(i),
    );
    const content = new TextEncoder().encode(lines.join("\n"));
    const summary = await importEvents(t.storage, {
      workspaceId: "ws-bad-w",
      fileName: "b.jsonl",
      content,
      workers: 1,
    });
    expect(summary.written).toBe(false);
    expect(summary.errors.map((e) => [e.row, e.column, e.reason])).toEqual(
      [8, 408, 808, 1208, 1608].map((row) => [row, "event", "event is required for track calls"]),
    );
    expect(await t.storage.usageEvents.count("ws-bad-w")).toBe(0);
  });

  it("should give the same users and accounts when users are written while the parser reads on", async () => {
    // Thousands of users (enough for the writer to store them in steps while it waits for the parser),
    // and an account grouped first without a name and named by a later group call.
    const group = (i: number, user: string, groupId: string, name?: string) =>
      JSON.stringify({
        type: "group",
        messageId: `g-${i}`,
        userId: user,
        groupId,
        timestamp: "2026-11-02T00:00:00Z",
        ...(name === undefined ? {} : { traits: { name } }),
      });
    const lines = [group(0, "first", "acct-late")];
    for (let i = 1; i < 12_000; i++)
      lines.push(i % 2 === 0 ? track(i, `user-${i}`) : group(i, `user-${i - 1}`, `acct-${i % 40}`));
    lines.push(group(12_000, "last", "acct-late", "Late Inc"));
    const content = new TextEncoder().encode(lines.join("\n"));
    const read = async (ws: string, workers: number) => {
      const summary = await importEvents(t.storage, {
        workspaceId: ws,
        fileName: "users.jsonl",
        content,
        workers,
        pieceBytes: 8 << 10,
      });
      return {
        summary,
        users: await t.storage.usageUsers.list(ws),
        accounts: (await t.storage.accounts.list(ws)).map((a) => [a.id, a.name]),
      };
    };
    const here = await read("ws-users-here", 0);
    const worker = await read("ws-users-worker", 1);
    expect(here.users.length).toBe(6_002);
    expect(here.accounts).toContainEqual(["acct-late", "Late Inc"]);
    expect(worker.summary).toEqual(here.summary);
    expect(worker.users).toEqual(here.users);
    expect(worker.accounts).toEqual(here.accounts);
  });

  it("should write nothing and say so when the file is not UTF-8", async () => {
    const content = new Uint8Array([...new TextEncoder().encode(`${track(1)}\n`), 0xff, 0xfe, 0x0a]);
    const summary = await importEvents(t.storage, { workspaceId: "ws-utf8", fileName: "x.jsonl", content });
    expect(summary).toMatchObject({ written: false, accepted: 0 });
    expect(summary.errors.map((e) => e.reason)).toEqual(["x.jsonl is not valid UTF-8 text"]);
    expect(await t.storage.usageEvents.count("ws-utf8")).toBe(0);
  });

  it("should store every call once when concurrent submissions repeat messageIds", async () => {
    const ws = "ws-queue";
    const sources = new RollupSources();
    const queue = new IngestQueue(t.storage, { rollupSources: sources });
    const receivedAt = "2026-11-23T00:00:00.000Z";
    const parse = (line: string): TrackingMessage => {
      const r = parseTrackingMessage(JSON.parse(line), "", { receivedAt });
      if (!r.ok) throw new Error(r.issue.message);
      return r.message;
    };
    const batch = (from: number) => Array.from({ length: 50 }, (_, i) => parse(track(from + i)));
    await Promise.all([queue.submit(ws, batch(0)), queue.submit(ws, batch(25)), queue.submit(ws, batch(50))]);
    await queue.submit(ws, batch(0));
    expect(await t.storage.usageEvents.count(ws)).toBe(100);
    await catchUpRollups(t.storage, sources);
    queue.close();
    const rollups = await t.storage.usageRollups.list(ws);
    expect(rollups.reduce((s, r) => s + r.count, 0)).toBe(100);
    expect((await t.storage.usageEvents.list(ws)).map((e) => e.messageId).sort()).toEqual(
      Array.from({ length: 100 }, (_, i) => `m-${i}`).sort(),
    );
  });
});
