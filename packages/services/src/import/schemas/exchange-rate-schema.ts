import type { ExchangeRate } from "@tenure/core";
import { z } from "zod";
import { positiveNumber, requiredCurrency, requiredDate } from "../fields";
import type { KindDefinition } from "../kind-definition";

const row = z
  .object({ date: requiredDate("date"), currency: requiredCurrency(), rate: positiveNumber("rate") })
  .transform((r): ExchangeRate => ({ ...r }));

/** Exchange rates: from `date`, 1 unit of `currency` = `rate` units of the reporting currency. */
export const exchangeRateKind: KindDefinition<ExchangeRate> = {
  kind: "exchange-rates",
  columns: ["date", "currency", "rate"],
  aliases: { from: "date", valid_from: "date", effective_date: "date", code: "currency" },
  extraColumns: "ignore",
  schema: row,
  keyOf: (r) => `${r.date} ${r.currency}`,
  keyColumn: "currency",
  write: (tx, ws, rows, onProgress) => tx.exchangeRates.upsertMany(ws, rows, { onProgress }),
};
