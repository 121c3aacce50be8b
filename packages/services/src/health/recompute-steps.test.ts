import { openTestStorage, type Storage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDemo } from "../demo/seed-demo";
import { computeAccountFacts } from "./account-metrics";
import { addDays } from "./days";
import { loadHealthInputs } from "./health-inputs";
import { accountRanges, recomputeHealth } from "./recompute-health";

const WS = "demo";
const AS_OF = "2026-11-15";
const NEXT = addDays(AS_OF, 1);
const ACCOUNTS = 90;

/** Everything a recompute stored for the day, with random ids left out so two stores compare. */
async function storedState(s: Storage) {
  const scores = (await s.healthScores.onDate(WS, NEXT)).sort((a, b) =>
    a.accountId.localeCompare(b.accountId),
  );
  const signals = (await s.signals.list(WS))
    .map(({ id: _, ...rest }) => rest)
    .sort((a, b) => `${a.accountId}|${a.dedupKey}`.localeCompare(`${b.accountId}|${b.dedupKey}`));
  const accounts = await s.accounts.list(WS);
  const entries: unknown[] = [];
  const stages: unknown[] = [];
  for (const a of accounts) {
    for (const e of await s.timeline.list(WS, a.id, { types: ["signal", "score_change", "stage_change"] }))
      entries.push({ accountId: e.accountId, type: e.type, at: e.occurredAt, title: e.title, body: e.body });
    // Imported stages carry the wall-clock time of the seed; rule moves carry the recompute's day.
    for (const h of await s.stageHistory.list(WS, a.id))
      stages.push(h.source === "import" ? { ...h, enteredAt: null } : h);
  }
  entries.sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  return { scores, signals, entries, stages, lifecycle: accounts.map((a) => [a.id, a.lifecycleStage]) };
}

describe.each(testDialects())("health recompute in steps (%s)", (dialect) => {
  let whole: TestStorage;
  let single: TestStorage;
  beforeAll(async () => {
    [whole, single] = await Promise.all([openTestStorage(dialect), openTestStorage(dialect)]);
    for (const t of [whole, single])
      await seedDemo(t.storage, { workspaceId: WS, accounts: ACCOUNTS, asOf: AS_OF, seed: 7 });
  }, 240_000);
  afterAll(async () => {
    await whole?.cleanup();
    await single?.cleanup();
  });

  it("splits the ids into consecutive ranges that cover every account once", async () => {
    const ids = await whole.storage.accounts.ids(WS);
    expect(ids).toHaveLength(ACCOUNTS);
    const ranges = accountRanges(ids, 7);
    expect(ranges).toHaveLength(Math.ceil(ACCOUNTS / 7));
    const seen: string[] = [];
    for (const r of ranges) seen.push(...(await whole.storage.accounts.list(WS, r)).map((a) => a.id));
    expect(seen).toEqual(ids);
  });

  it("reads the same inputs for one account alone as for the whole workspace", async () => {
    const s = whole.storage;
    const opts = { asOf: NEXT, reportingCurrency: "USD" };
    const all = await loadHealthInputs(s, WS, opts);
    const withUsage = all.accounts.filter((a) => all.usage.has(a.id)).slice(0, 12);
    expect(withUsage.length).toBeGreaterThan(5);
    for (const account of withUsage) {
      const one = await loadHealthInputs(s, WS, {
        ...opts,
        keyEvents: all.keyEvents,
        hasTickets: all.hasTickets,
        range: { from: account.id, to: account.id },
      });
      expect(one.accounts.map((a) => a.id)).toEqual([account.id]);
      expect(computeAccountFacts(one, account)).toEqual(computeAccountFacts(all, account));
    }
  });

  it("stores exactly the same scores, contributions, signals and stages one account at a time", async () => {
    const bulk = await recomputeHealth(whole.storage, WS, {
      asOf: NEXT,
      chunkAccounts: 10_000,
      usageThread: false,
    });
    // On SQLite the steps' usage is read ahead on the reader thread (PostgreSQL has none); resting
    // between steps (the server's background thread does) changes when, not what.
    const perAccount = await recomputeHealth(single.storage, WS, {
      asOf: NEXT,
      chunkAccounts: 1,
      usageThread: dialect === "sqlite",
      restRatio: 1,
    });
    expect({ ...perAccount, ms: 0 }).toEqual({ ...bulk, ms: 0 });
    expect(bulk.accounts).toBe(ACCOUNTS);
    expect(bulk.scored).toBeGreaterThan(0);
    const [a, b] = await Promise.all([storedState(whole.storage), storedState(single.storage)]);
    expect(a.scores).toHaveLength(ACCOUNTS);
    // Packed breakdowns: a measure with a value means the comparison below covers contributions.
    expect(a.scores.some((x) => (x.breakdown as { measures: unknown[] }).measures[0] !== null)).toBe(true);
    expect(b).toEqual(a);
  });

  it("recomputes only the given accounts, storing what a full recompute stores for them", async () => {
    const day = addDays(NEXT, 1);
    const ids = await whole.storage.accounts.ids(WS);
    const changed = [ids[3], ids[40], ids[41], ids[88]] as string[];
    await recomputeHealth(whole.storage, WS, { asOf: day });
    const partial = await recomputeHealth(single.storage, WS, {
      asOf: day,
      accountIds: changed,
      chunkAccounts: 2,
    });
    expect(partial.accounts).toBe(changed.length);
    const full = (await whole.storage.healthScores.onDate(WS, day)).filter((x) =>
      changed.includes(x.accountId),
    );
    const some = await single.storage.healthScores.onDate(WS, day);
    const byAccount = (a: { accountId: string }, b: { accountId: string }) =>
      a.accountId.localeCompare(b.accountId);
    expect(some.sort(byAccount)).toEqual(full.sort(byAccount));
  });
});
