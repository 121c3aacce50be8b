import {
  buildMrrMatrix,
  diffScorecards,
  type MetricValues,
  monthIndex,
  type PreviewAccount,
  parseScorecard,
  previewScorecard,
  type ScorecardChange,
  type ScorecardPreview,
} from "@tenure/core";
import type { Storage } from "@tenure/storage";
import { activeScorecard } from "./scorecard-store";

/** A preview of saving a scorecard, with the changes it makes and the day whose metrics it rescored. */
export interface ScorecardPreviewResult extends ScorecardPreview {
  currency: string;
  /** The stored scores' day whose metric values were rescored; null when nothing was scored yet. */
  scoredOn: string | null;
  currentVersion: number;
  changes: ScorecardChange[];
}

/**
 * Scores every scored account with the active and the proposed scorecard, from the metric values
 * stored with its latest daily score, and saves nothing. Throws the same validation error as a save.
 */
export async function previewScorecardChange(
  storage: Storage,
  ws: string,
  json: unknown,
  opts: { asOf: string; reportingCurrency: string; limit?: number },
): Promise<ScorecardPreviewResult> {
  const proposed = parseScorecard(json);
  const [current, scoredOn] = await Promise.all([
    activeScorecard(storage, ws),
    storage.healthScores.latestDate(ws, opts.asOf),
  ]);
  const [records, accounts, subs, rates] = await Promise.all([
    scoredOn === null ? Promise.resolve([]) : storage.healthScores.onDate(ws, scoredOn),
    storage.accounts.list(ws),
    storage.subscriptions.listUnordered(ws),
    storage.exchangeRates.list(ws),
  ]);
  const arr = arrByAccount(subs, rates, opts);
  const byId = new Map(accounts.map((a) => [a.id, a]));
  const rows: PreviewAccount[] = [];
  for (const r of records) {
    const account = byId.get(r.accountId);
    // Unscored accounts (former customers, no data) stay unscored whatever the scorecard.
    if (account === undefined || r.band === "none") continue;
    rows.push({ account, metrics: storedMetrics(r.breakdown), arr: arr.get(r.accountId) ?? 0 });
  }
  return {
    currency: opts.reportingCurrency,
    scoredOn,
    currentVersion: current.version,
    changes: diffScorecards(current, proposed),
    ...previewScorecard(rows, current, proposed, { limit: opts.limit }),
  };
}

/** The metric values a stored breakdown carries (every version stores them as `metrics`). */
function storedMetrics(breakdown: unknown): MetricValues {
  const raw =
    typeof breakdown === "object" && breakdown !== null
      ? (breakdown as { metrics?: unknown }).metrics
      : undefined;
  const out: MetricValues = {};
  if (typeof raw !== "object" || raw === null) return out;
  for (const [k, v] of Object.entries(raw)) {
    if (typeof v === "number" && Number.isFinite(v)) (out as Record<string, number>)[k] = v;
  }
  return out;
}

function arrByAccount(
  subs: Parameters<typeof buildMrrMatrix>[0],
  rates: Parameters<typeof buildMrrMatrix>[1],
  opts: { asOf: string; reportingCurrency: string },
): Map<string, number> {
  const matrix = buildMrrMatrix(subs, rates, { reportingCurrency: opts.reportingCurrency, asOf: opts.asOf });
  const n = matrix.months.length;
  const first = matrix.months[0];
  const col = first === undefined ? -1 : monthIndex(opts.asOf.slice(0, 7)) - monthIndex(first);
  const out = new Map<string, number>();
  if (col < 0 || col >= n) return out;
  matrix.accountIds.forEach((id, a) => {
    out.set(id, (matrix.values[a * n + col] ?? 0) * 12);
  });
  return out;
}
