import fc from "fast-check";
import { Kysely, Migrator, sql } from "kysely";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { DialectName } from "./dialects/dialect-adapter";
import { postgresAdapter } from "./dialects/postgres";
import { sqliteAdapter } from "./dialects/sqlite";
import { migrationProvider } from "./migrations/index";
import { CellBuffer, decodeCells, encodeCells, weekOf } from "./repositories/usage-rollup-cells";
import type { UsageRollup } from "./repositories/usage-rollup-repository";
import { bareUsageUser } from "./repositories/usage-user-repository";
import { openStorage, type StorageConfig } from "./storage";
import { openTestStorage, type TestStorage, testDatabase, testDialects } from "./testing";

const sortRows = (rows: UsageRollup[]) =>
  [...rows].sort((a, b) =>
    a.userKey !== b.userKey
      ? a.userKey < b.userKey
        ? -1
        : 1
      : a.day !== b.day
        ? a.day < b.day
          ? -1
          : 1
        : a.event < b.event
          ? -1
          : a.event > b.event
            ? 1
            : 0,
  );

/** Sums rows by (user, day, event), as the rollups must. */
function recount(rows: readonly UsageRollup[]): UsageRollup[] {
  const sums = new Map<string, UsageRollup>();
  for (const r of rows) {
    const key = `${r.userKey}\u0000${r.day}\u0000${r.event}`;
    const prev = sums.get(key);
    if (prev === undefined) sums.set(key, { ...r });
    else prev.count += r.count;
  }
  return sortRows([...sums.values()]);
}

describe("rollup cell encoding", () => {
  it("should decode exactly the cells it encoded when counts exceed 14, 32 and 48 bits", () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.nat(2_000_000), { maxLength: 300 }),
        fc.array(fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }), { minLength: 300, maxLength: 300 }),
        (keySet, countPool) => {
          const keys = [...keySet].sort((a, b) => a - b);
          const counts = keys.map((_, i) => countPool[i] as number);
          const bytes = encodeCells(keys, counts, keys.length);
          const into = new CellBuffer();
          const n = decodeCells(bytes, into);
          expect(n).toBe(keys.length);
          expect([...into.keys.subarray(0, n)]).toEqual(keys);
          expect([...into.counts.subarray(0, n)]).toEqual(counts);
        },
      ),
      { numRuns: 100 },
    );
  });

  it("should put a day in the week of its Monday when the day is a Sunday, Monday or year end", () => {
    expect(weekOf("2026-02-01")).toBe("2026-01-26"); // Sunday
    expect(weekOf("2026-02-02")).toBe("2026-02-02"); // Monday
    expect(weekOf("2026-12-31")).toBe("2026-12-28"); // Thursday, ISO week 53
    expect(weekOf("2027-01-03")).toBe("2026-12-28"); // Sunday of the same ISO week
    expect(weekOf("2024-02-29")).toBe("2024-02-26");
  });
});

describe.each(testDialects())("usage rollups (weekly cells) on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it("should merge cells into stored weeks when counts are added again in any order", async () => {
    const s = t.storage;
    const ws = "ws-merge";
    const first: UsageRollup[] = [
      { userKey: "u1", day: "2026-03-02", event: "B", count: 2 },
      { userKey: "u1", day: "2026-03-08", event: "A", count: 1 },
      { userKey: "u2", day: "2026-03-04", event: "A", count: 5 },
    ];
    const second: UsageRollup[] = [
      { userKey: "u2", day: "2026-03-04", event: "A", count: 1 },
      { userKey: "u1", day: "2026-03-08", event: "A", count: 4 },
      { userKey: "u1", day: "2026-03-03", event: "C", count: 7 },
      { userKey: "u1", day: "2026-03-02", event: "B", count: 1 },
      { userKey: "u1", day: "2026-03-09", event: "B", count: 1 },
    ];
    await s.usageRollups.addCounts(ws, first);
    await s.transaction((tx) => tx.usageRollups.addCounts(ws, second));
    expect(await s.usageRollups.list(ws)).toEqual(recount([...first, ...second]));
  });

  it("should keep days apart across week boundaries when read by day ranges", async () => {
    const s = t.storage;
    const ws = "ws-weeks";
    // Sunday 2026-02-01 ends one week, Monday 2026-02-02 starts the next.
    await s.usageRollups.addCounts(ws, [
      { userKey: "u1", day: "2026-02-01", event: "A", count: 3 },
      { userKey: "u1", day: "2026-02-02", event: "A", count: 4 },
      { userKey: "u2", day: "2026-02-02", event: "B", count: 1 },
      { userKey: "u2", day: "2026-12-31", event: "B", count: 2 },
      { userKey: "u2", day: "2027-01-03", event: "B", count: 6 },
    ]);
    await s.usageUsers.upsertMany(ws, [
      { ...bareUsageUser("u1", "u1", null), accountId: "acc" },
      { ...bareUsageUser("u2", "u2", null), accountId: "acc" },
    ]);
    expect(await s.usageRollups.accountEventCounts(ws, "acc", "2026-02-01", "2026-02-01")).toEqual([
      { day: "2026-02-01", event: "A", count: 3 },
    ]);
    expect(await s.usageRollups.accountEventCounts(ws, "acc", "2026-02-02", "2026-02-02")).toEqual([
      { day: "2026-02-02", event: "A", count: 4 },
      { day: "2026-02-02", event: "B", count: 1 },
    ]);
    expect(await s.usageRollups.accountDailyActiveUsers(ws, "acc", "2026-01-01", "2027-01-31")).toEqual([
      { day: "2026-02-01", users: 1 },
      { day: "2026-02-02", users: 2 },
      { day: "2026-12-31", users: 1 },
      { day: "2027-01-03", users: 1 },
    ]);
    expect(await s.usageRollups.accountActiveUsers(ws, "acc", "2027-01-01", "2027-01-03")).toBe(1);
    expect(await s.healthScores.eventTotals(ws, "2026-12-28", "2027-01-03")).toEqual([
      { event: "B", count: 8 },
    ]);
    expect(await s.healthScores.userSpans(ws, "2027-01-02")).toEqual([
      { userKey: "u1", firstDay: "2026-02-01", lastDay: "2026-02-02" },
      { userKey: "u2", firstDay: "2026-02-02", lastDay: "2026-12-31" },
    ]);
    // Health read anchored mid-week: the last stored week of u2 has a day after `to`.
    const cols = await s.healthUsage.userUsage(ws, {
      to: "2027-01-02",
      weekStarts: ["2026-12-20", "2026-12-27"],
      recentFrom: "2026-12-30",
      keyEvents: ["B"],
    });
    const u2 = cols.userKey.indexOf("u2");
    expect(cols.lastDay[u2]).toBe("2026-12-31");
    expect([...cols.weekEvents.subarray(u2 * 2, u2 * 2 + 2)]).toEqual([Number.NaN, 2]);
    expect(cols.recent[u2]).toBe(1);
    expect(cols.keyMask[u2]).toBe(1);
    const u1 = cols.userKey.indexOf("u1");
    expect([cols.firstDay[u1], cols.lastDay[u1], cols.recent[u1]]).toEqual(["2026-02-01", "2026-02-02", 0]);
  });

  it("should count a cell past 16,384 and 2^32 events when counts add up", async () => {
    const s = t.storage;
    const ws = "ws-big";
    await s.usageRollups.addCounts(ws, [{ userKey: "u1", day: "2026-05-05", event: "A", count: 20_000 }]);
    await s.usageRollups.addCounts(ws, [
      { userKey: "u1", day: "2026-05-05", event: "A", count: 4_294_967_296 },
    ]);
    expect(await s.usageRollups.list(ws)).toEqual([
      { userKey: "u1", day: "2026-05-05", event: "A", count: 4_294_987_296 },
    ]);
  });

  it("should keep every event name apart when a week holds hundreds of them", async () => {
    const s = t.storage;
    const ws = "ws-names";
    const rows: UsageRollup[] = [];
    for (let e = 0; e < 400; e++)
      rows.push({ userKey: "u1", day: `2026-06-0${1 + (e % 7)}`, event: `Event ${e} é`, count: e + 1 });
    await s.usageRollups.addCounts(ws, rows.slice(0, 150));
    await s.usageRollups.addCounts(ws, rows.slice(100));
    const expected = recount([...rows.slice(0, 150), ...rows.slice(100)]);
    expect(await s.usageRollups.list(ws)).toEqual(expected);
    // Another workspace interns its own names.
    await s.usageRollups.addCounts("ws-names-2", [
      { userKey: "u1", day: "2026-06-01", event: "Event 399 é", count: 1 },
    ]);
    expect(await s.usageRollups.list("ws-names-2")).toEqual([
      { userKey: "u1", day: "2026-06-01", event: "Event 399 é", count: 1 },
    ]);
  });

  it("should equal a recount when random counts are added in several batches", async () => {
    const s = t.storage;
    let run = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.array(fc.tuple(fc.nat(5), fc.nat(60), fc.nat(6), fc.integer({ min: 1, max: 40_000 })), {
            maxLength: 60,
          }),
          { minLength: 1, maxLength: 4 },
        ),
        async (batches) => {
          const ws = `ws-prop-${run++}`;
          const all: UsageRollup[] = [];
          for (const batch of batches) {
            const rows = batch.map(([u, d, e, count]) => ({
              userKey: `u${u}`,
              day: new Date(Date.UTC(2026, 0, 1 + d)).toISOString().slice(0, 10),
              event: `E${e}`,
              count,
            }));
            all.push(...rows);
            await s.transaction((tx) => tx.usageRollups.addCounts(ws, rows));
          }
          expect(await s.usageRollups.list(ws)).toEqual(recount(all));
        },
      ),
      { numRuns: 15 },
    );
  });
});

/** A database migrated up to `migration` only, on `dialect`; `cleanup` deletes it. */
async function databaseAt(
  dialect: DialectName,
  migration: string,
): Promise<{ config: StorageConfig; db: Kysely<unknown>; cleanup: () => Promise<void> }> {
  const { config, drop: cleanup } = await testDatabase(dialect);
  const adapter = dialect === "sqlite" ? sqliteAdapter : postgresAdapter;
  const { dialect: kyselyDialect } = await adapter.createDialect(config);
  const db = new Kysely<unknown>({ dialect: kyselyDialect });
  const { error } = await new Migrator({
    db,
    provider: migrationProvider,
    migrationTableSchema: config.schema,
  }).migrateTo(migration);
  if (error !== undefined) throw error;
  return { config, db, cleanup };
}

describe.each(testDialects())("migration 0401 (weekly rollups) on %s", (dialect) => {
  it("should list the same rollups and event totals when old per-day rows are converted", async () => {
    const at = await databaseAt(dialect, "2026_12_01_0301_entitlements");
    try {
      const old: Array<UsageRollup & { ws: string }> = [];
      for (let u = 0; u < 30; u++)
        for (let d = 0; d < 20; d += 1 + (u % 3))
          old.push({
            ws: u % 4 === 0 ? "ws-b" : "ws-a",
            userKey: `user-${u}`,
            day: new Date(Date.UTC(2026, 1, 1 + d * 2)).toISOString().slice(0, 10),
            event: ["Report Run", "page", "Export", "Zeta"][(u + d) % 4] as string,
            count: 1 + ((u * 7 + d) % 30_000),
          });
      for (const r of old)
        await sql`INSERT INTO usage_rollups (workspace_id, user_key, day, event, count)
          VALUES (${r.ws}, ${r.userKey}, ${r.day}, ${r.event}, ${r.count})`.execute(at.db);
      await at.db.destroy();

      const storage = await openStorage(at.config);
      try {
        for (const ws of ["ws-a", "ws-b"]) {
          const mine = old.filter((r) => r.ws === ws).map(({ ws: _, ...r }) => r);
          expect(await storage.usageRollups.list(ws)).toEqual(recount(mine));
          const totals = new Map<string, number>();
          for (const r of mine) totals.set(r.event, (totals.get(r.event) ?? 0) + r.count);
          expect(
            (await storage.healthScores.eventTotals(ws, "2026-01-01", "2026-12-31")).map((e) => [
              e.event,
              e.count,
            ]),
          ).toEqual(
            [...totals].sort((a, b) => b[1] - a[1] || (a[0] as string).localeCompare(b[0] as string)),
          );
        }
        // Counts added after the conversion merge into the converted weeks.
        await storage.usageRollups.addCounts("ws-a", [
          { userKey: "user-1", day: "2026-02-01", event: "Zeta", count: 5 },
        ]);
        const after = await storage.usageRollups.list("ws-a");
        const before = recount(old.filter((r) => r.ws === "ws-a").map(({ ws: _, ...r }) => r));
        expect(after).toEqual(
          recount([...before, { userKey: "user-1", day: "2026-02-01", event: "Zeta", count: 5 }]),
        );
      } finally {
        await storage.close();
      }
    } finally {
      await at.cleanup();
    }
  });
});
