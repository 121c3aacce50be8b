import { ALL_USAGE_EVENTS, type Entitlement } from "@tenure/core";
import { z } from "zod";
import {
  cellText,
  field,
  MAX_ALLOWANCE,
  optionalText,
  positiveNumber,
  requiredDate,
  requiredText,
} from "../fields";
import type { KindDefinition } from "../kind-definition";

// "*" or "all events" counts every usage event of the account (data volume, as seed 004's quota).
const ALL_SPELLINGS = new Set([ALL_USAGE_EVENTS, "all", "all events", "all_events", "any"]);

const metric = field((raw) => {
  const text = cellText(raw);
  if (!text.ok) return text;
  if (text.value === null)
    return { ok: false as const, reason: "metric is required (a usage event name, or *)" };
  return {
    ok: true as const,
    value: ALL_SPELLINGS.has(text.value.toLowerCase()) ? ALL_USAGE_EVENTS : text.value,
  };
});

const row = z
  .object({
    entitlement_id: optionalText(),
    account_id: requiredText("account_id"),
    subscription_id: optionalText(),
    metric,
    quantity: positiveNumber("quantity", MAX_ALLOWANCE),
    period_start: requiredDate("period_start"),
    period_end: requiredDate("period_end"),
  })
  .superRefine((r, ctx) => {
    if (r.period_end <= r.period_start)
      ctx.addIssue({
        code: "custom",
        path: ["period_end"],
        message: "period_end must be after period_start",
      });
  })
  .transform(
    (r): Entitlement => ({
      // Without an id, one allowance per account, metric and term start (re-importing updates it).
      id: r.entitlement_id ?? `${r.account_id}:${r.metric}:${r.period_start}`,
      accountId: r.account_id,
      subscriptionId: r.subscription_id,
      metric: r.metric,
      quantity: r.quantity,
      periodStart: r.period_start,
      periodEnd: r.period_end,
    }),
  );

/**
 * Entitlements (quotas): `quantity` units of a usage event (`metric`, or * for every event) over the
 * contract term [period_start, period_end); period_end is exclusive, like subscriptions' end_date.
 */
export const entitlementKind: KindDefinition<Entitlement> = {
  kind: "entitlements",
  columns: [
    "entitlement_id",
    "account_id",
    "subscription_id",
    "metric",
    "quantity",
    "period_start",
    "period_end",
  ],
  aliases: {
    id: "entitlement_id",
    quota_id: "entitlement_id",
    customer_id: "account_id",
    customer: "account_id",
    account: "account_id",
    subscription: "subscription_id",
    event: "metric",
    event_name: "metric",
    metered_event: "metric",
    meter: "metric",
    quota_event: "metric",
    quota_metric: "metric",
    quota: "quantity",
    entitlement: "quantity",
    entitled: "quantity",
    allowance: "quantity",
    included_units: "quantity",
    limit: "quantity",
    start: "period_start",
    start_date: "period_start",
    term_start: "period_start",
    contract_start: "period_start",
    end: "period_end",
    end_date: "period_end",
    term_end: "period_end",
    contract_end: "period_end",
  },
  extraColumns: "ignore",
  schema: row,
  keyOf: (e) => e.id,
  keyColumn: "entitlement_id",
  accountIdOf: (e) => e.accountId,
  write: (tx, ws, rows, onProgress) => tx.entitlements.upsertMany(ws, rows, { onProgress }),
};
