import { TenureError } from "../errors";
import { assertMonth, monthIndex } from "../month";
import type { Account, AcquisitionSpend, ExchangeRate, Month } from "../types";
import { createRateLookup } from "./exchange-rates";
import { type MrrMatrix, resolveWindow } from "./mrr-matrix";
import type { ChannelEconomics, UnitEconomics } from "./report-types";

/**
 * Unit economics over a period (default: all matrix months), overall and per acquisition channel
 * (Account.channel; null or unknown account → "unknown"):
 * - spend: AcquisitionSpend of the period's months, converted at the rate in force on the 1st of the month;
 * - newCustomers: accounts whose first paying month falls in the period; CAC = spend / newCustomers;
 * - arpaNew: average first-month MRR of those new customers;
 * - arpa: MRR per paying customer-month in the period;
 * - logoChurnRate: churned customers / customers at the start of each month, summed over the period
 *   (a customer-month weighted average of the monthly logo churn);
 * - LTV = arpa × grossMargin / logoChurnRate (ARPA 100, churn 5%, margin 1 → 2,000; ChartMogul);
 * - ltvToCac = LTV / CAC (healthy > 3); paybackMonths = CAC / (arpaNew × grossMargin) (healthy < 12).
 * Undefined values are null.
 */

/** Name of the all-channels row in UnitEconomics.overall. */
export const ALL_CHANNELS = "all";
/** Channel of accounts without one. */
export const UNKNOWN_CHANNEL = "unknown";

interface Acc {
  spend: number;
  newCustomers: number;
  newMrr: number;
  payingMonths: number;
  mrrSum: number;
  startCustomers: number;
  churned: number;
}

function emptyAcc(): Acc {
  return { spend: 0, newCustomers: 0, newMrr: 0, payingMonths: 0, mrrSum: 0, startCustomers: 0, churned: 0 };
}

function div(num: number, den: number): number | null {
  return den > 0 ? num / den : null;
}

function economics(
  channel: string,
  acc: Acc,
  grossMargin: number,
): ChannelEconomics & { arpa: number | null } {
  const cac = acc.newCustomers > 0 ? acc.spend / acc.newCustomers : null;
  const arpaNew = div(acc.newMrr, acc.newCustomers);
  const arpa = div(acc.mrrSum, acc.payingMonths);
  const logoChurnRate = div(acc.churned, acc.startCustomers);
  const ltv =
    arpa !== null && logoChurnRate !== null && logoChurnRate > 0
      ? (arpa * grossMargin) / logoChurnRate
      : null;
  return {
    channel,
    spend: acc.spend,
    newCustomers: acc.newCustomers,
    cac,
    arpaNew,
    logoChurnRate,
    ltv,
    ltvToCac: ltv !== null && cac !== null && cac > 0 ? ltv / cac : null,
    paybackMonths: cac !== null && arpaNew !== null && arpaNew > 0 ? cac / (arpaNew * grossMargin) : null,
    arpa,
  };
}

/** CAC, LTV, LTV/CAC and payback, overall and per acquisition channel, over a period. */
export function computeUnitEconomics(
  m: MrrMatrix,
  accounts: readonly Account[],
  spend: readonly AcquisitionSpend[],
  rates: readonly ExchangeRate[],
  opts: { from?: Month; to?: Month; grossMargin?: number } = {},
): UnitEconomics {
  const grossMargin = opts.grossMargin ?? 1;
  if (!Number.isFinite(grossMargin) || grossMargin <= 0 || grossMargin > 1) {
    throw new TenureError("validation", `grossMargin must be a fraction in (0, 1], got ${grossMargin}`);
  }
  const { start, end } = resolveWindow(m, opts);
  const from = opts.from ?? m.months[0] ?? opts.to ?? "";
  const to = opts.to ?? m.months[m.months.length - 1] ?? from;
  assertMonth(from, "from");
  assertMonth(to, "to");
  const fromIdx = monthIndex(from);
  const toIdx = monthIndex(to);

  const byChannel = new Map<string, Acc>();
  const accOf = (channel: string): Acc => {
    let acc = byChannel.get(channel);
    if (!acc) {
      acc = emptyAcc();
      byChannel.set(channel, acc);
    }
    return acc;
  };
  const total = emptyAcc();

  const rateOf = createRateLookup(rates, m.currency);
  for (const s of spend) {
    assertMonth(s.month, "spend month");
    if (!Number.isFinite(s.amount)) {
      throw new TenureError("validation", `Spend of ${s.channel} in ${s.month}: amount must be a number`);
    }
    const idx = monthIndex(s.month);
    if (idx < fromIdx || idx > toIdx) continue;
    const converted = s.amount * rateOf(s.currency, `${s.month}-01`);
    accOf(s.channel).spend += converted;
    total.spend += converted;
  }

  const channelOf = new Map<string, string>();
  for (const a of accounts) channelOf.set(a.id, a.channel ?? UNKNOWN_CHANNEL);
  const n = m.months.length;
  const values = m.values;
  for (let a = 0; a < m.accountIds.length; a++) {
    const base = a * n;
    let first = -1;
    for (let i = 0; i < n && i <= end; i++) {
      if (values[base + i]! > 0) {
        first = i;
        break;
      }
    }
    if (first < 0) continue;
    const acc = accOf(channelOf.get(m.accountIds[a]!) ?? UNKNOWN_CHANNEL);
    if (first >= start) {
      const v = values[base + first]!;
      acc.newCustomers++;
      acc.newMrr += v;
      total.newCustomers++;
      total.newMrr += v;
    }
    for (let i = Math.max(start, first); i <= end; i++) {
      const cur = values[base + i]!;
      const prev = i > 0 ? values[base + i - 1]! : 0;
      if (cur > 0) {
        acc.payingMonths++;
        acc.mrrSum += cur;
        total.payingMonths++;
        total.mrrSum += cur;
      }
      if (prev > 0) {
        acc.startCustomers++;
        total.startCustomers++;
        if (cur <= 0) {
          acc.churned++;
          total.churned++;
        }
      }
    }
  }

  const { arpa, ...overall } = economics(ALL_CHANNELS, total, grossMargin);
  const channels = [...byChannel.entries()]
    .map(([channel, acc]) => {
      const { arpa: _arpa, ...row } = economics(channel, acc, grossMargin);
      return row;
    })
    .sort((x, y) => y.spend - x.spend || y.newCustomers - x.newCustomers || (x.channel < y.channel ? -1 : 1));
  return {
    from,
    to,
    grossMargin,
    arpa,
    logoChurnRate: overall.logoChurnRate,
    ltv: overall.ltv,
    overall,
    channels,
  };
}
