/**
 * The effect report over 5,000 playbook runs (issue 15 §15: ≤ 500 ms), on SQLite and/or PostgreSQL,
 * against its baseline in the same run: reading those runs alone (the floor of any report over them).
 *
 *   npm run bench -- actions effects [--runs 5000] [--repeats 5] [--matched-pct 20] [--dialect sqlite|postgres|both]
 *
 * The store: the ten starter playbooks; most runs on eight playbooks whose automations keep a 20%
 * hold-out, `--matched-pct` (default 20%) on two (champion-left, renewal-prep-90) without one, so their
 * controls are matched: each of their treated runs has two candidate accounts that raised the same signal that
 * week, in the same segment, health band and ARR band, with health scores on the run's start and end
 * days (the matched path's reads are part of what is timed).
 */
import { tmpdir } from "node:os";
import path from "node:path";
import { STARTER_PLAYBOOKS } from "@tenure/core";
import { effectReport } from "@tenure/services";
import {
  type HealthScoreRecord,
  minimalAccount,
  openStorage,
  type PlaybookRunRecord,
  type SignalRecord,
  type Storage,
} from "@tenure/storage";
import { intFlag } from "../lib/args";
import { dialectsFlag, freshStore } from "../lib/bench-store";
import { renderTable } from "../lib/table";
import { formatRatio, formatSeconds, formatTiming, timeRuns } from "../lib/timing";
import type { ActionsBenchPart } from "./part";

const WS = "bench";
const TARGET_SECONDS = 0.5;
const MATCHED = new Set(["champion-left", "renewal-prep-90"]);
const SEGMENTS = ["retail", "finance", "saas", "media"];
const BANDS = ["at_risk", "watch", "healthy"];
const AT = "2026-01-05T09:00:00.000Z";

/** A deterministic stream in [0, 1) (mulberry32), so every run of the bench seeds the same store. */
function rng(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const addDays = (day: string, n: number) => {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + n);
  return d.toISOString().slice(0, 10);
};

async function seed(
  storage: Storage,
  runs: number,
  matchedPct: number,
): Promise<{ runs: number; candidates: number }> {
  const random = rng(15);
  await storage.workspaces.ensure(WS, "Effects bench");
  for (const p of STARTER_PLAYBOOKS) {
    await storage.playbooks.create(WS, {
      key: p.key,
      origin: "starter",
      definition: p.definition,
      createdBy: null,
      at: AT,
    });
  }
  const holdoutKeys = STARTER_PLAYBOOKS.filter((p) => !MATCHED.has(p.key));
  const matchedKeys = STARTER_PLAYBOOKS.filter((p) => MATCHED.has(p.key));
  const records: PlaybookRunRecord[] = [];
  const accounts = [];
  const scores: HealthScoreRecord[] = [];
  const signals: SignalRecord[] = [];
  for (let i = 0; i < runs; i++) {
    // Spread evenly: run i is matched when the running share first reaches the next whole run.
    const matched = Math.floor(((i + 1) * matchedPct) / 100) > Math.floor((i * matchedPct) / 100);
    const pool = matched ? matchedKeys : holdoutKeys;
    const p = pool[i % pool.length];
    if (!p) throw new Error("no starter playbooks");
    const startDate = addDays("2026-01-05", Math.floor(random() * 26) * 7 + Math.floor(random() * 5));
    const windowEnd = addDays(startDate, p.definition.windowDays);
    const segment = SEGMENTS[i % SEGMENTS.length] ?? null;
    const band = BANDS[i % BANDS.length] ?? "watch";
    const holdout = !matched && random() < 0.2;
    const pre = 20 + random() * 40;
    const post = pre + (holdout ? 0 : 2) + (random() - 0.5) * 8;
    const accountId = `acc-${i}`;
    accounts.push({ ...minimalAccount(accountId), segment });
    records.push({
      id: `run-${i}`,
      playbookKey: p.key,
      version: 1,
      accountId,
      status: holdout ? "active" : random() < 0.7 ? "completed" : "active",
      holdout,
      source: "automation",
      triggerAutomationId: `auto-${p.key}`,
      triggerSignalId: null,
      idempotencyKey: null,
      startedAt: `${startDate}T09:00:00.000Z`,
      startDate,
      windowEnd,
      metric: p.definition.metric,
      startValue: pre,
      endValue: post,
      measuredAt: `${windowEnd}T00:00:00.000Z`,
      baseline: { segment, tier: null, band, arr: 0 },
      steps: [],
      snoozedUntil: null,
      startedBy: null,
      completedAt: null,
      updatedAt: AT,
    });
    if (!matched) continue;
    const signalType = p.definition.signalTypes[0] ?? "champion_left";
    for (let c = 0; c < 2; c++) {
      const id = `cand-${i}-${c}`;
      const cPre = 20 + random() * 40;
      accounts.push({ ...minimalAccount(id), segment });
      for (const [date, score] of [
        [startDate, cPre],
        [windowEnd, cPre + (random() - 0.5) * 8],
      ] as const) {
        scores.push({
          accountId: id,
          date,
          score,
          band,
          profileId: "bench",
          breakdown: {},
          lastActivityAt: null,
        });
      }
      signals.push({
        id: `sig-${id}`,
        accountId: id,
        type: signalType,
        kind: "risk",
        severity: "high",
        status: "resolved",
        dedupKey: `${signalType}:${id}`,
        title: signalType,
        summary: "",
        evidence: {},
        openedAt: `${startDate}T08:00:00.000Z`,
        acknowledgedAt: null,
        resolvedAt: `${windowEnd}T08:00:00.000Z`,
        statusChangedBy: null,
      });
    }
  }
  await storage.accounts.upsertMany(WS, accounts);
  await storage.healthScores.upsertMany(WS, scores);
  await storage.signals.insertMany(WS, signals);
  await storage.transaction(async (tx) => {
    for (const r of records) await tx.playbooks.insertRun(WS, r);
  });
  return { runs: records.length, candidates: signals.length };
}

async function runDialect(dialect: "sqlite" | "postgres", runs: number, repeats: number, matchedPct: number) {
  const config = await freshStore(
    dialect,
    path.join(tmpdir(), "tenure-bench-effects.db"),
    "tenure_bench_effects",
  );
  const storage = await openStorage(config);
  try {
    const seeded = await seed(storage, runs, matchedPct);
    console.log(`  ${dialect}: ${seeded.runs} runs, ${seeded.candidates} candidate control accounts`);
    const baseline = await timeRuns(() => storage.playbooks.listRuns(WS), { runs: repeats, warmups: 1 });
    let last: Awaited<ReturnType<typeof effectReport>> | undefined;
    const report = await timeRuns(
      async () => {
        last = await effectReport(storage, WS, { reportingCurrency: "USD" });
      },
      { runs: repeats, warmups: 1, label: `${dialect} report` },
    );
    const estimated = last?.playbooks.filter((p) => p.effect !== null).length ?? 0;
    const matched = last?.playbooks.filter((p) => p.control === "matched") ?? [];
    console.log(
      `  ${dialect}: ${last?.playbooks.length ?? 0} playbook versions, ${estimated} estimated; matched: ${matched
        .map((p) => `${p.key} ${p.matched} accounts for ${p.matchedRuns}/${p.nTreated} runs`)
        .join(", ")}`,
    );
    // The matched path is what this bench is for: a report that matched nobody measured the wrong thing.
    if (matchedPct > 0 && !matched.some((p) => (p.matched ?? 0) > 0))
      throw new Error(`${dialect}: no matched controls found; the matched-control path was not measured`);
    return { dialect, baseline, report };
  } finally {
    await storage.close();
  }
}

export const effectsPart: ActionsBenchPart = {
  name: "effects",
  description: "effect report over 5,000 playbook runs ≤ 500 ms, vs reading the runs",
  flags: ["runs", "repeats", "dialect", "matched-pct"],
  async run(args) {
    const runs = intFlag(args, "runs", 5_000);
    const repeats = intFlag(args, "repeats", 5);
    const matchedPct = intFlag(args, "matched-pct", 20, 0);
    if (matchedPct > 100) throw new Error(`--matched-pct must be 0-100, got ${matchedPct}`);
    const results = [];
    for (const dialect of dialectsFlag(args))
      results.push(await runDialect(dialect, runs, repeats, matchedPct));
    console.log(`  ${runs} runs, ${matchedPct}% of them on playbooks without a hold-out (matched controls)`);
    console.log(
      renderTable(
        [
          "dialect",
          "read the runs (baseline)",
          "effect report",
          "report / baseline",
          `target ≤ ${TARGET_SECONDS * 1000} ms`,
        ],
        results.map((r) => [
          r.dialect,
          formatSeconds(r.baseline.median),
          formatSeconds(r.report.median),
          formatRatio(r.report.median / r.baseline.median),
          r.report.median <= TARGET_SECONDS ? "pass" : "FAIL",
        ]),
      ),
    );
    for (const r of results) console.log(`  ${r.dialect} report: ${formatTiming(r.report)}`);
    return results.every((r) => r.report.median <= TARGET_SECONDS);
  },
};
