import type { Kysely } from "kysely";

/**
 * Renewals and advocacy: the workspace's churn-reason taxonomy (each reason manageable or not),
 * recorded renewal outcomes (one per account and renewal date), save campaigns with their cost and the
 * accounts they worked, and referrals (advocate account → referred account). NPS and CSAT answers are
 * timeline entries (types nps and csat), as NPS already was. Frozen: never edit, add a new migration.
 */
// biome-ignore lint/suspicious/noExplicitAny: migrations are frozen in time and must not depend on today's schema types.
export async function up(db: Kysely<any>): Promise<void> {
  await db.schema
    .createTable("churn_reasons")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("key", "text", (c) => c.notNull())
    .addColumn("label_en", "text", (c) => c.notNull())
    .addColumn("label_zh", "text", (c) => c.notNull())
    .addColumn("manageable", "boolean", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addColumn("active", "boolean", (c) => c.notNull())
    .addPrimaryKeyConstraint("churn_reasons_pk", ["workspace_id", "key"])
    .execute();
  await db.schema
    .createTable("save_campaigns")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("name", "text", (c) => c.notNull())
    .addColumn("started_on", "text", (c) => c.notNull())
    .addColumn("ended_on", "text")
    .addColumn("cost", "double precision", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("save_campaigns_pk", ["workspace_id", "id"])
    .execute();
  await db.schema
    .createTable("save_campaign_accounts")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("campaign_id", "text", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("at_risk_arr", "double precision", (c) => c.notNull())
    .addColumn("added_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("save_campaign_accounts_pk", ["workspace_id", "campaign_id", "account_id"])
    .execute();
  await db.schema
    .createTable("renewal_outcomes")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("account_id", "text", (c) => c.notNull())
    .addColumn("renewal_date", "text", (c) => c.notNull())
    .addColumn("outcome", "text", (c) => c.notNull())
    .addColumn("arr_before", "double precision", (c) => c.notNull())
    .addColumn("arr_after", "double precision", (c) => c.notNull())
    .addColumn("reason_key", "text")
    .addColumn("note", "text")
    .addColumn("recorded_by", "text")
    .addColumn("recorded_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("renewal_outcomes_pk", ["workspace_id", "id"])
    .addUniqueConstraint("renewal_outcomes_account_date", ["workspace_id", "account_id", "renewal_date"])
    .execute();
  await db.schema
    .createIndex("renewal_outcomes_date_idx")
    .on("renewal_outcomes")
    .columns(["workspace_id", "renewal_date"])
    .execute();
  await db.schema
    .createTable("referrals")
    .addColumn("workspace_id", "text", (c) => c.notNull())
    .addColumn("id", "text", (c) => c.notNull())
    .addColumn("advocate_account_id", "text", (c) => c.notNull())
    .addColumn("referred_account_id", "text")
    .addColumn("referred_name", "text", (c) => c.notNull())
    .addColumn("referred_on", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) => c.notNull())
    .addColumn("referred_arr", "double precision", (c) => c.notNull())
    .addColumn("note", "text")
    .addColumn("created_at", "text", (c) => c.notNull())
    .addPrimaryKeyConstraint("referrals_pk", ["workspace_id", "id"])
    .execute();
  await db.schema
    .createIndex("referrals_advocate_idx")
    .on("referrals")
    .columns(["workspace_id", "advocate_account_id"])
    .execute();
}
