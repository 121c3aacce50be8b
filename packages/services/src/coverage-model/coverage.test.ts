import type { Subscription } from "@tenure/core";
import { minimalAccount, openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getCoverage, qbrSchedule, saveCoverage, setQbr } from "./coverage-service";

const WS = "ws";
const sub = (
  id: string,
  accountId: string,
  startDate: string,
  amount: number,
  endDate: string | null = null,
): Subscription => ({
  id,
  accountId,
  plan: "p",
  startDate,
  endDate,
  amount,
  currency: "USD",
  interval: "month",
  quantity: 1,
  discountPct: 0,
  trial: false,
});

describe.each(testDialects())("coverage and QBRs on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    await t.storage.workspaces.ensure(WS, "WS");
    await t.storage.accounts.upsertMany(WS, [
      { ...minimalAccount("big"), tier: "enterprise", owner: "Ana" },
      { ...minimalAccount("mid"), tier: "mid-market" },
      { ...minimalAccount("small"), tier: "smb" },
      { ...minimalAccount("gone"), tier: "enterprise" },
    ]);
    await t.storage.subscriptions.upsertMany(WS, [
      sub("s1", "big", "2025-01-10", 10_000),
      sub("s1b", "big", "2026-11-01", 2_000),
      sub("s2", "mid", "2026-05-01", 3_000),
      sub("s3", "small", "2026-01-01", 100),
      sub("s4", "gone", "2024-01-01", 5_000, "2025-06-01"),
    ]);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("should start from the default model and refuse unknown teams and playbooks, saving nothing", async () => {
    const model = await getCoverage(t.storage, WS);
    expect(model.tiers.map((x) => [x.tier, x.motion, x.qbrCadenceMonths])).toEqual([
      ["enterprise", "high_touch", 3],
      ["mid-market", "mid_touch", 6],
      ["smb", "tech_touch", null],
    ]);
    const bad = structuredClone(model);
    (bad.tiers[0] as { teamId: string | null }).teamId = "no-such-team";
    bad.tiers[2]?.automaticPlaybooks.push("nope");
    await expect(saveCoverage(t.storage, WS, bad)).rejects.toThrow(
      /tiers\[0\]\.teamId: no team "no-such-team"; tiers\[2\]\.automaticPlaybooks\[2\]: no playbook "nope"/,
    );
    expect(await t.storage.workspaceSettings.get(WS, "coverage")).toBeNull();
  });

  it("should schedule QBRs for paying accounts of QBR tiers and compare targets with the revenue engine's MRR", async () => {
    await setQbr(t.storage, WS, "big", "2026-Q3", { heldOn: "2026-08-15" });
    await setQbr(t.storage, WS, "big", "2026-Q4", { targetMrr: 11_000, by: "m1" });
    await expect(setQbr(t.storage, WS, "big", "2026-Q9", { targetMrr: 1 })).rejects.toThrow(/^quarter: /);
    await expect(setQbr(t.storage, WS, "big", "2026-Q4", { targetMrr: -1 })).rejects.toThrow(/^targetMrr: /);
    const s = await qbrSchedule(t.storage, WS, { asOf: "2026-12-07", reportingCurrency: "USD" });
    expect(s.quarter).toBe("2026-Q4");
    expect(s.toDate).toBe(true);
    expect(s.rows.map((r) => r.accountId)).toEqual(["big", "mid"]);
    const big = s.rows[0];
    expect(big).toMatchObject({
      lastHeldOn: "2026-08-15",
      nextDueOn: "2026-11-15",
      overdue: true,
      startMrr: 10_000,
      targetMrr: 11_000,
      actualMrr: 12_000,
      attainment: 1.091,
      heldOn: null,
    });
    // Never held: due a cadence (6 months) after signing.
    expect(s.rows[1]).toMatchObject({
      nextDueOn: "2026-11-01",
      overdue: true,
      targetMrr: null,
      attainment: null,
    });
    expect(s.totals).toEqual({
      accounts: 2,
      held: 0,
      overdue: 2,
      targetMrr: 11_000,
      actualMrrOfTargeted: 12_000,
    });
    const q3 = await qbrSchedule(t.storage, WS, {
      quarter: "2026-Q3",
      asOf: "2026-12-07",
      reportingCurrency: "USD",
    });
    expect(q3.toDate).toBe(false);
    expect(q3.rows.find((r) => r.accountId === "big")).toMatchObject({
      heldOn: "2026-08-15",
      actualMrr: 10_000,
    });
  });
});
