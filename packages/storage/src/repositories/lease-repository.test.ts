import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStorage, type Storage } from "../storage";
import { openTestStorage, type TestStorage, testDialects } from "../testing";

const T0 = new Date("2026-12-07T06:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const MINUTE = 60_000;

describe.each(testDialects())("lease repository on %s (two storages on one database)", (dialect) => {
  let t: TestStorage;
  let other: Storage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    other = await openStorage(t.config);
  });
  afterAll(async () => {
    await other.close();
    await t.cleanup();
  });

  it("should let exactly one of two processes acquire a free lease when both try at once", async () => {
    const results = await Promise.all([
      t.storage.leases.acquire("race", "a", 5 * MINUTE, T0),
      other.leases.acquire("race", "b", 5 * MINUTE, T0),
      t.storage.leases.acquire("race", "c", 5 * MINUTE, T0),
      other.leases.acquire("race", "d", 5 * MINUTE, T0),
    ]);
    expect(results.filter(Boolean)).toHaveLength(1);
    const winner = ["a", "b", "c", "d"][results.indexOf(true)];
    expect(await other.leases.current("race", at(1))).toEqual({
      holder: winner,
      expiresAt: at(5 * MINUTE).toISOString(),
    });
  });

  it("should refuse a held lease to another holder and let the holder extend it", async () => {
    expect(await t.storage.leases.acquire("held", "a", 5 * MINUTE, T0)).toBe(true);
    expect(await other.leases.acquire("held", "b", 5 * MINUTE, at(MINUTE))).toBe(false);
    expect(await other.leases.renew("held", "b", 5 * MINUTE, at(MINUTE))).toBe(false);
    expect(await t.storage.leases.renew("held", "a", 5 * MINUTE, at(4 * MINUTE))).toBe(true);
    // Renewed at 4 min for 5 more: still held at 6 min, past the first expiry.
    expect(await other.leases.acquire("held", "b", 5 * MINUTE, at(6 * MINUTE))).toBe(false);
    expect((await other.leases.current("held", at(6 * MINUTE)))?.holder).toBe("a");
    // Re-acquiring as the same holder extends it too.
    expect(await t.storage.leases.acquire("held", "a", 5 * MINUTE, at(7 * MINUTE))).toBe(true);
    expect((await t.storage.leases.current("held", at(11 * MINUTE)))?.holder).toBe("a");
  });

  it("should give an expired lease to the next process and stop the old holder renewing it", async () => {
    expect(await t.storage.leases.acquire("expiring", "a", MINUTE, T0)).toBe(true);
    expect(await other.leases.current("expiring", at(MINUTE))).toBeNull();
    expect(await other.leases.acquire("expiring", "b", MINUTE, at(MINUTE))).toBe(true);
    expect(await t.storage.leases.renew("expiring", "a", MINUTE, at(MINUTE + 1))).toBe(false);
    expect(await t.storage.leases.release("expiring", "a")).toBe(false);
    expect((await t.storage.leases.current("expiring", at(MINUTE + 1)))?.holder).toBe("b");
  });

  it("should free a released lease for another process at once", async () => {
    expect(await t.storage.leases.acquire("released", "a", 5 * MINUTE, T0)).toBe(true);
    expect(await t.storage.leases.release("released", "a")).toBe(true);
    expect(await other.leases.current("released", T0)).toBeNull();
    expect(await other.leases.acquire("released", "b", 5 * MINUTE, at(1))).toBe(true);
  });

  it("should keep leases of different names independent", async () => {
    expect(await t.storage.leases.acquire("ws-1", "a", MINUTE, T0)).toBe(true);
    expect(await other.leases.acquire("ws-2", "b", MINUTE, T0)).toBe(true);
  });

  it("should refuse a lease length that is not positive", async () => {
    await expect(t.storage.leases.acquire("bad", "a", 0, T0)).rejects.toThrow(/ttlMs must be > 0/);
  });
});
