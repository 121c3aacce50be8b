import type { LifecycleStage } from "@tenure/core";
import type { AccountStageHistoryTable } from "../schema";
import { chunksFor, type RepositoryContext } from "./repository-context";

export type StageSource = "import" | "rule" | "manual";

/** One entry of an account's lifecycle-stage history. */
export interface StageHistoryEntry {
  accountId: string;
  stage: LifecycleStage;
  enteredAt: string;
  source: StageSource;
  note: string | null;
}

export interface StageHistoryRepository {
  /** The account's stage changes, oldest first. */
  list(workspaceId: string, accountId: string): Promise<StageHistoryEntry[]>;
}

/** Appends history rows in parameter-safe chunks (used by the account repository). */
export async function insertStageHistory(
  ctx: RepositoryContext,
  rows: readonly AccountStageHistoryTable[],
): Promise<void> {
  for (const chunk of chunksFor(ctx.adapter, rows, 7)) {
    await ctx.db.insertInto("account_stage_history").values(chunk).execute();
  }
}

export function createStageHistoryRepository(ctx: RepositoryContext): StageHistoryRepository {
  return {
    async list(workspaceId, accountId) {
      const rows = await ctx.db
        .selectFrom("account_stage_history")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("account_id", "=", accountId)
        .orderBy("entered_at")
        .orderBy("id")
        .execute();
      return rows.map((r) => ({
        accountId: r.account_id,
        stage: r.stage as LifecycleStage,
        enteredAt: r.entered_at,
        source: r.source as StageSource,
        note: r.note,
      }));
    },
  };
}
