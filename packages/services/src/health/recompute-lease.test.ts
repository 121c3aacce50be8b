import { isTenureError } from "@tenure/core";
import { openStorage, openTestStorage, type Storage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../demo/seed-demo";
import { RECOMPUTE_LEASE_MS, recomputeHealth, recomputeLeaseName } from "./recompute-health";

const WS = "demo";
const AS_OF = "2026-11-15";
const ACCOUNTS = 30;

describe.each(testDialects())("full health recompute lease, two storages on one %s database", (dialect) => {
  let t: TestStorage;
  let second: Storage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    await seedDemo(t.storage, { workspaceId: WS, accounts: ACCOUNTS, asOf: AS_OF, seed: 3 });
    second = await openStorage(t.config, { migrate: false });
  }, 240_000);
  afterAll(async () => {
    await second?.close();
    await t?.cleanup();
  });

  it("should run only one of two full recomputes started at once and tell the other who runs it", async () => {
    const [a, b] = await Promise.all([
      recomputeHealth(t.storage, WS, { asOf: "2026-11-16" }),
      recomputeHealth(second, WS, { asOf: "2026-11-16" }),
    ]);
    const ran = [a, b].filter((r) => r.busy === undefined);
    const skipped = [a, b].filter((r) => r.busy !== undefined);
    expect(ran).toHaveLength(1);
    expect(ran[0]?.accounts).toBe(ACCOUNTS);
    expect(skipped).toHaveLength(1);
    expect(skipped[0]?.accounts).toBe(0);
    expect(skipped[0]?.busy?.holder).toMatch(new RegExp(`:${process.pid}:`));
    // Released when done: nobody holds it and the next full recompute runs.
    expect(await t.storage.leases.current(recomputeLeaseName(WS))).toBeNull();
    expect((await recomputeHealth(second, WS, { asOf: "2026-11-16" })).accounts).toBe(ACCOUNTS);
  });

  it("should skip, or with whenBusy fail naming the holder, while another process holds the lease", async () => {
    const name = recomputeLeaseName(WS);
    expect(await second.leases.acquire(name, "other-server:42", RECOMPUTE_LEASE_MS)).toBe(true);
    try {
      const skipped = await recomputeHealth(t.storage, WS, { asOf: "2026-11-17" });
      expect(skipped.busy?.holder).toBe("other-server:42");
      expect(skipped.accounts).toBe(0);
      expect(await t.storage.healthScores.onDate(WS, "2026-11-17")).toEqual([]);
      const failed = await recomputeHealth(t.storage, WS, { asOf: "2026-11-17", whenBusy: "fail" }).catch(
        (e: unknown) => e,
      );
      expect(isTenureError(failed, "conflict")).toBe(true);
      expect((failed as Error).message).toMatch(/already running \(other-server:42, lease until 20/);
      // A partial recompute (accounts whose data changed) still runs: small, idempotent, not skippable.
      const one = (await t.storage.accounts.ids(WS)).slice(0, 2);
      const partial = await recomputeHealth(t.storage, WS, { asOf: "2026-11-17", accountIds: one });
      expect(partial.busy).toBeUndefined();
      expect(partial.accounts).toBe(2);
    } finally {
      await second.leases.release(name, "other-server:42");
    }
  });

  it("should take over the lease of a holder that died without releasing it once it expired", async () => {
    const name = recomputeLeaseName(WS);
    const longAgo = new Date(Date.now() - 2 * RECOMPUTE_LEASE_MS);
    expect(await second.leases.acquire(name, "crashed:1", RECOMPUTE_LEASE_MS, longAgo)).toBe(true);
    const r = await recomputeHealth(t.storage, WS, { asOf: "2026-11-18" });
    expect(r.busy).toBeUndefined();
    expect(r.accounts).toBe(ACCOUNTS);
  });
});
