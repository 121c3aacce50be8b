import type { PredictionModelTable, PredictionTable } from "../schema";
import { atomically, chunksFor, type RepositoryContext } from "./repository-context";

/** A stored model: the classifier JSON and its backtest report. */
export interface PredictionModelRecord {
  id: string;
  target: string;
  kind: string;
  asOf: string;
  trainedAt: string;
  model: unknown;
  backtest: unknown;
}

/** A renewal backtest computed for a churn model (result: the service's JSON). */
export interface RenewalBacktestRecord {
  modelId: string;
  asOf: string;
  computedAt: string;
  result: unknown;
}

/** One account's latest probability for a target, with its reasons (JSON). */
export interface PredictionRecord {
  accountId: string;
  target: string;
  modelId: string;
  probability: number;
  reasons: unknown;
  createdAt: string;
}

export interface PredictionRepository {
  /** Stores a trained model (ids are unique per workspace). */
  saveModel(workspaceId: string, record: PredictionModelRecord): Promise<void>;
  /** The most recently trained model of a target, or null. */
  latestModel(workspaceId: string, target: string): Promise<PredictionModelRecord | null>;
  /** Replaces every prediction of `target` with `rows` in one transaction. */
  replace(workspaceId: string, target: string, rows: readonly PredictionRecord[]): Promise<void>;
  /** Predictions of a target, highest probability first; `ownerId`: only that member's accounts. */
  list(workspaceId: string, target: string, limit?: number, ownerId?: string): Promise<PredictionRecord[]>;
  /** Every target's prediction for one account. */
  forAccount(workspaceId: string, accountId: string): Promise<PredictionRecord[]>;
  /** Stores (or replaces) the renewal backtest computed for a model. */
  saveRenewalBacktest(workspaceId: string, record: RenewalBacktestRecord): Promise<void>;
  /** The most recently computed renewal backtest, or null. */
  latestRenewalBacktest(workspaceId: string): Promise<RenewalBacktestRecord | null>;
}

const COLUMNS = 7;

export function createPredictionRepository(ctx: RepositoryContext): PredictionRepository {
  const { adapter } = ctx;
  const modelFromRow = (r: PredictionModelTable): PredictionModelRecord => ({
    id: r.id,
    target: r.target,
    kind: r.kind,
    asOf: r.as_of,
    trainedAt: r.trained_at,
    model: adapter.decodeJson(r.model),
    backtest: adapter.decodeJson(r.backtest),
  });
  const fromRow = (r: PredictionTable): PredictionRecord => ({
    accountId: r.account_id,
    target: r.target,
    modelId: r.model_id,
    probability: adapter.parseNumber(r.probability),
    reasons: adapter.decodeJson(r.reasons),
    createdAt: r.created_at,
  });
  return {
    async saveModel(workspaceId, m) {
      await ctx.db
        .insertInto("prediction_models")
        .values({
          workspace_id: workspaceId,
          id: m.id,
          target: m.target,
          kind: m.kind,
          as_of: m.asOf,
          trained_at: m.trainedAt,
          model: adapter.encodeJson(m.model),
          backtest: adapter.encodeJson(m.backtest),
        })
        .execute();
    },

    async latestModel(workspaceId, target) {
      const row = await ctx.db
        .selectFrom("prediction_models")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("target", "=", target)
        .orderBy("trained_at", "desc")
        .orderBy("id", "desc")
        .limit(1)
        .executeTakeFirst();
      return row === undefined ? null : modelFromRow(row);
    },

    async replace(workspaceId, target, rows) {
      await atomically(ctx, async (db) => {
        await db
          .deleteFrom("predictions")
          .where("workspace_id", "=", workspaceId)
          .where("target", "=", target)
          .execute();
        for (const chunk of chunksFor(adapter, rows, COLUMNS)) {
          await db
            .insertInto("predictions")
            .values(
              chunk.map((r) => ({
                workspace_id: workspaceId,
                target,
                account_id: r.accountId,
                model_id: r.modelId,
                probability: r.probability,
                reasons: adapter.encodeJson(r.reasons),
                created_at: r.createdAt,
              })),
            )
            .execute();
        }
      });
    },

    async list(workspaceId, target, limit, ownerId) {
      let q = ctx.db
        .selectFrom("predictions")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("target", "=", target)
        .$if(ownerId !== undefined, (qb) =>
          qb.where("account_id", "in", (eb) =>
            eb
              .selectFrom("accounts")
              .select("accounts.id")
              .where("accounts.workspace_id", "=", workspaceId)
              .where("accounts.owner_id", "=", ownerId ?? ""),
          ),
        )
        .orderBy("probability", "desc")
        .orderBy("account_id");
      if (limit !== undefined) q = q.limit(limit);
      return (await q.execute()).map(fromRow);
    },

    async forAccount(workspaceId, accountId) {
      const rows = await ctx.db
        .selectFrom("predictions")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("account_id", "=", accountId)
        .orderBy("target")
        .execute();
      return rows.map(fromRow);
    },

    async saveRenewalBacktest(workspaceId, r) {
      await atomically(ctx, async (db) => {
        await db
          .deleteFrom("renewal_backtests")
          .where("workspace_id", "=", workspaceId)
          .where("model_id", "=", r.modelId)
          .execute();
        await db
          .insertInto("renewal_backtests")
          .values({
            workspace_id: workspaceId,
            model_id: r.modelId,
            as_of: r.asOf,
            computed_at: r.computedAt,
            result: adapter.encodeJson(r.result),
          })
          .execute();
      });
    },

    async latestRenewalBacktest(workspaceId) {
      const row = await ctx.db
        .selectFrom("renewal_backtests")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .orderBy("computed_at", "desc")
        .orderBy("model_id", "desc")
        .limit(1)
        .executeTakeFirst();
      return row === undefined
        ? null
        : {
            modelId: row.model_id,
            asOf: row.as_of,
            computedAt: row.computed_at,
            result: adapter.decodeJson(row.result),
          };
    },
  };
}
