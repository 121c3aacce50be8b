import { TenureError } from "../errors";
import { assertMonth, monthFromIndex, monthIndex } from "../month";
import type { Month } from "../types";
import type { WhatIf } from "./report-types";

/**
 * Growth what-if: MRR_k = MRR_0 × (1 + rate)^k for k = 1..months, one scenario per monthly net growth
 * rate (seed 004: 0%, +3%, −3%, −5%).
 */

/** Default monthly net growth rates of the what-if scenarios. */
export const DEFAULT_WHAT_IF_RATES: readonly number[] = [0, 0.03, -0.03, -0.05];

/** Projects MRR from `startMonth` for each monthly growth rate (default 0, 3%, −3%, −5%; 24 months). */
export function projectWhatIf(
  startMonth: Month,
  startMrr: number,
  opts: { rates?: number[]; months?: number } = {},
): WhatIf {
  assertMonth(startMonth, "startMonth");
  const rates = opts.rates ?? [...DEFAULT_WHAT_IF_RATES];
  const months = opts.months ?? 24;
  if (!Number.isFinite(startMrr) || startMrr < 0) {
    throw new TenureError("validation", `startMrr must be a number ≥ 0, got ${startMrr}`);
  }
  if (!Number.isInteger(months) || months < 0 || months > 600) {
    throw new TenureError("validation", `months must be an integer between 0 and 600, got ${months}`);
  }
  for (const r of rates) {
    if (!Number.isFinite(r) || r < -1) {
      throw new TenureError("validation", `Growth rate must be a fraction ≥ −1 (0.03 = 3%), got ${r}`);
    }
  }
  const start = monthIndex(startMonth);
  const scenarios = rates.map((rate) => {
    const points: { month: Month; mrr: number }[] = [];
    for (let k = 1; k <= months; k++) {
      points.push({ month: monthFromIndex(start + k), mrr: startMrr * (1 + rate) ** k });
    }
    return { rate, points };
  });
  return { startMonth, startMrr, scenarios };
}
