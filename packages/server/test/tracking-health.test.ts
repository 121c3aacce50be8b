import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { openStorage, type Storage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";

const WS = "default";
const TODAY = "2026-05-02";

// Tracking data reaches the health scheduler: a group call marks its account, and only that account
// is recomputed (the in-process scheduler here; `tenure serve` runs the same on its health thread).
describe("tracking data and the health scheduler", () => {
  let dir: string;
  let storage: Storage;
  let app: ReturnType<typeof createApp>;
  let writeKey: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), "tenure-tracking-health-"));
    storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
    writeKey = (await storage.apiKeys.create(WS, { name: "w", kind: "write" })).key;
    await storage.accounts.ensureMinimal(WS, ["untouched"]);
    app = createApp({
      storage,
      config: { reportingCurrency: "USD", grossMargin: 1 },
      today: () => TODAY,
      // Data-triggered recomputes only.
      healthIntervalMinutes: 0,
    });
  });

  afterAll(async () => {
    await storage.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it("recomputes the account a tracking batch changed, and no other", async () => {
    const res = await app.request("/v1/batch", {
      method: "POST",
      headers: {
        "content-type": "application/json",
        authorization: `Basic ${Buffer.from(`${writeKey}:`).toString("base64")}`,
      },
      body: JSON.stringify({
        batch: [
          { type: "group", messageId: "g1", userId: "u1", groupId: "acme", timestamp: `${TODAY}T08:00:00Z` },
          {
            type: "track",
            messageId: "t1",
            userId: "u1",
            event: "Report Run",
            timestamp: `${TODAY}T09:00:00Z`,
          },
        ],
      }),
    });
    expect(res.status).toBe(200);
    // The scheduler picks dirty accounts up every 5 s.
    await expect
      .poll(async () => (await storage.healthScores.onDate(WS, TODAY)).map((s) => s.accountId), {
        timeout: 20_000,
        interval: 250,
      })
      .toEqual(["acme"]);
  }, 30_000);
});
