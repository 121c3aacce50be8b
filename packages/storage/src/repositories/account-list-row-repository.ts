import { createHash } from "node:crypto";
import { type Kysely, type RawBuilder, type SelectQueryBuilder, type SqlBool, sql } from "kysely";
import type { AccountListRowTable, Database } from "../schema";
import type { AccountRange } from "./account-range";
import { atomically, chunksFor, nowIso, type RepositoryContext } from "./repository-context";

/** One stored row of the accounts list (the services' AccountListRow, as stored). */
export interface AccountListRecord {
  id: string;
  name: string;
  tier: string | null;
  segment: string | null;
  industry: string | null;
  region: string | null;
  owner: string | null;
  lifecycleStage: string | null;
  mrr: number;
  arr: number;
  renewalDate: string | null;
  score: number | null;
  band: string;
  trend: string;
  openSignals: number;
  riskSignals: number;
  opportunitySignals: number;
  lastActivityAt: string | null;
  churnProbability: number | null;
  churned: { churnedAt: string; reason: string | null; lastMrr: number } | null;
}

/** A row to store, with the `attribute=value` keys (values lower-cased) the segment filter matches. */
export interface AccountListWrite extends AccountListRecord {
  segmentKeys: readonly string[];
}

export const ACCOUNT_LIST_SORTS = [
  "score",
  "arr",
  "renewalDate",
  "openSignals",
  "name",
  "churnProbability",
] as const;
export type AccountListSort = (typeof ACCOUNT_LIST_SORTS)[number];

/** Where a sorted page starts: the sort key and account id of the previous page's last row. */
export interface AccountListAfter {
  key: number | string;
  id: string;
}

/** Filters (case-insensitive, as the list compares), sort and page of `page`. */
export interface AccountListPageQuery {
  /** Part of the name or id. */
  search?: string;
  owner?: string;
  /** The books of these teams: accounts their members own and the teams' pools (a manager's view). */
  teams?: readonly string[];
  stage?: string;
  band?: string;
  tier?: string;
  /** One stored segment key, `attribute=value` with the value lower-cased. */
  segmentKey?: string;
  sort: AccountListSort;
  order: "asc" | "desc";
  limit: number;
  /** Rows skipped (offset paging); ignored when `after` is set. */
  offset?: number;
  /** Keyset paging: rows after this one in the sort order. */
  after?: AccountListAfter;
  /**
   * Pages filtered by the segment alone with at most this many matching accounts are read through the
   * segment key table and sorted, larger ones in the sort order (default 2,000; tests set it to take either plan).
   */
  fewMatches?: number;
  /** Rows of the sort's index a filtered page walks before reading the filter index (tests: 0 = never). */
  walkRows?: number;
  /** Whether a page limited to an owner, tier or band is read in lanes (default true; tests: false). */
  lanes?: boolean;
  /** The list's state as the caller just read it (then the page does not read it again). */
  state?: Pick<AccountListState, "builtAt" | "version">;
}

export interface AccountListPage {
  total: number;
  rows: AccountListRecord[];
  /** Sort key and id of the last row returned, for the next page; null when no row was returned. */
  last: AccountListAfter | null;
  /** Whether rows follow this page. */
  more: boolean;
}

/** The day and currency a workspace's rows were built for. */
export interface AccountListState {
  asOf: string;
  reportingCurrency: string;
  builtAt: string;
  /** Raised with every write to the rows (remembered totals are per version). */
  version: number;
}

/** Live signals (open or acknowledged) of some accounts, by kind. */
export interface LiveSignalKind {
  accountId: string;
  kind: string;
}

/** A stored churn probability of one account. */
export interface ChurnProbabilityRow {
  accountId: string;
  probability: number;
}

export interface AccountListRowRepository {
  /** Replaces the stored rows of every account in `scope` (an id range or a list of ids) with `rows`. */
  replace(
    workspaceId: string,
    scope: { range: AccountRange } | { ids: readonly string[] },
    rows: readonly AccountListWrite[],
  ): Promise<void>;
  /** Deletes rows of accounts before `first` or after `last` (both null: every row), after a rebuild. */
  deleteOutside(workspaceId: string, first: string | null, last: string | null): Promise<void>;
  /** The day and currency the rows were built for; null before the first build. */
  state(workspaceId: string): Promise<AccountListState | null>;
  /** Records that every row was built for `asOf` and `reportingCurrency`. */
  saveState(workspaceId: string, state: Omit<AccountListState, "builtAt" | "version">): Promise<void>;
  /** After every row was rebuilt: what the database needs for index-only counts (see afterBulkRewrite). */
  afterRebuild(): Promise<void>;
  /** Forgets the state: the next read rebuilds every row. */
  clearState(workspaceId: string): Promise<void>;
  /** A filtered, sorted page of rows with the filtered total. */
  page(workspaceId: string, query: AccountListPageQuery): Promise<AccountListPage>;
  /** Every stored row, by account id (tests compare them with a fresh build). */
  all(workspaceId: string): Promise<AccountListRecord[]>;
  /**
   * Rows of accounts that need attention (the worklist): red or yellow band, an open risk signal or a
   * churn probability of at least `churnAtLeast`; of one owner (case-insensitive) and of these teams'
   * books (members' accounts and pools) when given.
   */
  attention(
    workspaceId: string,
    churnAtLeast: number,
    owner?: string,
    teams?: readonly string[],
  ): Promise<AccountListRecord[]>;
  /** The stored churn predictions' reasons (JSON) of some accounts. */
  churnReasons(workspaceId: string, accountIds: readonly string[]): Promise<Map<string, unknown>>;
  /** Open and acknowledged signals of the accounts in `range` (what the rows count). */
  liveSignalKinds(workspaceId: string, range: AccountRange): Promise<LiveSignalKind[]>;
  /** Stored churn probabilities of the accounts in `range`. */
  churnProbabilities(workspaceId: string, range: AccountRange): Promise<ChurnProbabilityRow[]>;
}

/** The sort key of a missing value: after every real one in either direction. */
const LAST_NUMBER = Number.MAX_VALUE;
const LAST_DATE_ASC = "~";
const LAST_DATE_DESC = "";

type SortColumn = keyof AccountListRowTable & string;

/** Which stored key a sort walks, and in which direction (ties always by ascending account id). */
function sortKey(
  sort: AccountListSort,
  order: "asc" | "desc",
): { column: SortColumn; desc: boolean; text: boolean } {
  const asc = order === "asc";
  switch (sort) {
    case "name":
      return { column: "name_key", desc: !asc, text: true };
    case "renewalDate":
      return asc
        ? { column: "renewal_asc", desc: false, text: true }
        : { column: "renewal_desc", desc: true, text: true };
    case "score":
      return { column: asc ? "score_asc" : "score_desc", desc: false, text: false };
    case "arr":
      return { column: asc ? "arr" : "arr_desc", desc: false, text: false };
    case "openSignals":
      return { column: asc ? "open_signals" : "open_desc", desc: false, text: false };
    case "churnProbability":
      return { column: asc ? "churn_asc" : "churn_desc", desc: false, text: false };
  }
}

/**
 * A page filtered by the segment alone with at most this many matching accounts is read through the
 * segment key table and sorted; more, in the sort's index order with each row probed in the key table.
 */
const FEW_MATCHES = 2_000;

/**
 * A filtered page first walks this many rows of the sort's index (checking the filters on each): enough
 * for a filter matching a few percent of accounts; when it falls short, the filter index is read instead.
 */
const WALK_ROWS = 2_000;

/**
 * A column as an expression of the same value and order that no index serves (`|| ''`, `+ 0`): both
 * databases then plan without that index. Written the same on both, so no dialect hint is needed.
 */
function hiddenRef(column: string, text: boolean): RawBuilder<unknown> {
  return text ? sql`(${sql.ref(column)} || '')` : sql`(${sql.ref(column)} + 0)`;
}

/**
 * The filters of a page: `terms` over columns of the filter index (which also holds every sort key), and
 * the segment filter, which lives in its own key table: `among` drives a read from that table, `probe`
 * checks one row at a time (a primary-key seek) while another index is walked. `equal`: the owner, tier
 * and band the page is limited to (lower-cased; the lanes of `laneTerms`).
 */
interface PageFilters {
  terms: RawBuilder<SqlBool>[];
  segment: { among: RawBuilder<SqlBool>; probe: RawBuilder<SqlBool>; hash: string } | null;
  equal: { owner?: string; tier?: string; band?: string };
  /** The terms a lane states itself (its owner, tier and band): left out of lane queries. */
  laneTerms: ReadonlySet<RawBuilder<SqlBool>>;
}

/** Segment attributes that are columns of the stored row: the filter is then that column's term. */
const SEGMENT_COLUMNS: Record<string, "owner_key" | "tier_key" | "stage_key"> = {
  owner: "owner_key",
  tier: "tier_key",
  lifecycleStage: "stage_key",
};

function pageFilters(workspaceId: string, q: AccountListPageQuery): PageFilters {
  const like = (column: string, pattern: string) =>
    sql<SqlBool>`${sql.ref(column)} like ${pattern} escape '\\'`;
  const equal = (column: string, value: string) => sql<SqlBool>`${sql.ref(column)} = ${value}`;
  const terms: RawBuilder<SqlBool>[] = [];
  const eq: PageFilters["equal"] = {};
  const search = q.search?.trim().toLowerCase();
  if (search) {
    const pattern = containsPattern(search);
    terms.push(sql<SqlBool>`(${like("name_key", pattern)} or ${like("id_key", pattern)})`);
  }
  // `tier=smb` as a segment is the tier filter: the same rows (both compare lower-cased values), read
  // through the row's own column and its lanes instead of a probe of the key table per row.
  const i = q.segmentKey?.indexOf("=") ?? -1;
  const segmentColumn = q.segmentKey === undefined ? undefined : SEGMENT_COLUMNS[q.segmentKey.slice(0, i)];
  const segmentValue = q.segmentKey?.slice(i + 1);
  const owner = q.owner ? q.owner.toLowerCase() : segmentColumn === "owner_key" ? segmentValue : undefined;
  const tier = q.tier ? q.tier.toLowerCase() : segmentColumn === "tier_key" ? segmentValue : undefined;
  // PostgreSQL plans every condition of every lane: a lane states its owner or tier and its band
  // itself, so the terms saying the same are left out of its query (`laneTerms`).
  const covered = new Set<RawBuilder<SqlBool>>();
  const add = (term: RawBuilder<SqlBool>, laneStatesIt: boolean) => {
    terms.push(term);
    if (laneStatesIt) covered.add(term);
  };
  if (q.owner) add(equal("owner_key", q.owner.toLowerCase()), true);
  if (q.teams !== undefined) add(inTeamBooks(workspaceId, q.teams), false);
  if (q.stage) add(equal("stage_key", q.stage.toLowerCase()), false);
  // An owner's lanes state no tier.
  if (q.tier) add(equal("tier_key", q.tier.toLowerCase()), owner === undefined);
  if (segmentColumn !== undefined && segmentValue !== undefined)
    add(
      equal(segmentColumn, segmentValue),
      (segmentColumn === "owner_key" && !q.owner) ||
        (segmentColumn === "tier_key" && !q.tier && owner === undefined),
    );
  if (owner !== undefined) eq.owner = owner;
  if (tier !== undefined) eq.tier = tier;
  if (q.band) {
    add(equal("band", q.band), true);
    eq.band = q.band;
  }
  // The filter index leads with the band: naming every band lets both databases seek each band's
  // range for an owner (a CSM's book) instead of reading the whole index.
  else if (owner !== undefined) add(sql<SqlBool>`${sql.ref("band")} in (${sql.join([...LIST_BANDS])})`, true);
  if (q.segmentKey === undefined || segmentColumn !== undefined)
    return { terms, segment: null, equal: eq, laneTerms: covered };
  const hash = keyHash(q.segmentKey);
  return {
    terms,
    equal: eq,
    laneTerms: covered,
    segment: {
      hash,
      among: sql<SqlBool>`${sql.ref("account_id")} in (select k.account_id from account_list_segment_keys k where k.workspace_id = ${workspaceId} and k.key_hash = ${hash})`,
      probe: sql<SqlBool>`exists (select 1 from account_list_segment_keys k where k.workspace_id = ${workspaceId} and k.key_hash = ${hash} and k.account_id = ${sql.ref("account_list_rows.account_id")})`,
    },
  };
}

/**
 * The lanes a page limited to an owner, a tier or a band is read in (2026_12_12_0500_account_list_lanes):
 * each lane is one index range already in the sort's order (an owner's band, or a tier's band), so the
 * page is the lanes' first rows merged, however the filter and the sort correlate. `tiers`: every tier
 * the rows have (null for none), read only for a band without a tier. Null: no such filter.
 */
async function laneTerms(
  equal: PageFilters["equal"],
  tiers: () => Promise<(string | null)[]>,
): Promise<RawBuilder<SqlBool>[][] | null> {
  const is = (column: string, value: string | null) =>
    value === null ? sql<SqlBool>`${sql.ref(column)} is null` : sql<SqlBool>`${sql.ref(column)} = ${value}`;
  const bands: readonly string[] = equal.band !== undefined ? [equal.band] : LIST_BANDS;
  const { owner, tier } = equal;
  if (owner !== undefined) return bands.map((b) => [is("owner_key", owner), is("band", b)]);
  if (tier === undefined && equal.band === undefined) return null;
  const laneTiers = tier !== undefined ? [tier] : await tiers();
  // A workspace with many tiers (a free-text field) would make a band's page a union of as many
  // queries, each planned: past MAX_LANES it is read as it was before the lanes.
  if (laneTiers.length * bands.length > MAX_LANES) return null;
  return laneTiers.flatMap((t) => bands.map((b) => [is("tier_key", t), is("band", b)]));
}

/** Most lanes one page is read in (a band's page: one per tier). */
const MAX_LANES = 16;

/** Deepest offset a page is read in lanes at (each lane reads that many rows more). */
const MAX_LANE_OFFSET = 1_000;

/** The rows of accounts in these teams' books: owned by their members, or in their pools. */
function inTeamBooks(workspaceId: string, teamIds: readonly string[]): RawBuilder<SqlBool> {
  const teams = teamIds.length > 0 ? sql.join(teamIds.map((x) => sql`${x}`)) : sql`null`;
  return sql<SqlBool>`${sql.ref("account_id")} in (select a.id from accounts a left join members m on m.workspace_id = a.workspace_id and m.id = a.owner_id where a.workspace_id = ${workspaceId} and (a.owner_team_id in (${teams}) or m.team_id in (${teams})))`;
}

/** `%text%` for LIKE, with LIKE's own characters escaped (escape character `\`). */
const containsPattern = (text: string) => `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

/** How a segment key is stored in account_list_segment_keys (any length fits an index entry). */
const keyHash = (key: string) => createHash("sha256").update(key).digest("hex");

/** Separates the segment keys in their column; a key is matched with its separators on both sides. */
const KEY_SEPARATOR = "\u001f";
const segmentKeysOf = (column: string) => column.split(KEY_SEPARATOR).filter((k) => k !== "");

const COLUMNS = 38;

/** Every health band a stored row may have. */
const LIST_BANDS = ["green", "yellow", "red", "none"] as const;

/** Remembered totals per repository (one per storage or transaction); cleared when this many. */
const MAX_REMEMBERED_TOTALS = 1_000;

/** Marks a workspace's stored rows as changed, in the same transaction as the change. */
async function bumpVersion(db: Kysely<Database>, workspaceId: string): Promise<void> {
  await db
    .updateTable("account_list_state")
    .set((eb) => ({ version: eb("version", "+", 1) }))
    .where("workspace_id", "=", workspaceId)
    .execute();
}

export function createAccountListRowRepository(ctx: RepositoryContext): AccountListRowRepository {
  /** Totals of filtered pages by workspace, list build, list version and filter (see page). */
  const totals = new Map<string, number>();
  /** The tiers of the rows by list version (see page's lanes). */
  const tierLists = new Map<string, (string | null)[]>();
  const { adapter } = ctx;
  const num = (v: number | string) => adapter.parseNumber(v);
  const numOrNull = (v: number | string | null) => (v === null ? null : adapter.parseNumber(v));

  const toRow = (ws: string, r: AccountListWrite): AccountListRowTable => {
    // The owner filter names every band (pageFilters): a row of another band would drop out of it.
    if (!(LIST_BANDS as readonly string[]).includes(r.band))
      throw new Error(`account ${r.id}: band "${r.band}" is none of ${LIST_BANDS.join(", ")}`);
    return toStoredRow(ws, r);
  };
  const toStoredRow = (ws: string, r: AccountListWrite): AccountListRowTable => ({
    workspace_id: ws,
    account_id: r.id,
    name: r.name,
    tier: r.tier,
    segment: r.segment,
    industry: r.industry,
    region: r.region,
    owner: r.owner,
    lifecycle_stage: r.lifecycleStage,
    mrr: r.mrr,
    arr: r.arr,
    renewal_date: r.renewalDate,
    score: r.score,
    band: r.band,
    trend: r.trend,
    open_signals: r.openSignals,
    risk_signals: r.riskSignals,
    opportunity_signals: r.opportunitySignals,
    last_activity_at: r.lastActivityAt,
    churn_probability: r.churnProbability,
    churned_at: r.churned?.churnedAt ?? null,
    churn_reason: r.churned?.reason ?? null,
    churned_last_mrr: r.churned?.lastMrr ?? null,
    name_key: r.name.toLowerCase(),
    id_key: r.id.toLowerCase(),
    owner_key: r.owner?.toLowerCase() ?? null,
    stage_key: r.lifecycleStage?.toLowerCase() ?? null,
    tier_key: r.tier?.toLowerCase() ?? null,
    segment_keys: `${KEY_SEPARATOR}${r.segmentKeys.join(KEY_SEPARATOR)}${KEY_SEPARATOR}`,
    score_asc: r.score ?? LAST_NUMBER,
    score_desc: r.score === null ? LAST_NUMBER : -r.score,
    arr_desc: -r.arr,
    open_desc: -r.openSignals,
    churn_asc: r.churnProbability ?? LAST_NUMBER,
    churn_desc: r.churnProbability === null ? LAST_NUMBER : -r.churnProbability,
    renewal_asc: r.renewalDate ?? LAST_DATE_ASC,
    renewal_desc: r.renewalDate ?? LAST_DATE_DESC,
  });

  const fromRow = (r: AccountListRowTable): AccountListRecord => ({
    id: r.account_id,
    name: r.name,
    tier: r.tier,
    segment: r.segment,
    industry: r.industry,
    region: r.region,
    owner: r.owner,
    lifecycleStage: r.lifecycle_stage,
    mrr: num(r.mrr),
    arr: num(r.arr),
    renewalDate: r.renewal_date,
    score: numOrNull(r.score),
    band: r.band,
    trend: r.trend,
    openSignals: num(r.open_signals),
    riskSignals: num(r.risk_signals),
    opportunitySignals: num(r.opportunity_signals),
    lastActivityAt: r.last_activity_at,
    churnProbability: numOrNull(r.churn_probability),
    churned:
      r.churned_at === null
        ? null
        : { churnedAt: r.churned_at, reason: r.churn_reason, lastMrr: num(r.churned_last_mrr ?? 0) },
  });

  /** Column-by-column equality of a stored row and a new one (drivers may return numbers as strings). */
  const sameRow = (stored: AccountListRowTable, next: AccountListRowTable): boolean => {
    for (const key of Object.keys(next) as (keyof AccountListRowTable)[]) {
      const a = stored[key];
      const b = next[key];
      if (a === b) continue;
      if (typeof b !== "number" || a === null || num(a) !== b) return false;
    }
    return true;
  };

  return {
    async replace(workspaceId, scope, rows) {
      await atomically(ctx, async (db) => {
        const stored: AccountListRowTable[] = [];
        if ("range" in scope) {
          stored.push(
            ...(await db
              .selectFrom("account_list_rows")
              .selectAll()
              .where("workspace_id", "=", workspaceId)
              .where("account_id", ">=", scope.range.from)
              .where("account_id", "<=", scope.range.to)
              .execute()),
          );
        } else {
          for (const chunk of chunksFor(adapter, scope.ids, 1))
            stored.push(
              ...(await db
                .selectFrom("account_list_rows")
                .selectAll()
                .where("workspace_id", "=", workspaceId)
                .where("account_id", "in", chunk)
                .execute()),
            );
        }
        // Only rows that changed are written: most of a recompute's accounts keep their row, and each
        // write updates every sort index.
        const before = new Map(stored.map((r) => [r.account_id, r]));
        const next = rows.map((r) => toRow(workspaceId, r));
        const kept = new Set(next.map((r) => r.account_id));
        const changed = next.filter((r) => {
          const old = before.get(r.account_id);
          return old === undefined || !sameRow(old, r);
        });
        const gone = stored.filter((r) => !kept.has(r.account_id)).map((r) => r.account_id);
        const replaced = [
          ...gone,
          ...changed.filter((r) => before.has(r.account_id)).map((r) => r.account_id),
        ];
        for (const chunk of chunksFor(adapter, replaced, 1)) {
          await db
            .deleteFrom("account_list_rows")
            .where("workspace_id", "=", workspaceId)
            .where("account_id", "in", chunk)
            .execute();
          await db
            .deleteFrom("account_list_segment_keys")
            .where("workspace_id", "=", workspaceId)
            .where("account_id", "in", chunk)
            .execute();
        }
        for (const chunk of chunksFor(adapter, changed, COLUMNS))
          await db.insertInto("account_list_rows").values(chunk).execute();
        const keys = changed.flatMap((r) =>
          [...new Set(segmentKeysOf(r.segment_keys))].map((k) => ({
            workspace_id: workspaceId,
            key_hash: keyHash(k),
            account_id: r.account_id,
          })),
        );
        for (const chunk of chunksFor(adapter, keys, 3))
          await db.insertInto("account_list_segment_keys").values(chunk).execute();
        if (changed.length > 0 || gone.length > 0) await bumpVersion(db, workspaceId);
      });
    },

    async deleteOutside(workspaceId, first, last) {
      for (const table of ["account_list_rows", "account_list_segment_keys"] as const) {
        let q = ctx.db.deleteFrom(table).where("workspace_id", "=", workspaceId);
        if (first !== null && last !== null)
          q = q.where((eb) => eb.or([eb("account_id", "<", first), eb("account_id", ">", last)]));
        await q.execute();
      }
      await bumpVersion(ctx.db, workspaceId);
    },

    async state(workspaceId) {
      const r = await ctx.db
        .selectFrom("account_list_state")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .executeTakeFirst();
      return r === undefined
        ? null
        : {
            asOf: r.as_of,
            reportingCurrency: r.reporting_currency,
            builtAt: r.built_at,
            version: num(r.version),
          };
    },

    async saveState(workspaceId, state) {
      const values = { as_of: state.asOf, reporting_currency: state.reportingCurrency, built_at: nowIso() };
      await ctx.db
        .insertInto("account_list_state")
        .values({ workspace_id: workspaceId, ...values, version: 0 })
        .onConflict((oc) =>
          oc.column("workspace_id").doUpdateSet((eb) => ({
            ...values,
            version: eb("account_list_state.version", "+", 1),
          })),
        )
        .execute();
    },

    async afterRebuild() {
      // VACUUM cannot run in a transaction; inside one the next rebuild or autovacuum does it.
      if (ctx.db.isTransaction) return;
      // Both tables: PostgreSQL plans the segment filter's key lookups from their statistics too, and
      // reads them index-only once the visibility map is set (59,000 heap fetches before: 0.8 s).
      for (const table of ["account_list_rows", "account_list_segment_keys"])
        for (const statement of adapter.afterBulkRewrite(table)) await statement.execute(ctx.db);
    },

    async clearState(workspaceId) {
      await ctx.db.deleteFrom("account_list_state").where("workspace_id", "=", workspaceId).execute();
    },

    async page(workspaceId, q) {
      const { terms, segment, equal, laneTerms: covered } = pageFilters(workspaceId, q);
      const { column, desc, text } = sortKey(q.sort, q.order);
      const from = () => {
        let qb = ctx.db.selectFrom("account_list_rows").where("workspace_id", "=", workspaceId);
        for (const term of terms) qb = qb.where(term);
        return qb;
      };
      // Every filter, the segment's too: what a page's total counts.
      const filtered = () => (segment === null ? from() : from().where(segment.probe));
      // `hidden`: sorted by an expression no index serves, so the filters pick the index (see hiddenRef).
      const ordered = <Q extends SelectQueryBuilder<Database, "account_list_rows", object>>(
        qb: Q,
        hidden: boolean,
      ): Q => {
        const key = hidden ? hiddenRef(column, text) : sql.ref(column);
        let out = qb;
        if (q.after !== undefined) {
          const { key: k, id } = q.after;
          // Bounded on the key first, so a walk starts in the index at the cursor.
          out = out
            .where(key, desc ? "<=" : ">=", k)
            .where((eb) => eb.or([eb(key, desc ? "<" : ">", k), eb("account_id", ">", id)])) as Q;
        }
        out = out
          .orderBy(key, desc ? "desc" : "asc")
          .orderBy("account_id", "asc")
          // One row more than asked tells whether another page follows.
          .limit(q.limit + 1) as Q;
        if (q.after === undefined && (q.offset ?? 0) > 0) out = out.offset(q.offset ?? 0) as Q;
        return out;
      };
      // The total of a filter is remembered per list version: paging or re-sorting one filter counts once.
      const stamp =
        q.state !== undefined
          ? { built_at: q.state.builtAt, version: q.state.version }
          : await ctx.db
              .selectFrom("account_list_state")
              .select(["built_at", "version"])
              .where("workspace_id", "=", workspaceId)
              .executeTakeFirst();
      const totalKey =
        stamp === undefined
          ? null
          : JSON.stringify([
              workspaceId,
              stamp.built_at,
              num(stamp.version),
              terms.length,
              q.search?.trim().toLowerCase(),
              q.owner?.toLowerCase(),
              q.stage?.toLowerCase(),
              q.tier?.toLowerCase(),
              q.band,
              q.segmentKey,
            ]);
      const remembered = totalKey === null ? undefined : totals.get(totalKey);
      const count = async (qb: SelectQueryBuilder<Database, "account_list_rows", object>) => {
        if (remembered !== undefined) return remembered;
        const n = num(
          ((await qb.select((eb) => eb.fn.countAll().as("n")).executeTakeFirst())?.n ?? 0) as number | string,
        );
        if (totalKey !== null) {
          // Bounded: a busy server sees many filters; forgetting them all costs one count each.
          if (totals.size >= MAX_REMEMBERED_TOTALS) totals.clear();
          totals.set(totalKey, n);
        }
        return n;
      };

      // Every tier the rows have, remembered per list version as totals are (a band's lanes).
      const tiers = async (): Promise<(string | null)[]> => {
        const key = totalKey === null ? null : `${totalKey}:tiers`;
        const known = key === null ? undefined : tierLists.get(key);
        if (known !== undefined) return known;
        // One seek per tier (the tier lanes' index), not a read of every row: recursive "next tier".
        const found = await sql<{ tier: string }>`with recursive t(tier) as (
            select (select tier_key from account_list_rows where workspace_id = ${workspaceId} and tier_key is not null order by tier_key limit 1)
            union all
            select (select tier_key from account_list_rows where workspace_id = ${workspaceId} and tier_key > t.tier order by tier_key limit 1) from t where t.tier is not null
          ) select tier from t where tier is not null`.execute(ctx.db);
        const list = [...found.rows.map((r) => r.tier), null];
        if (key !== null) {
          if (tierLists.size >= MAX_REMEMBERED_TOTALS) tierLists.clear();
          tierLists.set(key, list);
        }
        return list;
      };

      let total: number;
      let fetched: AccountListRowTable[];
      const lanes =
        q.lanes === false || (q.after === undefined && (q.offset ?? 0) > MAX_LANE_OFFSET)
          ? null
          : await laneTerms(equal, tiers);
      if (lanes !== null) {
        // Each lane's first rows in the sort's order (its own index range), merged: an exact page.
        const offset = q.after === undefined ? (q.offset ?? 0) : 0;
        const lane = (extra: RawBuilder<SqlBool>[], i: number) => {
          let qb = ctx.db.selectFrom("account_list_rows").where("workspace_id", "=", workspaceId);
          for (const term of [...extra, ...terms.filter((t) => !covered.has(t))]) qb = qb.where(term);
          if (segment !== null) qb = qb.where(segment.probe);
          const first = ordered(qb.selectAll(), false)
            .clearOffset()
            .limit(offset + q.limit + 1);
          return ctx.db.selectFrom(first.as(`l${i}`)).selectAll();
        };
        const [head, ...rest] = lanes.map(lane);
        if (head === undefined) throw new Error("a lane filter has at least one lane");
        const merged = rest.reduce((u, part) => u.unionAll(part), head);
        let page = ctx.db
          .selectFrom(merged.as("w"))
          .selectAll()
          .orderBy(sql.ref(column), desc ? "desc" : "asc")
          .orderBy("account_id", "asc")
          .limit(q.limit + 1);
        if (offset > 0) page = page.offset(offset);
        const [rows, n] = await Promise.all([
          page.execute() as Promise<AccountListRowTable[]>,
          count(filtered()),
        ]);
        fetched = rows;
        total = n;
      } else if (terms.length === 0 && segment === null) {
        // No filter: the sort's own index walked from the start (or the cursor).
        const [rows, n] = await Promise.all([ordered(from().selectAll(), false).execute(), count(from())]);
        fetched = rows;
        total = n;
      } else if (terms.length === 0 && segment !== null) {
        // The segment alone: counted in its key table, which holds one row per matching account.
        const counted = await ctx.db
          .selectFrom("account_list_segment_keys")
          .select((eb) => eb.fn.countAll().as("n"))
          .where("workspace_id", "=", workspaceId)
          .where("key_hash", "=", segment.hash)
          .executeTakeFirst();
        total = num((counted?.n ?? 0) as number | string);
        const few = total <= (q.fewMatches ?? FEW_MATCHES);
        fetched =
          total === 0
            ? []
            : await ordered(
                from()
                  .where(few ? segment.among : segment.probe)
                  .selectAll(),
                few,
              ).execute();
      } else {
        // Most filters a person picks (an owner, a tier, a search) match many accounts: the first
        // WALK_ROWS rows in the sort's own index, filtered, usually fill the page at once.
        let walked: AccountListRowTable[] | null = null;
        if (segment === null && (q.offset ?? 0) === 0 && (q.walkRows ?? WALK_ROWS) > 0) {
          const walk = ordered(
            ctx.db.selectFrom("account_list_rows").where("workspace_id", "=", workspaceId).selectAll(),
            false,
          ).limit(q.walkRows ?? WALK_ROWS);
          let outer = ctx.db.selectFrom(walk.as("w")).selectAll();
          for (const term of terms) outer = outer.where(term);
          const found = (await outer
            .orderBy(sql.ref(column), desc ? "desc" : "asc")
            .orderBy("account_id", "asc")
            .limit(q.limit + 1)
            .execute()) as AccountListRowTable[];
          if (found.length > q.limit) walked = found;
        }
        if (walked !== null) {
          fetched = walked;
          total = await count(filtered());
        } else {
          // Few matches, or matches far down the sort order: filter columns and sort keys are all in
          // the filter index, so the page's ids come from it alone (however the filter and the sort
          // order correlate), then only those rows are read.
          const ids = (await ordered(filtered().select("account_id"), true).execute()).map(
            (r) => r.account_id,
          );
          const [rows, n] = await Promise.all([
            ids.length === 0
              ? Promise.resolve([] as AccountListRowTable[])
              : from().where("account_id", "in", ids).selectAll().execute(),
            count(filtered()),
          ]);
          const byId = new Map(rows.map((r) => [r.account_id, r]));
          fetched = ids.flatMap((id) => byId.get(id) ?? []);
          total = n;
        }
      }
      const rows = fetched.slice(0, q.limit);
      const lastRow = rows.at(-1);
      const lastKey = lastRow?.[column];
      return {
        total,
        rows: rows.map(fromRow),
        last:
          lastRow === undefined || lastKey === undefined || lastKey === null
            ? null
            : { key: typeof lastKey === "string" ? lastKey : num(lastKey), id: lastRow.account_id },
        more: fetched.length > q.limit,
      };
    },

    async all(workspaceId) {
      const rows = await ctx.db
        .selectFrom("account_list_rows")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .orderBy("account_id")
        .execute();
      return rows.map(fromRow);
    },

    async attention(workspaceId, churnAtLeast, owner, teams) {
      let q = ctx.db
        .selectFrom("account_list_rows")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where((eb) =>
          eb.or([
            eb("band", "in", ["red", "yellow"]),
            eb("risk_signals", ">", 0),
            eb("churn_probability", ">=", churnAtLeast),
          ]),
        );
      if (owner) q = q.where("owner_key", "=", owner.toLowerCase());
      if (teams !== undefined) q = q.where(inTeamBooks(workspaceId, teams));
      return (await q.orderBy("account_id").execute()).map(fromRow);
    },

    async churnReasons(workspaceId, accountIds) {
      const out = new Map<string, unknown>();
      for (const chunk of chunksFor(adapter, accountIds, 1)) {
        const rows = await ctx.db
          .selectFrom("predictions")
          .select(["account_id", "reasons"])
          .where("workspace_id", "=", workspaceId)
          .where("target", "=", "churn")
          .where("account_id", "in", chunk)
          .execute();
        for (const r of rows) out.set(r.account_id, adapter.decodeJson(r.reasons));
      }
      return out;
    },

    async liveSignalKinds(workspaceId, range) {
      const rows = await ctx.db
        .selectFrom("signals")
        .select(["account_id", "kind"])
        .where("workspace_id", "=", workspaceId)
        .where("account_id", ">=", range.from)
        .where("account_id", "<=", range.to)
        .where("status", "in", ["open", "acknowledged"])
        .execute();
      return rows.map((r) => ({ accountId: r.account_id, kind: r.kind }));
    },

    async churnProbabilities(workspaceId, range) {
      const rows = await ctx.db
        .selectFrom("predictions")
        .select(["account_id", "probability"])
        .where("workspace_id", "=", workspaceId)
        .where("target", "=", "churn")
        .where("account_id", ">=", range.from)
        .where("account_id", "<=", range.to)
        .execute();
      return rows.map((r) => ({ accountId: r.account_id, probability: num(r.probability) }));
    },
  };
}
