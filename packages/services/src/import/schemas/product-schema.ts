import type { Product } from "@tenure/core";
import { z } from "zod";
import { requiredText } from "../fields";
import type { KindDefinition } from "../kind-definition";

const row = z
  .object({ product_id: requiredText("product_id"), name: requiredText("name") })
  .transform((r): Product => ({ id: r.product_id, name: r.name }));

/** Products. */
export const productKind: KindDefinition<Product> = {
  kind: "products",
  columns: ["product_id", "name"],
  aliases: { id: "product_id", product: "product_id", product_name: "name" },
  extraColumns: "ignore",
  schema: row,
  keyOf: (p) => p.id,
  keyColumn: "product_id",
  write: (tx, ws, rows, onProgress) => tx.products.upsertMany(ws, rows, { onProgress }),
};
