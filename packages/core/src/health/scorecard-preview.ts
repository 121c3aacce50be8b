import type { Account } from "../types";
import type { MetricValues } from "./metric-catalog";
import { compileScorecard } from "./score-account";
import type { HealthBand, Scorecard } from "./scorecard-types";

/** One account as the preview needs it: its attributes (profile matching), metric values and ARR. */
export interface PreviewAccount {
  account: Account;
  metrics: MetricValues;
  arr: number;
}

export interface BandTotals {
  band: HealthBand;
  accounts: number;
  arr: number;
}

export interface BandMove {
  accountId: string;
  name: string;
  arr: number;
  from: HealthBand;
  to: HealthBand;
  scoreBefore: number | null;
  scoreAfter: number | null;
}

/** What saving a scorecard would do, computed without saving anything. */
export interface ScorecardPreview {
  accounts: number;
  /** Accounts whose band differs between the two scorecards. */
  changedBand: number;
  /** ... of them to a better band (red → yellow → green), and to a worse one. */
  better: number;
  worse: number;
  /** ARR whose band changes. */
  changedArr: number;
  /** Accounts and ARR per band (red, yellow, green, none), before and after. */
  before: BandTotals[];
  after: BandTotals[];
  /** Band moves with the most ARR first, at most `limit`. */
  moves: BandMove[];
}

const BANDS: readonly HealthBand[] = ["red", "yellow", "green", "none"];
const RANK: Record<HealthBand, number> = { none: -1, red: 0, yellow: 1, green: 2 };

/**
 * Scores the same accounts and metric values with the current and the proposed scorecard and counts
 * the band changes and ARR per band on each side. Pure: the caller loads the accounts' latest metric
 * values, so the only difference between the two sides is the scorecard.
 */
export function previewScorecard(
  rows: readonly PreviewAccount[],
  current: Scorecard,
  proposed: Scorecard,
  opts: { limit?: number } = {},
): ScorecardPreview {
  const before = compileScorecard(current);
  const after = compileScorecard(proposed);
  const totals = () => new Map(BANDS.map((band) => [band, { band, accounts: 0, arr: 0 }]));
  const sumBefore = totals();
  const sumAfter = totals();
  const moves: BandMove[] = [];
  let better = 0;
  let worse = 0;
  for (const r of rows) {
    const b = before.summary(r.account, r.metrics);
    const a = after.summary(r.account, r.metrics);
    const tb = sumBefore.get(b.band);
    const ta = sumAfter.get(a.band);
    if (tb) {
      tb.accounts++;
      tb.arr += r.arr;
    }
    if (ta) {
      ta.accounts++;
      ta.arr += r.arr;
    }
    if (a.band !== b.band) {
      if (RANK[a.band] > RANK[b.band]) better++;
      else worse++;
      moves.push({
        accountId: r.account.id,
        name: r.account.name,
        arr: r.arr,
        from: b.band,
        to: a.band,
        scoreBefore: b.score,
        scoreAfter: a.score,
      });
    }
  }
  moves.sort((x, y) => y.arr - x.arr || x.accountId.localeCompare(y.accountId));
  const round = (t: BandTotals) => ({ ...t, arr: Math.round(t.arr * 100) / 100 });
  return {
    accounts: rows.length,
    changedBand: moves.length,
    better,
    worse,
    changedArr: Math.round(moves.reduce((s, m) => s + m.arr, 0) * 100) / 100,
    before: [...sumBefore.values()].map(round),
    after: [...sumAfter.values()].map(round),
    moves: moves.slice(0, opts.limit ?? 20),
  };
}
