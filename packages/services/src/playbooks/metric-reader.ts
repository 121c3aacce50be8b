import { buildMrrMatrix, mrrOnDay, type PlaybookMetric } from "@tenure/core";
import type { Storage } from "@tenure/storage";
import { addDays } from "../health/days";

/**
 * Reads a playbook's target metric for one account on one day from Tenure's own data, the same
 * figures the account page shows, so a run's start and end values (the effect report's pre and post)
 * mean what a CSM sees:
 * - active_users: distinct users with a usage event in the 28 days ending on the day (docs/health.md);
 * - health_score: the latest stored score on or before the day;
 * - feature_weekly_use: events of the feature (a tracked event name) in the 7 days ending on the day;
 * - mrr: the account's MRR in the day's month, in the reporting currency (the revenue engine's);
 * - nps: the latest NPS response score on or before the day.
 * Null when there is nothing to read (no score yet, no NPS answer).
 */
export async function readMetric(
  storage: Storage,
  ws: string,
  accountId: string,
  metric: PlaybookMetric,
  day: string,
  opts: { reportingCurrency: string },
): Promise<number | null> {
  switch (metric.kind) {
    case "active_users":
      return storage.usageRollups.accountActiveUsers(ws, accountId, addDays(day, -27), day);
    case "health_score":
      return (await storage.healthScores.latest(ws, accountId, day))?.score ?? null;
    case "feature_weekly_use": {
      const counts = await storage.usageRollups.accountEventCounts(ws, accountId, addDays(day, -6), day);
      let sum = 0;
      for (const c of counts) if (c.event === metric.feature) sum += c.count;
      return sum;
    }
    case "mrr": {
      const [subs, rates] = await Promise.all([
        storage.subscriptions.listByAccount(ws, accountId),
        storage.exchangeRates.list(ws),
      ]);
      if (subs.length === 0) return 0;
      const matrix = buildMrrMatrix(subs, rates, { reportingCurrency: opts.reportingCurrency, asOf: day });
      return mrrOnDay(matrix, accountId, day);
    }
    case "nps": {
      const [latest] = await storage.timeline.list(ws, accountId, {
        types: ["nps"],
        before: `${addDays(day, 1)}T00:00:00.000Z`,
        limit: 1,
      });
      const score = latest?.data.score;
      return typeof score === "number" ? score : null;
    }
  }
}

/** Pairs read at once by `readMetrics`' per-pair path: PostgreSQL answers them on several pool connections. */
const CONCURRENT_READS = 16;

/**
 * `readMetric` for many (account, day) pairs: entry i is the metric of `pairs[i]`. health_score, the
 * metric most reports read for many accounts, is one batch read in storage; the other metrics are read
 * pair by pair (a few at a time).
 */
export async function readMetrics(
  storage: Storage,
  ws: string,
  metric: PlaybookMetric,
  pairs: readonly { accountId: string; day: string }[],
  opts: { reportingCurrency: string },
): Promise<(number | null)[]> {
  if (metric.kind === "health_score")
    return (await storage.healthScores.latestOnOrBefore(ws, pairs)).map((p) => p?.score ?? null);
  const out: (number | null)[] = [];
  for (let i = 0; i < pairs.length; i += CONCURRENT_READS) {
    const batch = pairs.slice(i, i + CONCURRENT_READS);
    out.push(
      ...(await Promise.all(batch.map((p) => readMetric(storage, ws, p.accountId, metric, p.day, opts)))),
    );
  }
  return out;
}
