import type { ExchangeRate } from "@tenure/core";
import type { ExchangeRateTable } from "../schema";
import {
  excluded,
  type RepositoryContext,
  type UpsertOptions,
  type UpsertResult,
  upsertByDiff,
} from "./repository-context";

export interface ExchangeRateRepository {
  upsertMany(
    workspaceId: string,
    rows: readonly ExchangeRate[],
    options?: UpsertOptions,
  ): Promise<UpsertResult>;
  /** Every rate of the workspace, ordered by currency then date. */
  list(workspaceId: string): Promise<ExchangeRate[]>;
}

const keyOf = (r: ExchangeRate) => `${r.date}\u0000${r.currency}`;

export function createExchangeRateRepository(ctx: RepositoryContext): ExchangeRateRepository {
  const { adapter } = ctx;
  const toRow = (workspaceId: string, r: ExchangeRate): ExchangeRateTable => ({
    workspace_id: workspaceId,
    date: r.date,
    currency: r.currency,
    rate: r.rate,
  });
  const fromRow = (r: ExchangeRateTable): ExchangeRate => ({
    date: r.date,
    currency: r.currency,
    rate: adapter.parseNumber(r.rate),
  });
  const list = async (workspaceId: string) => {
    const rows = await ctx.db
      .selectFrom("exchange_rates")
      .selectAll()
      .where("workspace_id", "=", workspaceId)
      .orderBy("currency")
      .orderBy("date")
      .execute();
    return rows.map(fromRow);
  };

  return {
    async upsertMany(workspaceId, rows, options = {}) {
      const incoming = rows.map((r) => fromRow(toRow(workspaceId, r)));
      return upsertByDiff(
        ctx,
        {
          incoming,
          keyOf,
          loadExisting: (db) =>
            // Rate tables are small (days x currencies): comparing against the whole workspace is fine.
            createExchangeRateRepository({ ...ctx, db }).list(workspaceId),
          columnsPerRow: 4,
          writeChunk: (db, chunk) =>
            db
              .insertInto("exchange_rates")
              .values(chunk.map((r) => toRow(workspaceId, r)))
              .onConflict((oc) =>
                oc.columns(["workspace_id", "date", "currency"]).doUpdateSet(excluded(["rate"] as const)),
              )
              .execute(),
        },
        options,
      );
    },
    list,
  };
}
