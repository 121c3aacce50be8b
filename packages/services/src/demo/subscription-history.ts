import type { Subscription } from "@tenure/core";
import { addDays, addMonths, type DayKey, dayOf, keyToIso, makeKey, monthIndexOf } from "./calendar";
import { DEMO_PRODUCTS, type DemoInterval, EDITIONS, type Edition, planId } from "./catalog";
import type { Rng } from "./prng";
import type { AccountProfile, Tier } from "./profiles";

export interface HistoryInput {
  accountId: string;
  profile: AccountProfile;
  /** First touch: the trial start when there is a trial, else the first paid day (day of month ≤ 28). */
  acquired: DayKey;
  asOf: DayKey;
  amounts: ReadonlyMap<string, number>;
  nextSubscriptionId: () => string;
}

export interface HistoryResult {
  rows: Subscription[];
  /** Start of the first paid period, null when the account never paid. */
  firstPaidStart: DayKey | null;
  /** MRR (account currency) at the first paid start. */
  firstMrr: number;
  startProducts: number;
  /** Paying (or on a 100%-discount plan) at asOf. */
  active: boolean;
  /** Trial running at asOf. */
  inTrial: boolean;
  /** Date of the last churn when not active. */
  churnedAt: DayKey | null;
  reactivations: number;
  /** Start of the current paid stretch (after the last reactivation). */
  stretchStart: DayKey | null;
  stretchStartMrr: number;
  currentMrr: number;
  currentProducts: number;
}

interface Line {
  product: string;
  edition: Edition;
  /** plan id and amount, cached: they are read on every emitted row */
  plan: string;
  amount: number;
  quantity: number;
  discountPct: number;
  start: DayKey;
}

const TRIAL_DAYS = 14;
const BASE_CHURN: Readonly<Record<Tier, number>> = { smb: 0.039, "mid-market": 0.02, enterprise: 0.011 };
// Multi-product customers churn much less (seed 000: bundles have several times the LTV).
const BUNDLE_CHURN = [1, 0.6, 0.45] as const;
const REACTIVATION: Readonly<Record<Tier, number>> = { smb: 0.18, "mid-market": 0.15, enterprise: 0.1 };

type EventKind = "seatUp" | "seatDown" | "upgrade" | "downgrade" | "addProduct" | "dropProduct";
const EVENT_RATES: Readonly<Record<Tier, Readonly<Record<EventKind, number>>>> = {
  smb: {
    seatUp: 0.015,
    seatDown: 0.008,
    upgrade: 0.006,
    downgrade: 0.002,
    addProduct: 0.005,
    dropProduct: 0.004,
  },
  "mid-market": {
    seatUp: 0.025,
    seatDown: 0.01,
    upgrade: 0.004,
    downgrade: 0.002,
    addProduct: 0.008,
    dropProduct: 0.004,
  },
  enterprise: {
    seatUp: 0.035,
    seatDown: 0.012,
    upgrade: 0.002,
    downgrade: 0.001,
    addProduct: 0.01,
    dropProduct: 0.004,
  },
};

function monthsPerInterval(interval: DemoInterval): number {
  return interval === "year" ? 12 : 1;
}

/** Simulates one account's subscription service periods from acquisition to asOf. */
export function simulateHistory(input: HistoryInput, rng: Rng): HistoryResult {
  const { accountId, profile, asOf, amounts } = input;
  const currency = profile.currency;
  const rows: Subscription[] = [];
  let interval: DemoInterval = profile.interval;

  const price = (line: Line): Line => {
    line.plan = planId(line.product, line.edition, interval, currency);
    line.amount = amounts.get(line.plan) ?? 0;
    return line;
  };
  const mrrOf = (lines: readonly Line[]): number => {
    let total = 0;
    for (const l of lines)
      total += (l.amount * l.quantity * (1 - l.discountPct / 100)) / monthsPerInterval(interval);
    return total;
  };
  const emit = (line: Line, end: DayKey | null, trial = false): void => {
    rows.push({
      id: input.nextSubscriptionId(),
      accountId,
      plan: line.plan,
      startDate: keyToIso(line.start),
      endDate: end === null ? null : keyToIso(end),
      amount: line.amount,
      currency,
      interval,
      quantity: line.quantity,
      discountPct: trial ? 0 : line.discountPct,
      trial,
    });
  };

  const result: HistoryResult = {
    rows,
    firstPaidStart: null,
    firstMrr: 0,
    startProducts: profile.products.length,
    active: false,
    inTrial: false,
    churnedAt: null,
    reactivations: 0,
    stretchStart: null,
    stretchStartMrr: 0,
    currentMrr: 0,
    currentProducts: 0,
  };

  let lines: Line[] = profile.products.map((product) =>
    price({
      product,
      edition: profile.edition,
      plan: "",
      amount: 0,
      quantity: profile.seats,
      discountPct: profile.discountPct,
      start: input.acquired,
    }),
  );

  let paidStart = input.acquired;
  if (profile.trial !== "none") {
    const trialEnd = addDays(input.acquired, TRIAL_DAYS);
    // Conversions land on day ≤ 28 so that monthly renewals never need clamping.
    paidStart = dayOf(trialEnd) > 28 ? makeKey(monthIndexOf(trialEnd) + 1, 1) : trialEnd;
    const end = profile.trial === "lost" ? trialEnd : paidStart;
    for (const line of lines) emit(line, end, true);
    if (profile.trial === "lost" || paidStart > asOf) {
      result.inTrial = end > asOf;
      return result;
    }
    for (const line of lines) line.start = paidStart;
  }

  result.firstPaidStart = paidStart;
  result.firstMrr = mrrOf(lines);
  result.stretchStart = paidStart;
  result.stretchStartMrr = result.firstMrr;

  const rates = EVENT_RATES[profile.tier];
  let stretchStart = paidStart;
  let k = 1;
  for (;;) {
    const step = monthsPerInterval(interval);
    const checkpoint = addMonths(stretchStart, k * step);
    if (checkpoint > asOf) {
      // Annual rows keep their contracted end; monthly rows stay open-ended.
      for (const line of lines) emit(line, interval === "year" ? checkpoint : null);
      result.active = true;
      result.currentMrr = mrrOf(lines);
      result.currentProducts = lines.length;
      return result;
    }
    const tenure = k * step;
    let hazard = BASE_CHURN[profile.tier] * (BUNDLE_CHURN[lines.length - 1] ?? 1);
    if (tenure <= 3) hazard *= 1.6;
    if (profile.partner) hazard *= 0.3;
    const churnProbability = interval === "year" ? 1 - (1 - 0.75 * hazard) ** 12 : hazard;

    if (rng.chance(churnProbability)) {
      for (const line of lines) emit(line, checkpoint);
      result.churnedAt = checkpoint;
      const gap = rng.int(2, 14);
      const comeback = addMonths(checkpoint, gap);
      if (result.reactivations >= 2 || comeback > asOf || !rng.chance(REACTIVATION[profile.tier]))
        return result;
      // Returning customers usually come back smaller, often on one product and monthly billing.
      result.reactivations++;
      interval = rng.chance(0.6) ? "month" : interval;
      const keep = rng.chance(0.7) ? lines.slice(0, 1) : lines;
      lines = keep.map((l) =>
        price({
          ...l,
          quantity: Math.max(1, Math.round(l.quantity * rng.float(0.5, 1))),
          discountPct: profile.partner ? 100 : 0,
          start: comeback,
        }),
      );
      stretchStart = comeback;
      result.stretchStart = comeback;
      result.stretchStartMrr = mrrOf(lines);
      result.churnedAt = null;
      k = 1;
      continue;
    }

    const event = pickEvent(rng, rates, lines, interval);
    if (interval === "year" || event !== null) {
      lines = applyEvent(rng, event, lines, checkpoint, emit, price, interval === "year");
    }
    k++;
  }
}

function pickEvent(
  rng: Rng,
  rates: Readonly<Record<EventKind, number>>,
  lines: readonly Line[],
  interval: DemoInterval,
): EventKind | null {
  const first = lines[0];
  if (!first) return null;
  const options: [EventKind, number][] = [["seatUp", rates.seatUp]];
  if (first.quantity > 1) options.push(["seatDown", rates.seatDown]);
  if (first.edition !== "enterprise") options.push(["upgrade", rates.upgrade]);
  if (first.edition !== "starter") options.push(["downgrade", rates.downgrade]);
  if (lines.length < DEMO_PRODUCTS.length) options.push(["addProduct", rates.addProduct]);
  if (lines.length > 1) options.push(["dropProduct", rates.dropProduct]);
  let total = 0;
  for (const [, r] of options) total += r;
  // Annual contracts change only at renewal, so a year's worth of chances lands on that date.
  const p = interval === "year" ? 1 - (1 - total) ** 12 : total;
  if (!rng.chance(p)) return null;
  return rng.weighted(options);
}

/**
 * Closes the rows an event touches at `at` and reopens them with the new terms.
 * With `renewAll` (annual renewal) every line gets a new row even when unchanged.
 */
function applyEvent(
  rng: Rng,
  event: EventKind | null,
  lines: Line[],
  at: DayKey,
  emit: (line: Line, end: DayKey | null) => void,
  price: (line: Line) => Line,
  renewAll: boolean,
): Line[] {
  const next: Line[] = lines.map((l) => ({ ...l }));
  const changed = new Set<number>();
  const editionShift = (edition: Edition, by: number): Edition =>
    EDITIONS[Math.min(EDITIONS.length - 1, Math.max(0, EDITIONS.indexOf(edition) + by))] ?? edition;

  switch (event) {
    case "seatUp": {
      const i = rng.int(0, next.length - 1);
      const line = next[i];
      if (line) {
        line.quantity = Math.max(line.quantity + 1, Math.round(line.quantity * rng.float(1.1, 1.6)));
        changed.add(i);
      }
      break;
    }
    case "seatDown": {
      next.forEach((line, i) => {
        if (line.quantity > 1) {
          line.quantity = Math.max(
            1,
            Math.min(line.quantity - 1, Math.round(line.quantity * rng.float(0.6, 0.9))),
          );
          changed.add(i);
        }
      });
      break;
    }
    case "upgrade":
    case "downgrade":
      next.forEach((line, i) => {
        line.edition = editionShift(line.edition, event === "upgrade" ? 1 : -1);
        price(line);
        changed.add(i);
      });
      break;
    case "addProduct": {
      const owned = new Set(next.map((l) => l.product));
      const candidate = DEMO_PRODUCTS.find((p) => !owned.has(p.id));
      const base = next[0];
      if (candidate && base) {
        next.push(
          price({
            product: candidate.id,
            edition: base.edition,
            plan: "",
            amount: 0,
            quantity: Math.max(1, Math.round(base.quantity * rng.float(0.4, 1))),
            discountPct: base.discountPct,
            start: at,
          }),
        );
      }
      break;
    }
    case "dropProduct": {
      // The primary product stays; one of the others goes.
      const i = rng.int(1, next.length - 1);
      const dropped = lines[i];
      if (dropped) emit(dropped, at);
      next.splice(i, 1);
      lines = lines.filter((_, j) => j !== i);
      break;
    }
    case null:
      break;
  }

  lines.forEach((old, i) => {
    if (!renewAll && !changed.has(i)) return;
    emit(old, at);
    const line = next[i];
    if (line) line.start = at;
  });
  return next;
}
