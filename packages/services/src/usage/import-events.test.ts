import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { catchUpRollups } from "./deferred-rollups";
import { importEvents, importEventsFile } from "./import-events";
import { IngestQueue } from "./ingest-queue";
import { jsonLineChunks } from "./json-lines";
import { parseTrackingMessage, type TrackingMessage } from "./tracking-message";

const track = (i: number, user = `u${i % 7}`) =>
  JSON.stringify({
    type: "track",
    messageId: `m-${i}`,
    userId: user,
    event: `e${i % 3}`,
    timestamp: `2026-11-${String(1 + (i % 4)).padStart(2, "0")}T10:00:00.000Z`,
    properties: { i },
  });

async function* pieces(bytes: Uint8Array, size: number): AsyncGenerator<Uint8Array> {
  for (let i = 0; i < bytes.length; i += size) yield bytes.subarray(i, i + size);
}

describe("jsonLineChunks", () => {
  it("should rebuild every line when lines and multi-byte characters are split across chunks", async () => {
    const text = 'a\n{"x":"é€😀"}\n\nlast';
    const lines: string[] = [];
    for await (const c of jsonLineChunks(pieces(new TextEncoder().encode(text), 3))) lines.push(...c.lines);
    expect(lines).toEqual(["a", '{"x":"é€😀"}', "", "last"]);
  });

  it("should report invalid UTF-8 when the bytes are not UTF-8", async () => {
    const chunks = [];
    for await (const c of jsonLineChunks(pieces(new Uint8Array([0x61, 0x0a, 0xff, 0xfe]), 2))) chunks.push(c);
    expect(chunks.at(-1)?.invalidUtf8).toBe(true);
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

  it("should store every call once when concurrent submissions repeat messageIds", async () => {
    const ws = "ws-queue";
    const queue = new IngestQueue(t.storage);
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
    await catchUpRollups(t.storage);
    queue.close();
    const rollups = await t.storage.usageRollups.list(ws);
    expect(rollups.reduce((s, r) => s + r.count, 0)).toBe(100);
    expect((await t.storage.usageEvents.list(ws)).map((e) => e.messageId).sort()).toEqual(
      Array.from({ length: 100 }, (_, i) => `m-${i}`).sort(),
    );
  });
});
