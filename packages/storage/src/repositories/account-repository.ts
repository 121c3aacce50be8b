import type { Account, CustomFieldValue, LifecycleStage } from "@tenure/core";
import type { Kysely } from "kysely";
import type { AccountTable, Database } from "../schema";
import type { AccountRange } from "./account-range";
import {
  atomically,
  chunksFor,
  diffByKey,
  excluded,
  loadByIds,
  monotonicId,
  nowIso,
  type RepositoryContext,
  readRows,
  type UpsertOptions,
  type UpsertResult,
} from "./repository-context";
import { insertStageHistory, type StageSource } from "./stage-history-repository";

const UPDATABLE = [
  "name",
  "crm_id",
  "billing_id",
  "tier",
  "segment",
  "industry",
  "region",
  "owner",
  "lifecycle_stage",
  "channel",
  "utm_source",
  "utm_medium",
  "utm_campaign",
  "tags",
  "custom_fields",
  "updated_at",
] as const;
const COLUMNS = 19;

export interface AccountUpsertOptions extends UpsertOptions {
  /** Source recorded in the stage history when the lifecycle stage changes (default "import"). */
  stageSource?: StageSource;
}

export interface AccountRepository {
  /** Inserts or updates accounts; appends a stage-history row whenever the lifecycle stage changes. */
  upsertMany(
    workspaceId: string,
    rows: readonly Account[],
    options?: AccountUpsertOptions,
  ): Promise<UpsertResult>;
  /** Every account id, in the database's id order (what AccountRange bounds compare with). */
  ids(workspaceId: string): Promise<string[]>;
  /** Accounts by id; only those in `range` when given. */
  list(workspaceId: string, range?: AccountRange): Promise<Account[]>;
  /** The accounts among `ids` that exist, in id order (reads only those, not the whole workspace). */
  byIds(workspaceId: string, ids: readonly string[]): Promise<Account[]>;
  /** Id → name of every account: what reports need to label rows, without the rest of the record. */
  names(workspaceId: string): Promise<Map<string, string>>;
  get(workspaceId: string, id: string): Promise<Account | null>;
  /** `get` with who owns the account (the member and team ids `team.ownership` gives), in one read. */
  getOwned(
    workspaceId: string,
    id: string,
  ): Promise<{
    account: Account;
    /** Where it sits in the books, as `team.accountBook` reads it (the access check needs no read of its own). */
    book: { ownerId: string | null; ownerMemberTeamId: string | null; poolTeamId: string | null };
  } | null>;
  count(workspaceId: string): Promise<number>;
  /** Creates `{ id, name: id }` for every id that has no account yet; returns the created ids. */
  ensureMinimal(workspaceId: string, ids: readonly string[]): Promise<string[]>;
}

/** A bare account, as created for a subscription or contact that names an unknown account. */
export function minimalAccount(id: string): Account {
  return {
    id,
    name: id,
    crmId: null,
    billingId: null,
    tier: null,
    segment: null,
    industry: null,
    region: null,
    owner: null,
    lifecycleStage: null,
    channel: null,
    utmSource: null,
    utmMedium: null,
    utmCampaign: null,
    tags: [],
    customFields: {},
  };
}

export function createAccountRepository(ctx: RepositoryContext): AccountRepository {
  const { adapter } = ctx;
  const toRow = (workspaceId: string, a: Account, now: string): AccountTable => ({
    workspace_id: workspaceId,
    id: a.id,
    name: a.name,
    crm_id: a.crmId,
    billing_id: a.billingId,
    tier: a.tier,
    segment: a.segment,
    industry: a.industry,
    region: a.region,
    owner: a.owner,
    lifecycle_stage: a.lifecycleStage,
    channel: a.channel,
    utm_source: a.utmSource,
    utm_medium: a.utmMedium,
    utm_campaign: a.utmCampaign,
    tags: adapter.encodeJson(a.tags),
    custom_fields: adapter.encodeJson(a.customFields),
    created_at: now,
    updated_at: now,
  });
  const fromRow = (r: AccountTable): Account => ({
    id: r.id,
    name: r.name,
    crmId: r.crm_id,
    billingId: r.billing_id,
    tier: r.tier,
    segment: r.segment,
    industry: r.industry,
    region: r.region,
    owner: r.owner,
    lifecycleStage: r.lifecycle_stage as LifecycleStage | null,
    channel: r.channel,
    utmSource: r.utm_source,
    utmMedium: r.utm_medium,
    utmCampaign: r.utm_campaign,
    tags: adapter.decodeJson(r.tags) as string[],
    customFields: adapter.decodeJson(r.custom_fields) as Record<string, CustomFieldValue>,
  });

  // Columns of `list`, in the order it reads them by position (spelled out so that reordering
  // UPDATABLE cannot shift them).
  const LIST_COLUMNS = [
    "id",
    "name",
    "crm_id",
    "billing_id",
    "tier",
    "segment",
    "industry",
    "region",
    "owner",
    "lifecycle_stage",
    "channel",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "tags",
    "custom_fields",
  ] as const;
  const decodeListRow = (r: unknown[]): Account => ({
    id: r[0] as string,
    name: r[1] as string,
    crmId: r[2] as string | null,
    billingId: r[3] as string | null,
    tier: r[4] as string | null,
    segment: r[5] as string | null,
    industry: r[6] as string | null,
    region: r[7] as string | null,
    owner: r[8] as string | null,
    lifecycleStage: r[9] as LifecycleStage | null,
    channel: r[10] as string | null,
    utmSource: r[11] as string | null,
    utmMedium: r[12] as string | null,
    utmCampaign: r[13] as string | null,
    tags: r[14] === "[]" ? [] : (adapter.decodeJson(r[14]) as string[]),
    customFields: r[15] === "{}" ? {} : (adapter.decodeJson(r[15]) as Record<string, CustomFieldValue>),
  });

  const selectByIds = (db: Kysely<Database>, workspaceId: string, ids: string[] | null) =>
    db
      .selectFrom("accounts")
      .selectAll()
      .where("workspace_id", "=", workspaceId)
      .$if(ids !== null, (q) => q.where("id", "in", ids ?? []))
      .execute();

  const readOne = (workspaceId: string, id: string) =>
    ctx.db
      .selectFrom("accounts")
      .selectAll()
      .where("workspace_id", "=", workspaceId)
      .where("id", "=", id)
      .executeTakeFirst();

  return {
    async upsertMany(workspaceId, rows, options = {}) {
      const now = nowIso();
      // Round-trip through the row codec so comparisons see what the database would hold.
      const incoming = rows.map((a) => fromRow(toRow(workspaceId, a, now)));
      return atomically(ctx, async (db) => {
        const existingRows = await loadByIds(
          { ...ctx, db },
          incoming.map((a) => a.id),
          (ids) => selectByIds(db, workspaceId, ids),
        );
        const existing = new Map(existingRows.map((r) => [r.id, fromRow(r)]));
        const diff = diffByKey(incoming, existing, (a) => a.id);
        const toWrite = [...diff.inserted, ...diff.updated.map((u) => u.next)];
        let done = 0;
        for (const chunk of chunksFor(adapter, toWrite, COLUMNS)) {
          await db
            .insertInto("accounts")
            .values(chunk.map((a) => toRow(workspaceId, a, now)))
            .onConflict((oc) => oc.columns(["workspace_id", "id"]).doUpdateSet(excluded(UPDATABLE)))
            .execute();
          done += chunk.length;
          options.onProgress?.(done, toWrite.length);
        }
        const stageChanges = [
          ...diff.inserted.filter((a) => a.lifecycleStage !== null),
          ...diff.updated
            .filter(
              (u) => u.next.lifecycleStage !== null && u.next.lifecycleStage !== u.previous.lifecycleStage,
            )
            .map((u) => u.next),
        ];
        await insertStageHistory(
          { ...ctx, db },
          stageChanges.map((a) => ({
            workspace_id: workspaceId,
            // Time-ordered, so stage changes made in the same millisecond list in order.
            id: monotonicId(),
            account_id: a.id,
            stage: a.lifecycleStage as string,
            entered_at: now,
            source: options.stageSource ?? "import",
            note: null,
          })),
        );
        return { inserted: diff.inserted.length, updated: diff.updated.length, unchanged: diff.unchanged };
      });
    },

    async list(workspaceId, range) {
      // Read as arrays: the health recompute lists every account, and row objects cost more than the read.
      const rows = await readRows(
        ctx,
        ctx.db
          .selectFrom("accounts")
          .select(LIST_COLUMNS)
          .where("workspace_id", "=", workspaceId)
          .$if(range !== undefined, (q) =>
            q.where("id", ">=", range?.from ?? "").where("id", "<=", range?.to ?? ""),
          )
          .orderBy("id")
          .compile(),
      );
      return rows.map((r) => decodeListRow(r as unknown[]));
    },

    async byIds(workspaceId, ids) {
      const rows = await loadByIds(ctx, ids, (chunk) =>
        readRows(
          ctx,
          ctx.db
            .selectFrom("accounts")
            .select(LIST_COLUMNS)
            .where("workspace_id", "=", workspaceId)
            .$if(chunk !== null, (q) => q.where("id", "in", chunk ?? []))
            .compile(),
        ),
      );
      const wanted = new Set(ids);
      return rows
        .map((r) => decodeListRow(r as unknown[]))
        .filter((a) => wanted.has(a.id))
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    },

    async ids(workspaceId) {
      const rows = await ctx.db
        .selectFrom("accounts")
        .select("id")
        .where("workspace_id", "=", workspaceId)
        .orderBy("id")
        .execute();
      return rows.map((r) => r.id);
    },

    async names(workspaceId) {
      const rows = await ctx.db
        .selectFrom("accounts")
        .select(["id", "name"])
        .where("workspace_id", "=", workspaceId)
        .execute();
      const out = new Map<string, string>();
      for (const r of rows) out.set(r.id, r.name);
      return out;
    },

    async get(workspaceId, id) {
      const row = await readOne(workspaceId, id);
      return row === undefined ? null : fromRow(row);
    },

    async getOwned(workspaceId, id) {
      const row = await ctx.db
        .selectFrom("accounts as a")
        .leftJoin("members as m", (j) =>
          j.onRef("m.workspace_id", "=", "a.workspace_id").onRef("m.id", "=", "a.owner_id"),
        )
        .selectAll("a")
        .select("m.team_id as owner_member_team_id")
        .where("a.workspace_id", "=", workspaceId)
        .where("a.id", "=", id)
        .executeTakeFirst();
      if (row === undefined) return null;
      return {
        account: fromRow(row),
        book: {
          ownerId: row.owner_id ?? null,
          ownerMemberTeamId: row.owner_member_team_id ?? null,
          poolTeamId: row.owner_team_id ?? null,
        },
      };
    },

    async count(workspaceId) {
      const row = await ctx.db
        .selectFrom("accounts")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("workspace_id", "=", workspaceId)
        .executeTakeFirstOrThrow();
      return adapter.parseNumber(row.n);
    },

    async ensureMinimal(workspaceId, ids) {
      const wanted = [...new Set(ids)];
      if (wanted.length === 0) return [];
      return atomically(ctx, async (db) => {
        const found = await loadByIds({ ...ctx, db }, wanted, (chunk) =>
          db
            .selectFrom("accounts")
            .select("id")
            .where("workspace_id", "=", workspaceId)
            .$if(chunk !== null, (q) => q.where("id", "in", chunk ?? []))
            .execute(),
        );
        const known = new Set(found.map((r) => r.id));
        const created = wanted.filter((id) => !known.has(id));
        const now = nowIso();
        for (const chunk of chunksFor(adapter, created, COLUMNS)) {
          await db
            .insertInto("accounts")
            .values(chunk.map((id) => toRow(workspaceId, minimalAccount(id), now)))
            .execute();
        }
        return created;
      });
    },
  };
}
