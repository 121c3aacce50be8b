import { randomUUID } from "node:crypto";
import { atomically, nowIso, type RepositoryContext } from "./repository-context";

/** A churn reason of a workspace's taxonomy. */
export interface ChurnReason {
  key: string;
  labelEn: string;
  labelZh: string;
  /** The team could have prevented it (seed 000: about 40% of churn is). */
  manageable: boolean;
  position: number;
  /** Inactive reasons stay on recorded outcomes but are not offered for new ones. */
  active: boolean;
}

export type RenewalOutcomeKind = "renewed" | "expanded" | "downgraded" | "churned";

/** A recorded renewal of one account on one renewal date. */
export interface RenewalOutcome {
  id: string;
  accountId: string;
  renewalDate: string;
  outcome: RenewalOutcomeKind;
  arrBefore: number;
  arrAfter: number;
  reasonKey: string | null;
  note: string | null;
  recordedBy: string | null;
  recordedAt: string;
}

export type NewRenewalOutcome = Omit<RenewalOutcome, "id" | "recordedAt"> & { recordedAt?: string };

/** A save campaign with the accounts it worked. */
export interface SaveCampaign {
  id: string;
  name: string;
  startedOn: string;
  endedOn: string | null;
  cost: number;
  note: string | null;
  createdAt: string;
  accounts: { accountId: string; atRiskArr: number }[];
}

export type NewSaveCampaign = Omit<SaveCampaign, "id" | "createdAt"> & { id?: string };

export type ReferralStatus = "referred" | "qualified" | "won" | "lost";

/** A referral by an advocate account. */
export interface Referral {
  id: string;
  advocateAccountId: string;
  referredAccountId: string | null;
  referredName: string;
  referredOn: string;
  status: ReferralStatus;
  referredArr: number;
  note: string | null;
  createdAt: string;
}

export type NewReferral = Omit<Referral, "id" | "createdAt">;

/** Churn-reason taxonomy, renewal outcomes, save campaigns and referrals of a workspace. */
export interface RenewalRepository {
  /** The taxonomy in display order (empty until a workspace first saves one). */
  listReasons(ws: string): Promise<ChurnReason[]>;
  /** Inserts or replaces reasons by key; keys not given stay as they are. */
  upsertReasons(ws: string, reasons: readonly ChurnReason[]): Promise<void>;
  /** Records outcomes; one per account and renewal date (a second replaces the first). */
  upsertOutcomes(ws: string, rows: readonly NewRenewalOutcome[]): Promise<RenewalOutcome[]>;
  /** Outcomes with a renewal date in [from, to] (either bound optional), by date then account. */
  listOutcomes(
    ws: string,
    /** `ownerId`: only outcomes of the accounts this member owns (a CSM's book). */
    range?: { from?: string; to?: string; accountId?: string; ownerId?: string },
  ): Promise<RenewalOutcome[]>;
  /** Creates a campaign with its accounts, atomically. */
  createCampaign(ws: string, c: NewSaveCampaign): Promise<SaveCampaign>;
  /** Adds accounts to a campaign (an account already in it keeps its first at-risk ARR). */
  addCampaignAccounts(
    ws: string,
    id: string,
    accounts: readonly { accountId: string; atRiskArr: number }[],
  ): Promise<void>;
  /** Changes a campaign's cost, end date or note. */
  updateCampaign(
    ws: string,
    id: string,
    patch: { cost?: number; endedOn?: string | null; note?: string | null },
  ): Promise<boolean>;
  listCampaigns(ws: string): Promise<SaveCampaign[]>;
  createReferrals(ws: string, rows: readonly NewReferral[]): Promise<Referral[]>;
  listReferrals(ws: string): Promise<Referral[]>;
}

export function createRenewalRepository(ctx: RepositoryContext): RenewalRepository {
  const { adapter } = ctx;
  return {
    async listReasons(ws) {
      const rows = await ctx.db
        .selectFrom("churn_reasons")
        .selectAll()
        .where("workspace_id", "=", ws)
        .orderBy("position")
        .orderBy("key")
        .execute();
      return rows.map((r) => ({
        key: r.key,
        labelEn: r.label_en,
        labelZh: r.label_zh,
        manageable: adapter.decodeBoolean(r.manageable),
        position: Number(r.position),
        active: adapter.decodeBoolean(r.active),
      }));
    },

    async upsertReasons(ws, reasons) {
      if (reasons.length === 0) return;
      await atomically(ctx, async (db) => {
        for (const r of reasons) {
          const values = {
            label_en: r.labelEn,
            label_zh: r.labelZh,
            manageable: adapter.encodeBoolean(r.manageable),
            position: r.position,
            active: adapter.encodeBoolean(r.active),
          };
          await db
            .insertInto("churn_reasons")
            .values({ workspace_id: ws, key: r.key, ...values })
            .onConflict((oc) => oc.columns(["workspace_id", "key"]).doUpdateSet(values))
            .execute();
        }
      });
    },

    async upsertOutcomes(ws, rows) {
      const at = nowIso();
      const out: RenewalOutcome[] = rows.map((r) => ({
        ...r,
        id: randomUUID(),
        recordedAt: r.recordedAt ?? at,
      }));
      await atomically(ctx, async (db) => {
        for (const o of out) {
          const values = {
            outcome: o.outcome,
            arr_before: o.arrBefore,
            arr_after: o.arrAfter,
            reason_key: o.reasonKey,
            note: o.note,
            recorded_by: o.recordedBy,
            recorded_at: o.recordedAt,
          };
          const kept = await db
            .insertInto("renewal_outcomes")
            .values({
              workspace_id: ws,
              id: o.id,
              account_id: o.accountId,
              renewal_date: o.renewalDate,
              ...values,
            })
            .onConflict((oc) =>
              oc.columns(["workspace_id", "account_id", "renewal_date"]).doUpdateSet(values),
            )
            .returning("id")
            .executeTakeFirstOrThrow();
          o.id = kept.id;
        }
      });
      return out;
    },

    async listOutcomes(ws, range = {}) {
      let q = ctx.db.selectFrom("renewal_outcomes").selectAll().where("workspace_id", "=", ws);
      if (range.from !== undefined) q = q.where("renewal_date", ">=", range.from);
      if (range.to !== undefined) q = q.where("renewal_date", "<=", range.to);
      if (range.accountId !== undefined) q = q.where("account_id", "=", range.accountId);
      const ownerId = range.ownerId;
      if (ownerId !== undefined)
        q = q.where("account_id", "in", (eb) =>
          eb
            .selectFrom("accounts")
            .select("accounts.id")
            .where("accounts.workspace_id", "=", ws)
            .where("accounts.owner_id", "=", ownerId),
        );
      const rows = await q.orderBy("renewal_date").orderBy("account_id").execute();
      return rows.map((r) => ({
        id: r.id,
        accountId: r.account_id,
        renewalDate: r.renewal_date,
        outcome: r.outcome as RenewalOutcomeKind,
        arrBefore: Number(r.arr_before),
        arrAfter: Number(r.arr_after),
        reasonKey: r.reason_key,
        note: r.note,
        recordedBy: r.recorded_by,
        recordedAt: r.recorded_at,
      }));
    },

    async createCampaign(ws, c) {
      const campaign: SaveCampaign = {
        id: c.id ?? randomUUID(),
        name: c.name,
        startedOn: c.startedOn,
        endedOn: c.endedOn,
        cost: c.cost,
        note: c.note,
        createdAt: nowIso(),
        accounts: [...c.accounts],
      };
      await atomically(ctx, async (db) => {
        await db
          .insertInto("save_campaigns")
          .values({
            workspace_id: ws,
            id: campaign.id,
            name: campaign.name,
            started_on: campaign.startedOn,
            ended_on: campaign.endedOn,
            cost: campaign.cost,
            note: campaign.note,
            created_at: campaign.createdAt,
          })
          .execute();
        await insertCampaignAccounts(db, ws, campaign.id, campaign.accounts, campaign.createdAt);
      });
      return campaign;
    },

    async addCampaignAccounts(ws, id, accounts) {
      await atomically(ctx, (db) => insertCampaignAccounts(db, ws, id, accounts, nowIso()));
    },

    async updateCampaign(ws, id, patch) {
      const set: { cost?: number; ended_on?: string | null; note?: string | null } = {};
      if (patch.cost !== undefined) set.cost = patch.cost;
      if (patch.endedOn !== undefined) set.ended_on = patch.endedOn;
      if (patch.note !== undefined) set.note = patch.note;
      if (Object.keys(set).length === 0) {
        const row = await ctx.db
          .selectFrom("save_campaigns")
          .select("id")
          .where("workspace_id", "=", ws)
          .where("id", "=", id)
          .executeTakeFirst();
        return row !== undefined;
      }
      const res = await ctx.db
        .updateTable("save_campaigns")
        .set(set)
        .where("workspace_id", "=", ws)
        .where("id", "=", id)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    },

    async listCampaigns(ws) {
      const [rows, members] = await Promise.all([
        ctx.db
          .selectFrom("save_campaigns")
          .selectAll()
          .where("workspace_id", "=", ws)
          .orderBy("started_on", "desc")
          .orderBy("id")
          .execute(),
        ctx.db
          .selectFrom("save_campaign_accounts")
          .selectAll()
          .where("workspace_id", "=", ws)
          .orderBy("account_id")
          .execute(),
      ]);
      const byCampaign = new Map<string, { accountId: string; atRiskArr: number }[]>();
      for (const m of members) {
        const list = byCampaign.get(m.campaign_id) ?? [];
        list.push({ accountId: m.account_id, atRiskArr: Number(m.at_risk_arr) });
        byCampaign.set(m.campaign_id, list);
      }
      return rows.map((r) => ({
        id: r.id,
        name: r.name,
        startedOn: r.started_on,
        endedOn: r.ended_on,
        cost: Number(r.cost),
        note: r.note,
        createdAt: r.created_at,
        accounts: byCampaign.get(r.id) ?? [],
      }));
    },

    async createReferrals(ws, rows) {
      const at = nowIso();
      const out: Referral[] = rows.map((r) => ({ ...r, id: randomUUID(), createdAt: at }));
      if (out.length === 0) return out;
      await atomically(ctx, async (db) => {
        for (const r of out)
          await db
            .insertInto("referrals")
            .values({
              workspace_id: ws,
              id: r.id,
              advocate_account_id: r.advocateAccountId,
              referred_account_id: r.referredAccountId,
              referred_name: r.referredName,
              referred_on: r.referredOn,
              status: r.status,
              referred_arr: r.referredArr,
              note: r.note,
              created_at: r.createdAt,
            })
            .execute();
      });
      return out;
    },

    async listReferrals(ws) {
      const rows = await ctx.db
        .selectFrom("referrals")
        .selectAll()
        .where("workspace_id", "=", ws)
        .orderBy("referred_on", "desc")
        .orderBy("id")
        .execute();
      return rows.map((r) => ({
        id: r.id,
        advocateAccountId: r.advocate_account_id,
        referredAccountId: r.referred_account_id,
        referredName: r.referred_name,
        referredOn: r.referred_on,
        status: r.status as ReferralStatus,
        referredArr: Number(r.referred_arr),
        note: r.note,
        createdAt: r.created_at,
      }));
    },
  };
}

async function insertCampaignAccounts(
  db: RepositoryContext["db"],
  ws: string,
  campaignId: string,
  accounts: readonly { accountId: string; atRiskArr: number }[],
  at: string,
): Promise<void> {
  for (const a of accounts)
    await db
      .insertInto("save_campaign_accounts")
      .values({
        workspace_id: ws,
        campaign_id: campaignId,
        account_id: a.accountId,
        at_risk_arr: a.atRiskArr,
        added_at: at,
      })
      .onConflict((oc) => oc.columns(["workspace_id", "campaign_id", "account_id"]).doNothing())
      .execute();
}
