import { addMonths, firstDayOfMonth, monthRange } from "../../month";
import { buildMrrMatrix } from "../../revenue/mrr-matrix";
import { account, sub } from "../../revenue/test-fixtures";
import type { Subscription } from "../../types";
import { createRng } from "../ml/prng";
import type { AccountUsageDay, ChurnHealthPoint, ChurnInputs, ChurnTimelineEntry } from "./types";

const DAY_MS = 86_400_000;
const iso = (d: number) => new Date(d * DAY_MS).toISOString().slice(0, 10);
const dayOf = (date: string) => Math.floor(Date.parse(`${date}T00:00:00Z`) / DAY_MS);

/**
 * Test-only: `n` accounts over 2024-01..2025-12 where churners' usage, breadth and health fall in the
 * two months before they leave (the planted signal), and expanders add seats after usage grows.
 */
export function plantedInputs(n = 300, seed = 7): ChurnInputs {
  const rng = createRng(seed);
  const months = monthRange("2024-01", "2025-12");
  const accounts = [];
  const subscriptions: Subscription[] = [];
  const usage: AccountUsageDay[] = [];
  const timeline: ChurnTimelineEntry[] = [];
  const health: ChurnHealthPoint[] = [];
  const end = dayOf("2025-12-31");
  for (let i = 0; i < n; i++) {
    const id = `a${i}`;
    accounts.push(account({ id, tier: rng() < 0.5 ? "smb" : "mid-market" }));
    const start = months[Math.floor(rng() * 6)]!;
    const churns = rng() < 0.35;
    const churnMonth = churns ? months[8 + Math.floor(rng() * 15)]! : null;
    const seats = 2 + Math.floor(rng() * 10);
    const endDate = churnMonth === null ? null : firstDayOfMonth(churnMonth);
    subscriptions.push(
      sub({ accountId: id, startDate: firstDayOfMonth(start), endDate, quantity: seats, amount: 50 }),
    );
    const expandMonth = churns || rng() < 0.6 ? null : months[8 + Math.floor(rng() * 15)]!;
    const declineFrom = endDate === null ? Number.POSITIVE_INFINITY : dayOf(endDate) - 60;
    const growFrom =
      expandMonth === null ? Number.POSITIVE_INFINITY : dayOf(firstDayOfMonth(expandMonth)) - 60;
    if (expandMonth !== null) {
      // Expansion: seats grow at expandMonth (same open subscription split in two rows).
      const last = subscriptions.pop()!;
      subscriptions.push({ ...last, endDate: firstDayOfMonth(expandMonth) });
      subscriptions.push(
        sub({ accountId: id, startDate: firstDayOfMonth(expandMonth), quantity: seats + 5, amount: 50 }),
      );
    }
    const stop = endDate === null ? end : dayOf(endDate) - 1;
    for (let d = dayOf(firstDayOfMonth(start)); d <= stop; d += 3) {
      const decline = d >= declineFrom ? 0.25 : 1;
      const grow = d >= growFrom ? 1.6 : 1;
      const base = seats * (0.4 + 0.4 * rng());
      usage.push({
        accountId: id,
        day: iso(d),
        activeUsers: Math.round(base * decline * grow),
        events: Math.round(base * 10 * decline * grow),
        departments: decline < 1 ? 1 : 2 + Math.floor(rng() * 2),
      });
      if (d % 14 === 0)
        health.push({ accountId: id, date: iso(d), score: Math.round(70 * decline + rng() * 20) });
      if (rng() < (decline < 1 ? 0.1 : 0.01))
        timeline.push({ accountId: id, type: "ticket", occurredAt: `${iso(d)}T10:00:00.000Z`, data: {} });
    }
  }
  const matrix = buildMrrMatrix(subscriptions, [], { reportingCurrency: "USD", asOf: "2025-12-31" });
  return { accounts, subscriptions, matrix, contacts: [], usage, timeline, health };
}

/** Test-only: the prediction months 2024-04..2025-12. */
export const plantedMonths = () => monthRange("2024-04", addMonths("2025-12", 0));
