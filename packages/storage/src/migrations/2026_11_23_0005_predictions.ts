import type { Kysely } from "kysely";

/**
 * Churn and expansion predictions. Frozen: never edit, add a new migration instead.
 * prediction_models keeps every trained model (JSON) with its backtest; predictions holds the latest
 * probability per account and target (replaced by each training run).
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("prediction_models")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("target", "text", (c) => c.notNull())
    .addColumn("kind", "text", (c) => c.notNull())
    .addColumn("as_of", "text", (c) => c.notNull())
    .addColumn("trained_at", "text", (c) => c.notNull())
    .addColumn("model", "text", (c) => c.notNull())
    .addColumn("backtest", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("prediction_models_pk", ["workspace_id", "id"])
    .execute();
  await db.schema
    .createIndex("prediction_models_target_idx")
    .on("prediction_models")
    .columns(["workspace_id", "target", "trained_at"])
    .execute();

  await db.schema
    .createTable("predictions")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("target", "text", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("model_id", "text", (c) => c.notNull())
    .addColumn("probability", "double precision", (c) => c.notNull())
    .addColumn("reasons", "text", (c) => c.notNull())
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("predictions_pk", ["workspace_id", "target", "account_id"])
    .execute();
  await db.schema
    .createIndex("predictions_probability_idx")
    .on("predictions")
    .columns(["workspace_id", "target", "probability"])
    .execute();
  await db.schema
    .createIndex("predictions_account_idx")
    .on("predictions")
    .columns(["workspace_id", "account_id"])
    .execute();
}
