import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { RollupSources } from "@tenure/services";
import { openStorage, type Storage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { type TrackingWriter, WorkerTrackingWriter } from "../src/tracking/tracking-writer";

const WS = "default";

// The same contract whether the tracking writer runs in the server's thread or on its own thread
// (what `tenure serve` does): errors, limits and counts must not change across the thread boundary.
describe.each(["in the server thread", "on a writer thread"])("tracking API, writer %s", (where) => {
  let dir: string;
  let storage: Storage;
  let app: ReturnType<typeof createApp>;
  let writer: TrackingWriter | undefined;
  let writeKey: string;
  let adminKey: string;
  let readKey: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "tenure-tracking-"));
    storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
    writeKey = (await storage.apiKeys.create(WS, { name: "w", kind: "write" })).key;
    adminKey = (await storage.apiKeys.create(WS, { name: "a", kind: "admin" })).key;
    readKey = (await storage.apiKeys.create(WS, { name: "r", kind: "read" })).key;
    const rollupSources = new RollupSources();
    writer =
      where === "on a writer thread" ? await WorkerTrackingWriter.start(storage, rollupSources) : undefined;
    app = createApp({
      storage,
      rollupSources,
      config: { reportingCurrency: "USD", grossMargin: 1 },
      trackingWriter: writer,
    });
  });

  afterAll(async () => {
    await writer?.close();
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const basic = (key: string) => `Basic ${Buffer.from(`${key}:`).toString("base64")}`;

  async function send(endpoint: string, body: unknown, opts: { key?: string | null; gzip?: boolean } = {}) {
    const headers: Record<string, string> = { "content-type": "application/json" };
    const key = opts.key === undefined ? writeKey : opts.key;
    if (key !== null) headers.authorization = basic(key);
    let payload: string | Uint8Array<ArrayBuffer> = typeof body === "string" ? body : JSON.stringify(body);
    if (opts.gzip) {
      payload = new Uint8Array(gzipSync(payload));
      headers["content-encoding"] = "gzip";
    }
    const res = await app.request(`/v1/${endpoint}`, { method: "POST", headers, body: payload });
    return {
      status: res.status,
      body: (await res.json()) as { success?: boolean; error?: { message: string } },
    };
  }

  async function usage(account: string, from: string, to: string) {
    const res = await app.request(`/api/accounts/${account}/usage?from=${from}&to=${to}`, {
      headers: { authorization: `Bearer ${readKey}` },
    });
    return {
      status: res.status,
      body: (await res.json()) as {
        days: { date: string; events: Record<string, number>; activeUsers: number }[];
      },
    };
  }

  const day = (d: string) => `${d}T12:00:00.000Z`;

  it("should accept every single-call endpoint and count only track, page and screen when sent", async () => {
    const ok = { status: 200, body: { success: true } };
    expect(
      await send("group", { userId: "s1", groupId: "acc-single", traits: { name: "Single Co" } }),
    ).toEqual(ok);
    expect(
      await send("identify", {
        userId: "s1",
        traits: { email: "s1@x.io", department: "Ops", role: "admin", name: "Sam" },
      }),
    ).toEqual(ok);
    expect(await send("track", { userId: "s1", event: "Report Run", timestamp: day("2026-03-01") })).toEqual(
      ok,
    );
    expect(await send("page", { userId: "s1", name: "Home", timestamp: day("2026-03-01") })).toEqual(ok);
    expect(await send("screen", { userId: "s1", name: "Main", timestamp: day("2026-03-02") })).toEqual(ok);
    const r = await usage("acc-single", "2026-03-01", "2026-03-03");
    expect(r.status).toBe(200);
    expect(r.body).toEqual({
      days: [
        { date: "2026-03-01", events: { "Report Run": 1, page: 1 }, activeUsers: 1 },
        { date: "2026-03-02", events: { screen: 1 }, activeUsers: 1 },
        { date: "2026-03-03", events: {}, activeUsers: 0 },
      ],
    });
    expect((await storage.accounts.get(WS, "acc-single"))?.name).toBe("Single Co");
    const [user] = await storage.usageUsers.listByAccount(WS, "acc-single");
    expect(user).toMatchObject({
      userKey: "s1",
      email: "s1@x.io",
      department: "Ops",
      role: "admin",
      name: "Sam",
    });
  });

  it("should count a messageId once when a batch is sent twice (via /v1/batch and /v1/b)", async () => {
    const batch = [
      { type: "group", userId: "d1", groupId: "acc-dedup", messageId: "g-d1" },
      { type: "track", userId: "d1", event: "Export", messageId: "t-1", timestamp: day("2026-03-05") },
      { type: "track", userId: "d1", event: "Export", messageId: "t-2", timestamp: day("2026-03-05") },
      { type: "track", userId: "d1", event: "Export", messageId: "t-2", timestamp: day("2026-03-05") },
    ];
    expect((await send("batch", { batch })).status).toBe(200);
    expect((await send("b", { batch })).status).toBe(200);
    const r = await usage("acc-dedup", "2026-03-05", "2026-03-05");
    expect(r.body.days).toEqual([{ date: "2026-03-05", events: { Export: 2 }, activeUsers: 1 }]);
  });

  it("should attribute earlier usage to the account when the group call arrives later", async () => {
    await send("track", { userId: "late", event: "Login", timestamp: day("2026-03-07") });
    await send("track", { anonymousId: "anon-late", event: "Login", timestamp: day("2026-03-07") });
    await storage.accounts.ensureMinimal(WS, ["acc-late"]);
    expect((await usage("acc-late", "2026-03-07", "2026-03-07")).body.days[0]?.activeUsers).toBe(0);
    await send("group", { userId: "late", groupId: "acc-late" });
    await send("group", { anonymousId: "anon-late", groupId: "acc-late" });
    expect((await usage("acc-late", "2026-03-07", "2026-03-07")).body.days).toEqual([
      { date: "2026-03-07", events: { Login: 2 }, activeUsers: 2 },
    ]);
  });

  it("should accept gzip bodies and the write key in the body when no header is sent", async () => {
    await send("group", { userId: "gz", groupId: "acc-gzip" });
    const batch = [{ type: "track", userId: "gz", event: "Zip", timestamp: day("2026-03-09") }];
    expect((await send("batch", { batch, writeKey }, { key: null, gzip: true })).status).toBe(200);
    expect((await usage("acc-gzip", "2026-03-09", "2026-03-09")).body.days[0]?.events).toEqual({ Zip: 1 });
  });

  it("should reject the whole batch and name the item and field when one call is invalid", async () => {
    const batch = [
      { type: "track", userId: "v1", event: "Ok", messageId: "v-ok" },
      { type: "track", userId: "v1", event: "Ok2" },
      { type: "track", userId: "v1", event: "Ok3" },
      { type: "track", event: "NoUser" },
    ];
    const r = await send("batch", { batch });
    expect(r.status).toBe(400);
    expect(r.body.error?.message).toBe("batch[3].userId: userId or anonymousId is required");
    expect((await storage.usageEvents.list(WS)).some((e) => e.messageId === "v-ok")).toBe(false);

    const wrongType = await send("batch", { batch: [{ type: "track", userId: 5, event: 7 }] });
    expect(wrongType.status).toBe(400);
    expect(wrongType.body.error?.message).toBe("batch[0].event: event must be a string, got number");
    const badType = await send("batch", { batch: [{ type: "click", userId: "x" }] });
    expect(badType.body.error?.message).toMatch(/^batch\[0\]\.type: type must be one of/);
    const single = await send("track", { userId: "x" });
    expect(single.status).toBe(400);
    expect(single.body.error?.message).toBe("event: event is required for track calls");
    const group = await send("group", { userId: "x" });
    expect(group.body.error?.message).toBe("groupId: groupId is required for group calls");
    const json = await send("track", "{not json");
    expect(json.status).toBe(400);
    expect(json.body.error?.message).toMatch(/^body: invalid JSON/);
    const notBatch = await send("batch", { batch: {} });
    expect(notBatch.body.error?.message).toBe("batch: batch must be an array of calls");
  });

  it("should reject oversized requests and calls when they exceed Segment's limits", async () => {
    const big = "x".repeat(33 * 1024);
    const oneBig = await send("batch", {
      batch: [
        { type: "track", userId: "o", event: "E" },
        { type: "track", userId: "o", event: "E", properties: { big } },
      ],
    });
    expect(oneBig.status).toBe(400);
    expect(oneBig.body.error?.message).toBe("batch[1]: call is larger than 32 KB");
    const calls = Array.from({ length: 20 }, () => ({
      type: "track",
      userId: "o",
      event: "E",
      properties: { p: "y".repeat(30 * 1024) },
    }));
    const tooBig = await send("batch", { batch: calls });
    expect(tooBig.status).toBe(413);
    const zipped = await send("batch", { batch: calls }, { gzip: true });
    expect(zipped.status).toBe(413);
  });

  it("should answer 401 for unknown or missing write keys and 403 for other key kinds", async () => {
    const track = { userId: "k", event: "E" };
    expect((await send("track", track, { key: "tk_unknown" })).status).toBe(401);
    expect((await send("track", track, { key: null })).status).toBe(401);
    expect((await send("track", { ...track, writeKey: "tk_nope" }, { key: null })).status).toBe(401);
    expect((await send("track", track, { key: adminKey })).status).toBe(403);
    expect(
      (
        await app.request("/v1/nope", {
          method: "POST",
          headers: { authorization: basic(writeKey) },
          body: "{}",
        })
      ).status,
    ).toBe(404);
  });

  it("should validate the usage route query and require an API key", async () => {
    expect((await app.request("/api/accounts/acc-single/usage?from=2026-03-01&to=2026-03-02")).status).toBe(
      401,
    );
    expect((await usage("acc-single", "2026-03-05", "2026-03-01")).status).toBe(400);
    expect((await usage("acc-single", "2026-02-30", "2026-03-01")).status).toBe(400);
    expect((await usage("no-such-account", "2026-03-01", "2026-03-01")).status).toBe(404);
    const doc = (await (await app.request("/api/openapi.json")).json()) as { paths: Record<string, unknown> };
    expect(Object.keys(doc.paths)).toContain("/accounts/{id}/usage");
  });
});
