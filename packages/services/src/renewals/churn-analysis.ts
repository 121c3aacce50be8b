import type { ChurnReason, RenewalOutcome } from "@tenure/storage";

/** One reason's churned renewals. */
export interface ChurnReasonRow {
  key: string;
  labelEn: string;
  labelZh: string;
  manageable: boolean;
  count: number;
  /** ARR the churned renewals had before (arrBefore − arrAfter). */
  lostArr: number;
  /** Share of all churned renewals' lost ARR. */
  share: number;
}

/** Churn by reason, with the manageable share by count and by lost ARR. */
export interface ChurnReasonAnalysis {
  churned: number;
  lostArr: number;
  /** Churned renewals with no reason recorded (counted under reason "unspecified"). */
  unspecified: number;
  manageableCount: number;
  manageableLostArr: number;
  /** Manageable churns / churns with a reason (null without any). */
  manageableShare: number | null;
  /** Manageable lost ARR / lost ARR with a reason (null without any). */
  manageableArrShare: number | null;
  reasons: ChurnReasonRow[];
}

/**
 * Churn-reason analysis of recorded outcomes (pure): each churned renewal counts under its reason, its
 * lost ARR is arrBefore − arrAfter; the manageable share is over churns that have a reason. Reasons
 * come in the taxonomy's order; a reason key not in the taxonomy keeps its key as label.
 */
export function analyzeChurnReasons(
  outcomes: readonly RenewalOutcome[],
  taxonomy: readonly ChurnReason[],
): ChurnReasonAnalysis {
  const byKey = new Map(taxonomy.map((r) => [r.key, r]));
  const rows = new Map<string, ChurnReasonRow>();
  let churned = 0;
  let lostArr = 0;
  let unspecified = 0;
  for (const o of outcomes) {
    if (o.outcome !== "churned") continue;
    churned += 1;
    const lost = Math.max(0, o.arrBefore - o.arrAfter);
    lostArr += lost;
    const key = o.reasonKey ?? "unspecified";
    if (o.reasonKey === null) unspecified += 1;
    let row = rows.get(key);
    if (row === undefined) {
      const r = byKey.get(key);
      row = {
        key,
        labelEn: r?.labelEn ?? key,
        labelZh: r?.labelZh ?? key,
        manageable: r?.manageable ?? false,
        count: 0,
        lostArr: 0,
        share: 0,
      };
      rows.set(key, row);
    }
    row.count += 1;
    row.lostArr += lost;
  }
  let manageableCount = 0;
  let manageableLostArr = 0;
  let reasonedCount = 0;
  let reasonedArr = 0;
  for (const row of rows.values()) {
    row.share = lostArr > 0 ? row.lostArr / lostArr : 0;
    if (row.key === "unspecified") continue;
    reasonedCount += row.count;
    reasonedArr += row.lostArr;
    if (row.manageable) {
      manageableCount += row.count;
      manageableLostArr += row.lostArr;
    }
  }
  const position = (k: string) => byKey.get(k)?.position ?? Number.MAX_SAFE_INTEGER;
  return {
    churned,
    lostArr,
    unspecified,
    manageableCount,
    manageableLostArr,
    manageableShare: reasonedCount > 0 ? manageableCount / reasonedCount : null,
    manageableArrShare: reasonedArr > 0 ? manageableLostArr / reasonedArr : null,
    reasons: [...rows.values()].sort((a, b) => position(a.key) - position(b.key) || b.lostArr - a.lostArr),
  };
}
