import type { RenewalOutcome, SaveCampaign } from "@tenure/storage";

/** A save campaign's result: what it worked, what it kept, what it cost. */
export interface SaveCampaignResult {
  id: string;
  name: string;
  startedOn: string;
  endedOn: string | null;
  cost: number;
  note: string | null;
  accounts: number;
  /** Σ ARR at risk of the accounts worked, as entered when each was added. */
  atRiskArrWorked: number;
  /** Worked accounts whose first renewal outcome on or after the start kept them (not churned). */
  saved: number;
  /** Σ min(ARR after, ARR at risk) of those: the at-risk ARR kept, not their expansion. */
  arrSaved: number;
  churned: number;
  arrLost: number;
  /** Worked accounts with no outcome recorded yet. */
  open: number;
  /** arrSaved / cost (null when the cost is 0): seed 000 reports 2.23. */
  roi: number | null;
  /** arrSaved / atRiskArrWorked (null when nothing was worked). */
  saveRate: number | null;
}

/**
 * The ROI of a save campaign (pure). ROI = ARR saved ÷ cost, where ARR saved sums, over the accounts
 * worked, the at-risk ARR each kept at its first renewal outcome on or after the campaign's start
 * (min of ARR after and ARR at risk; a churn keeps nothing). See docs/metrics.md.
 */
export function saveCampaignResult(c: SaveCampaign, outcomes: readonly RenewalOutcome[]): SaveCampaignResult {
  const first = new Map<string, RenewalOutcome>();
  for (const o of [...outcomes].sort((a, b) => (a.renewalDate < b.renewalDate ? -1 : 1))) {
    if (o.renewalDate < c.startedOn || first.has(o.accountId)) continue;
    first.set(o.accountId, o);
  }
  let atRiskArrWorked = 0;
  let saved = 0;
  let arrSaved = 0;
  let churned = 0;
  let arrLost = 0;
  let open = 0;
  for (const a of c.accounts) {
    atRiskArrWorked += a.atRiskArr;
    const o = first.get(a.accountId);
    if (o === undefined) open += 1;
    else if (o.outcome === "churned") {
      churned += 1;
      arrLost += a.atRiskArr;
    } else {
      saved += 1;
      arrSaved += Math.min(o.arrAfter, a.atRiskArr);
    }
  }
  return {
    id: c.id,
    name: c.name,
    startedOn: c.startedOn,
    endedOn: c.endedOn,
    cost: c.cost,
    note: c.note,
    accounts: c.accounts.length,
    atRiskArrWorked,
    saved,
    arrSaved,
    churned,
    arrLost,
    open,
    roi: c.cost > 0 ? arrSaved / c.cost : null,
    saveRate: atRiskArrWorked > 0 ? arrSaved / atRiskArrWorked : null,
  };
}
