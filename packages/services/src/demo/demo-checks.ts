import { CONTACT_ROLES, LIFECYCLE_STAGES, type Subscription } from "@tenure/core";
import { isIsoDate } from "./calendar";
import type { DemoCompany } from "./generate-demo-company";

// Test support for the demo generator's tests: plain checks over generated data.

/** Simple MRR of a row, in its own currency (trials and 100% discounts are 0). */
export function rowMrr(s: Subscription): number {
  if (s.trial) return 0;
  const months = s.interval === "year" ? 12 : s.interval === "quarter" ? 3 : 1;
  return (s.amount * s.quantity * (1 - s.discountPct / 100)) / months;
}

/** Lexicographic minimum of ISO dates (they sort as strings). */
export function earliest(dates: readonly string[], fallback: string): string {
  let min = fallback;
  for (const d of dates) if (d < min) min = d;
  return min;
}

export const activeOn = (s: Subscription, date: string): boolean =>
  s.startDate <= date && (s.endDate === null || s.endDate > date);

export function rowsByAccount(c: DemoCompany): Map<string, Subscription[]> {
  const map = new Map<string, Subscription[]>();
  for (const s of c.subscriptions) {
    const list = map.get(s.accountId) ?? [];
    list.push(s);
    map.set(s.accountId, list);
  }
  return map;
}

export function productOf(c: DemoCompany): (s: Subscription) => string {
  const plans = new Map(c.plans.map((p) => [p.id, p.productId]));
  return (s) => plans.get(s.plan) ?? "?";
}

/** Every rule a generated record must satisfy; returns the problems found (at most 20). */
export function problems(c: DemoCompany, asOf: string): string[] {
  const out: string[] = [];
  const fail = (msg: string) => {
    if (out.length < 20) out.push(msg);
  };
  const unique = (label: string, ids: string[]) => {
    if (new Set(ids).size !== ids.length) fail(`${label} ids are not unique`);
  };
  unique(
    "account",
    c.accounts.map((a) => a.id),
  );
  unique(
    "contact",
    c.contacts.map((x) => x.id),
  );
  unique(
    "subscription",
    c.subscriptions.map((s) => s.id),
  );
  unique(
    "plan",
    c.plans.map((p) => p.id),
  );
  unique(
    "product",
    c.products.map((p) => p.id),
  );
  unique(
    "account name",
    c.accounts.map((a) => a.name),
  );

  const accountIds = new Set(c.accounts.map((a) => a.id));
  const products = new Set(c.products.map((p) => p.id));
  const plans = new Map(c.plans.map((p) => [p.id, p]));
  for (const p of c.plans) {
    if (!products.has(p.productId)) fail(`plan ${p.id}: unknown product`);
    if (p.amount === null || !(p.amount > 0)) fail(`plan ${p.id}: amount ${p.amount}`);
  }
  for (const s of c.subscriptions) {
    const plan = plans.get(s.plan);
    if (!accountIds.has(s.accountId)) fail(`${s.id}: unknown account ${s.accountId}`);
    if (!plan) fail(`${s.id}: unknown plan ${s.plan}`);
    else if (plan.currency !== s.currency || plan.interval !== s.interval || plan.amount !== s.amount) {
      fail(`${s.id}: terms differ from plan ${s.plan}`);
    }
    if (!isIsoDate(s.startDate)) fail(`${s.id}: bad startDate ${s.startDate}`);
    if (s.startDate > asOf) fail(`${s.id}: starts after asOf`);
    if (s.endDate !== null && (!isIsoDate(s.endDate) || s.endDate <= s.startDate)) {
      fail(`${s.id}: bad endDate ${s.endDate}`);
    }
    if (!Number.isInteger(s.quantity) || s.quantity < 1) fail(`${s.id}: quantity ${s.quantity}`);
    if (!(s.discountPct >= 0 && s.discountPct <= 100)) fail(`${s.id}: discount ${s.discountPct}`);
    if (!["USD", "EUR", "CNY"].includes(s.currency)) fail(`${s.id}: currency ${s.currency}`);
    if (!(s.amount > 0)) fail(`${s.id}: amount ${s.amount}`);
  }
  // No two rows of the same product (hence of the same plan) overlap within an account.
  const product = productOf(c);
  for (const [accountId, rows] of rowsByAccount(c)) {
    const byProduct = new Map<string, Subscription[]>();
    for (const r of rows) byProduct.set(product(r), [...(byProduct.get(product(r)) ?? []), r]);
    for (const [p, list] of byProduct) {
      list.sort((a, b) => (a.startDate < b.startDate ? -1 : 1));
      for (let i = 1; i < list.length; i++) {
        const prev = list[i - 1];
        const cur = list[i];
        if (prev && cur && (prev.endDate === null || prev.endDate > cur.startDate)) {
          fail(`${accountId}/${p}: ${prev.id} overlaps ${cur.id}`);
        }
      }
    }
  }

  const rows = rowsByAccount(c);
  const contactCount = new Map<string, number>();
  for (const x of c.contacts) {
    contactCount.set(x.accountId, (contactCount.get(x.accountId) ?? 0) + 1);
    if (!accountIds.has(x.accountId)) fail(`${x.id}: unknown account`);
    if (x.role !== null && !CONTACT_ROLES.includes(x.role)) fail(`${x.id}: role ${x.role}`);
    if (x.email === null || !/^[a-z0-9.]+@[a-z0-9]+\.[a-z]+$/.test(x.email))
      fail(`${x.id}: email ${x.email}`);
    if (x.lastTouchAt !== null && (!isIsoDate(x.lastTouchAt) || x.lastTouchAt > asOf)) {
      fail(`${x.id}: lastTouchAt ${x.lastTouchAt}`);
    }
  }
  for (const a of c.accounts) {
    const n = contactCount.get(a.id) ?? 0;
    if (n < 1 || n > 6) fail(`${a.id}: ${n} contacts`);
    const list = rows.get(a.id) ?? [];
    if (list.length === 0) fail(`${a.id}: no subscription rows`);
    if (a.lifecycleStage === null || !LIFECYCLE_STAGES.includes(a.lifecycleStage)) fail(`${a.id}: stage`);
    const live = list.some((s) => activeOn(s, asOf));
    if ((a.lifecycleStage === "churned") === live)
      fail(`${a.id}: stage ${a.lifecycleStage} but live=${live}`);
  }

  const months = new Set(c.spend.map((s) => s.month));
  for (const r of c.exchangeRates) {
    if (!isIsoDate(r.date) || !r.date.endsWith("-01") || r.date > asOf) fail(`rate date ${r.date}`);
    if (!(r.rate > 0)) fail(`rate ${r.rate}`);
    if (!months.has(r.date.slice(0, 7))) fail(`rate month ${r.date} outside the spend span`);
  }
  for (const s of c.spend) {
    if (!/^\d{4}-(0[1-9]|1[0-2])$/.test(s.month) || s.month > asOf.slice(0, 7))
      fail(`spend month ${s.month}`);
    if (!Number.isFinite(s.amount) || s.amount < 0 || s.currency !== "USD")
      fail(`spend ${JSON.stringify(s)}`);
  }
  const firstRow = earliest(
    c.subscriptions.map((s) => s.startDate),
    asOf,
  );
  const firstRate = earliest(
    c.exchangeRates.map((r) => r.date),
    asOf,
  );
  if (firstRate > firstRow) fail(`rates start ${firstRate} after the first subscription ${firstRow}`);
  return out;
}
