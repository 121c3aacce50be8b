import type { AcquisitionSpend } from "@tenure/core";
import { z } from "zod";
import { currency, requiredAmount, requiredMonth, requiredText } from "../fields";
import type { KindDefinition } from "../kind-definition";

const row = z
  .object({
    month: requiredMonth("month"),
    channel: requiredText("channel"),
    amount: requiredAmount(),
    currency: currency(),
  })
  .transform((r): AcquisitionSpend => ({ ...r }));

/** Acquisition spend per month and channel. */
export const spendKind: KindDefinition<AcquisitionSpend> = {
  kind: "spend",
  columns: ["month", "channel", "amount", "currency"],
  aliases: { acquisition_channel: "channel", source: "channel", spend: "amount", cost: "amount" },
  extraColumns: "ignore",
  schema: row,
  keyOf: (s) => `${s.month} ${s.channel}`,
  keyColumn: "channel",
  write: (tx, ws, rows, onProgress) => tx.spend.upsertMany(ws, rows, { onProgress }),
};
