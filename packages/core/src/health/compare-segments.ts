import { accountAttributeValues, isAccountAttribute } from "../account-match";
import { TenureError } from "../errors";
import type { Account } from "../types";
import type { AccountScore, HealthBand } from "./scorecard-types";

/** One segment value's health distribution under the same scorecard (seed 000 "比较与干预"). */
export interface SegmentHealth {
  /** The attribute's value (first spelling seen; grouped case-insensitively); null = not set. */
  value: string | null;
  accounts: number;
  /** Mean and median of the scores that exist (1 decimal); null when no account has a score. */
  mean: number | null;
  median: number | null;
  bands: Record<HealthBand, number>;
  /** Accounts per 10-point bin: 0-10, 10-20, ..., 90-100 (100 falls in the last bin). */
  histogram: number[];
  dimensions: { key: string; mean: number | null; accounts: number }[];
  measures: { key: string; mean: number | null; accounts: number }[];
}

interface Acc {
  value: string | null;
  accounts: number;
  scores: number[];
  bands: Record<HealthBand, number>;
  histogram: number[];
  dims: Map<string, { sum: number; n: number }>;
  measures: Map<string, { sum: number; n: number }>;
}

const round1 = (x: number): number => Math.round(x * 10) / 10;

function add(map: Map<string, { sum: number; n: number }>, key: string, v: number | null): void {
  let e = map.get(key);
  if (e === undefined) {
    e = { sum: 0, n: 0 };
    map.set(key, e);
  }
  if (v !== null) {
    e.sum += v;
    e.n++;
  }
}

function median(sorted: readonly number[]): number | null {
  const n = sorted.length;
  if (n === 0) return null;
  const mid = Math.floor(n / 2);
  return n % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/**
 * Health side by side per value of an account attribute (tier, owner, industry, lifecycleStage, tag,
 * custom.<key>, ...), worst mean first; accounts without a value form the `null` segment. An account
 * with several tags counts in each.
 */
export function compareSegments(
  scored: readonly { account: Account; score: AccountScore }[],
  attribute: string,
): SegmentHealth[] {
  if (!isAccountAttribute(attribute)) {
    throw new TenureError(
      "validation",
      `Cannot compare health by "${attribute}": use tier, segment, industry, region, owner, channel, lifecycleStage, tag or custom.<key>`,
      { attribute },
    );
  }
  const groups = new Map<string, Acc>();
  for (const { account, score } of scored) {
    const values = accountAttributeValues(account, attribute);
    const keys = new Map<string, string | null>();
    for (const v of values) keys.set(v.trim().toLowerCase(), v);
    if (keys.size === 0) keys.set("\u0000none", null);
    for (const [k, v] of keys) {
      let g = groups.get(k);
      if (g === undefined) {
        g = {
          value: v,
          accounts: 0,
          scores: [],
          bands: { red: 0, yellow: 0, green: 0, none: 0 },
          histogram: new Array<number>(10).fill(0),
          dims: new Map(),
          measures: new Map(),
        };
        groups.set(k, g);
      }
      g.accounts++;
      g.bands[score.band]++;
      if (score.score !== null) {
        g.scores.push(score.score);
        const bin = Math.min(9, Math.max(0, Math.floor(score.score / 10)));
        g.histogram[bin] = (g.histogram[bin] as number) + 1;
      }
      for (const d of score.dimensions) {
        add(g.dims, d.key, d.score);
        for (const m of d.measures) add(g.measures, m.key, m.score);
      }
    }
  }

  const out: SegmentHealth[] = [];
  for (const g of groups.values()) {
    const sorted = [...g.scores].sort((a, b) => a - b);
    const mean = sorted.length === 0 ? null : round1(sorted.reduce((s, x) => s + x, 0) / sorted.length);
    const med = median(sorted);
    const means = (m: Map<string, { sum: number; n: number }>) =>
      [...m].map(([key, e]) => ({ key, mean: e.n === 0 ? null : round1(e.sum / e.n), accounts: e.n }));
    out.push({
      value: g.value,
      accounts: g.accounts,
      mean,
      median: med === null ? null : round1(med),
      bands: g.bands,
      histogram: g.histogram,
      dimensions: means(g.dims),
      measures: means(g.measures),
    });
  }
  // worst first; segments without any score last; ties by value for a stable order
  out.sort((a, b) => {
    if (a.mean === null || b.mean === null) {
      if (a.mean !== b.mean) return a.mean === null ? 1 : -1;
    } else if (a.mean !== b.mean) return a.mean - b.mean;
    return (a.value ?? "\uffff").localeCompare(b.value ?? "\uffff");
  });
  return out;
}
