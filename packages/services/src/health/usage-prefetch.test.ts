import { openTestStorage, type TestStorage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../demo/seed-demo";
import { addDays } from "./days";
import { inferKeyEvents, usageWindow } from "./health-inputs";
import { accountRanges } from "./recompute-health";
import { UsagePrefetch } from "./usage-prefetch";

const WS = "demo";
const AS_OF = "2026-11-15";

describe("usage read ahead of each recompute step", () => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage("sqlite");
    await seedDemo(t.storage, { workspaceId: WS, accounts: 60, asOf: AS_OF, seed: 11 });
  }, 240_000);
  afterAll(async () => {
    await t?.cleanup();
  });

  it("reads on the reader thread exactly what each step reads on its own", async () => {
    const s = t.storage;
    const window = usageWindow(AS_OF, await inferKeyEvents(s, WS, AS_OF));
    const ranges = accountRanges(await s.accounts.ids(WS), 6);
    expect(UsagePrefetch.threadFits(t.config, ranges.length)).toBe(true);
    const prefetch = new UsagePrefetch(s, WS, window, ranges, true);
    expect(await prefetch.threadStarted()).toBe(true);
    let users = 0;
    for (let k = 0; k < ranges.length; k++) {
      const got = await prefetch.get(k);
      const own = await s.healthUsage.userUsage(WS, window, ranges[k]);
      expect(got).toEqual(own);
      users += own.userKey.length;
    }
    expect(users).toBeGreaterThan(50);
    // Every step after the first was asked of the thread ahead of time.
    expect(prefetch.threadReads).toBe(ranges.length - 1);
  });

  it("reads every step here when asked for no thread, or when the store cannot be opened twice", async () => {
    const s = t.storage;
    const window = usageWindow(addDays(AS_OF, -3), []);
    const ranges = accountRanges(await s.accounts.ids(WS), 20);
    const inline = new UsagePrefetch(s, WS, window, ranges, false);
    for (let k = 0; k < ranges.length; k++)
      expect(await inline.get(k)).toEqual(await s.healthUsage.userUsage(WS, window, ranges[k]));
    expect(inline.threadReads).toBe(0);
    expect(await inline.threadStarted()).toBe(false);
    expect(UsagePrefetch.threadFits({ sqliteFile: ":memory:" }, 10)).toBe(false);
    expect(UsagePrefetch.threadFits({ databaseUrl: "postgres://x" }, 10)).toBe(false);
    expect(UsagePrefetch.threadFits(t.config, 2)).toBe(false);
  });
});
