import type { Plan } from "@tenure/core";
import { z } from "zod";
import { interval, optionalAmount, optionalCurrency, optionalText, requiredText } from "../fields";
import type { KindDefinition } from "../kind-definition";

const row = z
  .object({
    plan_id: requiredText("plan_id"),
    product_id: requiredText("product_id"),
    name: optionalText(),
    interval: interval(null),
    amount: optionalAmount(),
    currency: optionalCurrency(),
  })
  .transform(
    (r): Plan => ({
      id: r.plan_id,
      productId: r.product_id,
      name: r.name ?? r.plan_id,
      interval: r.interval,
      amount: r.amount,
      currency: r.currency,
    }),
  );

/** Plans (price points of products); a nameless plan is named by its id. */
export const planKind: KindDefinition<Plan> = {
  kind: "plans",
  columns: ["plan_id", "product_id", "name", "interval", "amount", "currency"],
  aliases: {
    id: "plan_id",
    plan: "plan_id",
    product: "product_id",
    plan_name: "name",
    billing_interval: "interval",
    billing_period: "interval",
    period: "interval",
    price: "amount",
    unit_amount: "amount",
  },
  extraColumns: "ignore",
  schema: row,
  keyOf: (p) => p.id,
  keyColumn: "plan_id",
  write: (tx, ws, rows, onProgress) => tx.plans.upsertMany(ws, rows, { onProgress }),
};
