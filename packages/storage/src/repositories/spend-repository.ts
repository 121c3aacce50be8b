import type { AcquisitionSpend } from "@tenure/core";
import type { AcquisitionSpendTable } from "../schema";
import {
  excluded,
  type RepositoryContext,
  type UpsertOptions,
  type UpsertResult,
  upsertByDiff,
} from "./repository-context";

export interface SpendRepository {
  upsertMany(
    workspaceId: string,
    rows: readonly AcquisitionSpend[],
    options?: UpsertOptions,
  ): Promise<UpsertResult>;
  /** Every spend row of the workspace, ordered by month then channel. */
  list(workspaceId: string): Promise<AcquisitionSpend[]>;
}

const keyOf = (s: AcquisitionSpend) => `${s.month}\u0000${s.channel}`;

export function createSpendRepository(ctx: RepositoryContext): SpendRepository {
  const { adapter } = ctx;
  const toRow = (workspaceId: string, s: AcquisitionSpend): AcquisitionSpendTable => ({
    workspace_id: workspaceId,
    month: s.month,
    channel: s.channel,
    amount: s.amount,
    currency: s.currency,
  });
  const fromRow = (r: AcquisitionSpendTable): AcquisitionSpend => ({
    month: r.month,
    channel: r.channel,
    amount: adapter.parseNumber(r.amount),
    currency: r.currency,
  });
  const list = async (workspaceId: string) => {
    const rows = await ctx.db
      .selectFrom("acquisition_spend")
      .selectAll()
      .where("workspace_id", "=", workspaceId)
      .orderBy("month")
      .orderBy("channel")
      .execute();
    return rows.map(fromRow);
  };

  return {
    async upsertMany(workspaceId, rows, options = {}) {
      const incoming = rows.map((s) => fromRow(toRow(workspaceId, s)));
      return upsertByDiff(
        ctx,
        {
          incoming,
          keyOf,
          loadExisting: (db) =>
            // Spend is months x channels: comparing against the whole workspace is fine.
            createSpendRepository({ ...ctx, db }).list(workspaceId),
          columnsPerRow: 5,
          writeChunk: (db, chunk) =>
            db
              .insertInto("acquisition_spend")
              .values(chunk.map((s) => toRow(workspaceId, s)))
              .onConflict((oc) =>
                oc
                  .columns(["workspace_id", "month", "channel"])
                  .doUpdateSet(excluded(["amount", "currency"] as const)),
              )
              .execute(),
        },
        options,
      );
    },
    list,
  };
}
