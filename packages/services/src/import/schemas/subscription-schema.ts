import type { Subscription } from "@tenure/core";
import { z } from "zod";
import {
  currency,
  discountPct,
  flag,
  interval,
  optionalDate,
  quantity,
  requiredAmount,
  requiredDate,
  requiredText,
  textOr,
} from "../fields";
import type { KindDefinition } from "../kind-definition";

const row = z
  .object({
    account_id: requiredText("account_id"),
    subscription_id: requiredText("subscription_id"),
    plan: textOr(""),
    start_date: requiredDate("start_date"),
    end_date: optionalDate(),
    amount: requiredAmount(),
    currency: currency(),
    interval: interval("month"),
    quantity: quantity(),
    discount_pct: discountPct(),
    trial: flag(),
    $implied_interval: z.string().optional(),
  })
  .superRefine((r, ctx) => {
    if (r.end_date !== null && r.end_date <= r.start_date) {
      ctx.addIssue({ code: "custom", path: ["end_date"], message: "end_date must be after start_date" });
    }
    if (r.$implied_interval !== undefined && r.interval !== r.$implied_interval) {
      ctx.addIssue({
        code: "custom",
        path: ["interval"],
        message: `a monthly amount column (mrr, monthly_amount) needs interval ${r.$implied_interval}`,
      });
    }
  })
  .transform(
    (r): Subscription => ({
      id: r.subscription_id,
      accountId: r.account_id,
      plan: r.plan,
      startDate: r.start_date,
      endDate: r.end_date,
      amount: r.amount,
      currency: r.currency,
      interval: r.interval,
      quantity: r.quantity,
      discountPct: r.discount_pct,
      trial: r.trial,
    }),
  );

/** Subscriptions: one row per service period (see docs/import.md for the aliases). */
export const subscriptionKind: KindDefinition<Subscription> = {
  kind: "subscriptions",
  columns: [
    "account_id",
    "subscription_id",
    "plan",
    "start_date",
    "end_date",
    "amount",
    "currency",
    "interval",
    "quantity",
    "discount_pct",
    "trial",
  ],
  aliases: {
    customer_id: "account_id",
    customer: "account_id",
    account: "account_id",
    id: "subscription_id",
    subscription: "subscription_id",
    plan_id: "plan",
    plan_name: "plan",
    product: "plan",
    start: "start_date",
    started_at: "start_date",
    period_start: "start_date",
    end: "end_date",
    ended_at: "end_date",
    period_end: "end_date",
    cancel_date: "end_date",
    monthly_amount: "amount",
    mrr: "amount",
    price: "amount",
    unit_amount: "amount",
    amount_per_interval: "amount",
    billing_interval: "interval",
    billing_period: "interval",
    period: "interval",
    qty: "quantity",
    seats: "quantity",
    units: "quantity",
    discount: "discount_pct",
    discount_percent: "discount_pct",
    is_trial: "trial",
  },
  implies: {
    monthly_amount: { column: "$implied_interval", value: "month" },
    mrr: { column: "$implied_interval", value: "month" },
  },
  extraColumns: "ignore",
  schema: row,
  keyOf: (s) => s.id,
  keyColumn: "subscription_id",
  accountIdOf: (s) => s.accountId,
  // MRR and renewal dates show in the list: the rows' accounts, and the old account of a moved subscription.
  listedAccounts: async (tx, ws, rows) => [
    ...new Set([
      ...rows.map((s) => s.accountId),
      ...(await tx.subscriptions.accountIdsOf(
        ws,
        rows.map((s) => s.id),
      )),
    ]),
  ],
  write: (tx, ws, rows, onProgress) => tx.subscriptions.upsertMany(ws, rows, { onProgress }),
};
