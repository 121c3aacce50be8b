import { RollupSources, usageReport } from "@tenure/services";
import { openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";

// Issue 14 §7 through the tracking API, on both stores: impossible or implausible dates and
// overflowing numbers are a 400 naming the call and field, never stored (and never a 500).
describe.each(testDialects())("tracking API input rules on %s", (dialect) => {
  let t: TestStorage;
  let app: ReturnType<typeof createApp>;
  let writeKey: string;
  const rollupSources = new RollupSources();
  const WS = "default";

  beforeAll(async () => {
    t = await openTestStorage(dialect);
    writeKey = (await t.storage.apiKeys.create(WS, { name: "w", kind: "write" })).key;
    app = createApp({
      storage: t.storage,
      config: { reportingCurrency: "USD", grossMargin: 1 },
      rollupSources,
    });
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  const batch = async (text: string) => {
    const res = await app.request("/v1/batch", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}`,
      },
      body: text,
    });
    return { status: res.status, body: (await res.json()) as { error?: { message: string } } };
  };
  const call = (extra: string) => `{"batch":[{"type":"track","userId":"u1","event":"E",${extra}}]}`;

  it("should refuse 2024-02-30, year 9999 and +099999 naming the timestamp", async () => {
    for (const [ts, why] of [
      ["2024-02-30T10:00:00Z", "is not a real calendar date"],
      ["9999-01-01T00:00:00.000Z", "must be a date from 1970 to 2100"],
      ["+099999-01-01T00:00:00Z", "must be an ISO-8601 date"],
    ]) {
      const r = await batch(call(`"timestamp":"${ts}"`));
      expect(r.status).toBe(400);
      expect(r.body.error?.message).toContain(`batch[0].timestamp: timestamp ${why}`);
    }
    expect(await t.storage.usageEvents.count(WS)).toBe(0);
  });

  it("should refuse a property of 1e309 naming it, and store a valid call on its own day", async () => {
    const r = await batch(call('"timestamp":"2026-03-01T10:00:00Z","properties":{"price":1e309}'));
    expect(r.status).toBe(400);
    expect(r.body.error?.message).toContain(
      "batch[0].properties.price: properties.price must be a finite number",
    );
    expect(await t.storage.usageEvents.count(WS)).toBe(0);

    const ok = await batch(
      `{"batch":[{"type":"group","userId":"u1","groupId":"acc-1"},{"type":"track","userId":"u1","event":"E","timestamp":"2024-02-29T10:00:00Z","properties":{"price":1e308}}]}`,
    );
    expect(ok.status).toBe(200);
    const report = await usageReport(
      t.storage,
      WS,
      { accountId: "acc-1", from: "2024-02-29", to: "2024-03-01" },
      rollupSources,
    );
    expect(report.days).toEqual([
      { date: "2024-02-29", events: { E: 1 }, activeUsers: 1 },
      { date: "2024-03-01", events: {}, activeUsers: 0 },
    ]);
  });
});
