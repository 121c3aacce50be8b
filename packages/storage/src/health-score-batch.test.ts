import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { HealthScoreRecord } from "./repositories/health-score-repository";
import { openTestStorage, type TestStorage, testDialects } from "./testing";

const WS = "ws-batch";
const OTHER = "ws-other";
const DATES = ["2026-01-05", "2026-01-12", "2026-02-02", "2026-03-16"];
const day = (n: number) => new Date(Date.UTC(2026, 0, 1 + n)).toISOString().slice(0, 10);

/** Accounts a0..a59 with scores on two or three of DATES each (a60 has none); `shift` varies the values. */
function scores(shift: number): HealthScoreRecord[] {
  const out: HealthScoreRecord[] = [];
  for (let i = 0; i < 60; i++) {
    for (const [k, date] of DATES.entries()) {
      if ((i + k) % 3 === 0) continue;
      out.push({
        accountId: `a${i}`,
        date,
        score: i % 7 === 0 ? null : 20 + ((i * 13 + k * 7 + shift) % 70) + 0.25,
        band: ["at_risk", "watch", "healthy"][(i + k + shift) % 3] ?? "watch",
        profileId: "default",
        breakdown: { note: `b${i}-${k}` },
        lastActivityAt: i % 5 === 0 ? null : `${date}T08:00:00.000Z`,
      });
    }
  }
  return out;
}

describe.each(testDialects())("health score batch read on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    await t.storage.healthScores.upsertMany(WS, scores(0));
    // Another workspace with other values for the same accounts and days: never read through.
    await t.storage.healthScores.upsertMany(OTHER, scores(1));
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it("should answer each (account, day) pair exactly as the single latest read does", async () => {
    // Every account (and one without scores) on days before, on, between and after its score dates,
    // in a scrambled order with repeats: more pairs than one statement takes, so chunks are crossed.
    const pairs: { accountId: string; day: string }[] = [];
    for (let i = 0; i <= 60; i++)
      for (let d = 0; d < 90; d += 2) pairs.push({ accountId: `a${i}`, day: day(d) });
    pairs.push({ accountId: "nobody", day: "2026-03-01" }, ...pairs.slice(0, 40));
    pairs.sort((x, y) => (x.day + x.accountId < y.day + y.accountId ? 1 : -1));
    expect(pairs.length).toBeGreaterThan(2_500);

    const batch = await t.storage.healthScores.latestOnOrBefore(WS, pairs);
    expect(batch).toHaveLength(pairs.length);
    let found = 0;
    for (const [i, p] of pairs.entries()) {
      const one = await t.storage.healthScores.latest(WS, p.accountId, p.day);
      const expected =
        one === null
          ? null
          : {
              accountId: one.accountId,
              date: one.date,
              score: one.score,
              band: one.band,
              lastActivityAt: one.lastActivityAt,
            };
      expect(batch[i], `${p.accountId} on ${p.day}`).toEqual(expected);
      if (expected !== null) found++;
    }
    // The data has both answers in quantity: scores found, and days before any score.
    expect(found).toBeGreaterThan(1_000);
    expect(pairs.length - found).toBeGreaterThan(100);
  });

  it("should return nothing for no pairs and null for an account of another workspace", async () => {
    expect(await t.storage.healthScores.latestOnOrBefore(WS, [])).toEqual([]);
    expect(
      await t.storage.healthScores.latestOnOrBefore("ws-empty", [{ accountId: "a1", day: "2026-12-31" }]),
    ).toEqual([null]);
  });
});
