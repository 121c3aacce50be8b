import type { AcquisitionSpend } from "@tenure/core";
import { monthOfIndex } from "./calendar";
import type { Rng } from "./prng";
import { CHANNELS, type Channel } from "./profiles";

/**
 * Months of new-customer MRR each channel costs. Self-serve channels are cheap per customer,
 * sales-led ones (outbound, events) expensive; blended, CAC payback lands around a year.
 */
export const CAC_MONTHS: Readonly<Record<Channel, number>> = {
  organic: 5.5,
  paid_search: 10.5,
  paid_social: 11.5,
  partner: 10,
  outbound: 16,
  events: 18,
};

export interface NewCustomer {
  monthIndex: number;
  channel: Channel;
  mrrUsd: number;
}

/** Spend per channel per month (USD) sized from the new customers each channel brought in. */
export function acquisitionSpend(
  customers: readonly NewCustomer[],
  firstMonth: number,
  lastMonth: number,
  rng: Rng,
): AcquisitionSpend[] {
  const months = lastMonth - firstMonth + 1;
  const base = new Map<Channel, number[]>(CHANNELS.map((c) => [c, new Array<number>(months).fill(0)]));
  for (const c of customers) {
    const row = base.get(c.channel);
    const i = c.monthIndex - firstMonth;
    if (row && i >= 0 && i < months) row[i] = (row[i] ?? 0) + c.mrrUsd * CAC_MONTHS[c.channel];
  }
  const out: AcquisitionSpend[] = [];
  for (let i = 0; i < months; i++) {
    for (const channel of CHANNELS) {
      const row = base.get(channel) ?? [];
      // Spend is smoother than results: blend this month with its neighbours, plus noise.
      const smoothed =
        0.5 * (row[i] ?? 0) + 0.25 * (row[i - 1] ?? row[i] ?? 0) + 0.25 * (row[i + 1] ?? row[i] ?? 0);
      const amount = Math.round(smoothed * rng.float(0.85, 1.15));
      out.push({ month: monthOfIndex(firstMonth + i), channel, amount, currency: "USD" });
    }
  }
  return out;
}
