import type { ReasonFact } from "@tenure/core";
import { ACCOUNT_ATTRIBUTES, type Account, accountAttributeValues, TenureError } from "@tenure/core";
import type {
  AccountListAfter,
  AccountListRecord,
  AccountListState,
  AccountListWrite,
  AccountRange,
  Storage,
} from "@tenure/storage";
import {
  type AccountListQuery,
  type AccountListRow,
  type AccountRowSources,
  buildAccountRows,
  rowPointsFrom,
  topReason,
  WORKLIST_CHURN,
  type WorklistRow,
  worklistRows,
} from "./account-rows";

/**
 * The accounts list as stored rows (issue 14): every account's row is built by `buildAccountRows` (the
 * one definition of a row) when the data behind it changes and stored in `account_list_rows`, so that a
 * page of the list is an indexed query. Writers call `refreshAccountRows` with the accounts they
 * changed; a full health recompute rebuilds every row for its day. Rows are built for one day (a row's
 * MRR, renewal date and trend depend on it): a read on another day, or in another reporting currency,
 * rebuilds them first, which is also the one-time backfill of a database that has none yet.
 */

/** Accounts read, built and written per step of a full rebuild (each step is one transaction). */
const REBUILD_CHUNK = 2_000;
/** Up to this many changed accounts are read one by one; more are read by id ranges. */
const SINGLE_READS = 64;

interface BuildOptions {
  asOf: string;
  reportingCurrency: string;
}

/** The `attribute=value` keys the list's segment filter matches (values lower-cased, as it compares). */
export function segmentKeys(account: Account): string[] {
  const out: string[] = [];
  for (const attribute of ACCOUNT_ATTRIBUTES)
    for (const v of accountAttributeValues(account, attribute)) out.push(`${attribute}=${v.toLowerCase()}`);
  // Custom keys are looked up case-insensitively by the segment filter.
  for (const key of Object.keys(account.customFields ?? {}))
    for (const v of accountAttributeValues(account, `custom.${key}`))
      out.push(`custom.${key.toLowerCase()}=${v.toLowerCase()}`);
  return out;
}

/** The stored key a segment filter `attr=value` matches; null when the attribute can match no account. */
export function segmentFilterKey(segment: string): string | null {
  const i = segment.indexOf("=");
  if (i <= 0) throw new TenureError("validation", `segment must be attr=value, got "${segment}"`);
  const attribute = segment.slice(0, i).trim();
  const value = segment
    .slice(i + 1)
    .trim()
    .toLowerCase();
  if ((ACCOUNT_ATTRIBUTES as readonly string[]).includes(attribute)) return `${attribute}=${value}`;
  if (attribute.startsWith("custom.") && attribute.length > "custom.".length)
    return `custom.${attribute.slice("custom.".length).toLowerCase()}=${value}`;
  return null;
}

async function rangeSources(
  storage: Storage,
  ws: string,
  range: AccountRange,
  rates: AccountRowSources["rates"],
  asOf: string,
): Promise<AccountRowSources> {
  const [accounts, subs, points, signals, churn] = await Promise.all([
    storage.accounts.list(ws, range),
    storage.subscriptions.listUnordered(ws, range),
    storage.healthScores.points(ws, rowPointsFrom(asOf), asOf, range),
    storage.accountListRows.liveSignalKinds(ws, range),
    storage.accountListRows.churnProbabilities(ws, range),
  ]);
  return { accounts, subs, rates, points, signals, churn };
}

function toWrites(rows: readonly AccountListRow[], accounts: readonly Account[]): AccountListWrite[] {
  const byId = new Map(accounts.map((a) => [a.id, a]));
  return rows.map((r) => {
    const account = byId.get(r.id);
    return { ...r, segmentKeys: account === undefined ? [] : segmentKeys(account) };
  });
}

/** Consecutive id ranges of `size` accounts covering `ids` (sorted in the database's order). */
function chunkRanges(ids: readonly string[], size: number): AccountRange[] {
  const out: AccountRange[] = [];
  for (let i = 0; i < ids.length; i += size)
    out.push({ from: ids[i] as string, to: ids[Math.min(i + size, ids.length) - 1] as string });
  return out;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * Builds and stores every account's list row at `asOf`, in steps of a few thousand accounts (one
 * transaction each, the event loop free between them), then records the day and currency.
 */
export async function rebuildAccountList(storage: Storage, ws: string, opts: BuildOptions): Promise<void> {
  const builds = building.get(storage) ?? new Map<string, Promise<void>>();
  building.set(storage, builds);
  const build = buildList(storage, ws, opts);
  builds.set(ws, build);
  try {
    await build;
  } finally {
    if (builds.get(ws) === build) builds.delete(ws);
  }
}

/**
 * Builds in progress in this process, by storage and workspace: a refresh that finds no list yet waits
 * for one being built (the server's start backfill), whose rows may predate the refresh's change.
 */
const building = new WeakMap<Storage, Map<string, Promise<void>>>();

async function buildList(storage: Storage, ws: string, opts: BuildOptions): Promise<void> {
  const [ids, rates] = await Promise.all([storage.accounts.ids(ws), storage.exchangeRates.list(ws)]);
  for (const range of chunkRanges(ids, REBUILD_CHUNK)) {
    const src = await rangeSources(storage, ws, range, rates, opts.asOf);
    const rows = toWrites(buildAccountRows(src, opts), src.accounts);
    await storage.accountListRows.replace(ws, { range }, rows);
    await nextTurn();
  }
  await storage.accountListRows.deleteOutside(ws, ids[0] ?? null, ids.at(-1) ?? null);
  await storage.accountListRows.saveState(ws, opts);
  await storage.accountListRows.afterRebuild();
}

/**
 * The data of `accountIds` changed (null: of every account, e.g. new churn probabilities or exchange
 * rates): rebuilds their stored rows for the day and currency the list was built for. Before the first
 * build there is nothing to refresh (the first read builds every row).
 */
export async function refreshAccountRows(
  storage: Storage,
  ws: string,
  accountIds: Iterable<string> | null,
): Promise<void> {
  await building
    .get(storage)
    ?.get(ws)
    ?.catch(() => undefined);
  const state = await storage.accountListRows.state(ws);
  if (state === null) return;
  const opts = { asOf: state.asOf, reportingCurrency: state.reportingCurrency };
  if (accountIds === null) {
    await rebuildAccountList(storage, ws, opts);
    return;
  }
  const changed = [...new Set(accountIds)].sort();
  if (changed.length === 0) return;
  const rates = await storage.exchangeRates.list(ws);
  if (changed.length <= SINGLE_READS) {
    const rows: AccountListWrite[] = [];
    for (const id of changed) {
      const src = await rangeSources(storage, ws, { from: id, to: id }, rates, opts.asOf);
      rows.push(...toWrites(buildAccountRows(src, opts), src.accounts));
    }
    // Ids without an account any more lose their row.
    await storage.accountListRows.replace(ws, { ids: changed }, rows);
    return;
  }
  // Many changed accounts: rebuild the id ranges of REBUILD_CHUNK accounts that hold any of them.
  const ids = await storage.accounts.ids(ws);
  const wanted = new Set(changed);
  for (let i = 0; i < ids.length; i += REBUILD_CHUNK) {
    const slice = ids.slice(i, i + REBUILD_CHUNK);
    if (!slice.some((id) => wanted.has(id))) continue;
    const range = { from: slice[0] as string, to: slice.at(-1) as string };
    const src = await rangeSources(storage, ws, range, rates, opts.asOf);
    await storage.accountListRows.replace(ws, { range }, toWrites(buildAccountRows(src, opts), src.accounts));
    await nextTurn();
  }
  const gone = changed.filter((id) => !ids.includes(id));
  if (gone.length > 0) await storage.accountListRows.replace(ws, { ids: gone }, []);
}

/**
 * After a health recompute at `asOf`: a partial one (`accountIds`) refreshes those accounts' rows; a
 * full one rebuilds every row, for `asOf` or for the list's own day when that is newer (a recompute of
 * a past day still moves stages and signals). Before the first build there is nothing to rebuild: the
 * first read builds it (so the demo's history of recomputes builds no list).
 */
export async function accountRowsRecomputed(
  storage: Storage,
  ws: string,
  opts: { asOf: string; reportingCurrency?: string; accountIds: ReadonlySet<string> | null },
): Promise<void> {
  if (opts.accountIds !== null) {
    await refreshAccountRows(storage, ws, opts.accountIds);
    return;
  }
  const state = await storage.accountListRows.state(ws);
  if (state === null) return;
  const newer = [state.asOf, opts.asOf].sort()[1] as string;
  await rebuildAccountList(storage, ws, {
    asOf: newer,
    reportingCurrency: opts.reportingCurrency ?? state.reportingCurrency,
  });
}

/** Rebuilds in progress, per store and workspace, so concurrent stale reads wait for one rebuild. */
const rebuilding = new WeakMap<Storage, Map<string, Promise<void>>>();

/**
 * Makes the stored rows those of `asOf` in `reportingCurrency`, rebuilding them when they are not;
 * returns the state read when it was current already (undefined after a rebuild).
 */
export async function ensureAccountList(
  storage: Storage,
  ws: string,
  opts: BuildOptions,
): Promise<AccountListState | undefined> {
  const state = await storage.accountListRows.state(ws);
  if (state?.asOf === opts.asOf && state.reportingCurrency === opts.reportingCurrency) return state;
  let running = rebuilding.get(storage);
  if (running === undefined) {
    running = new Map();
    rebuilding.set(storage, running);
  }
  const key = `${ws}\u0000${opts.asOf}\u0000${opts.reportingCurrency}`;
  let build = running.get(key);
  if (build === undefined) {
    build = rebuildAccountList(storage, ws, opts).finally(() => running.delete(key));
    running.set(key, build);
  }
  await build;
  return undefined;
}

/**
 * Builds the stored list of every workspace that has none for `asOf` (the one-time backfill of a
 * database from before the stored list, or the first start on a new day), one workspace at a time.
 */
export async function backfillAccountLists(storage: Storage, opts: BuildOptions): Promise<void> {
  for (const w of await storage.workspaces.list()) await ensureAccountList(storage, w.id, opts);
}

/** A page of the list, with the cursor of the next page (null after the last). */
export interface AccountListPageResult {
  total: number;
  accounts: AccountListRow[];
  nextCursor: string | null;
}

interface CursorBody {
  s: string;
  o: string;
  k: number | string;
  i: string;
}

function encodeCursor(sort: string, order: string, last: AccountListAfter): string {
  const body: CursorBody = { s: sort, o: order, k: last.key, i: last.id };
  return Buffer.from(JSON.stringify(body)).toString("base64url");
}

function decodeCursor(cursor: string, sort: string, order: string): AccountListAfter {
  const bad = (why: string) => new TenureError("validation", `cursor: ${why}`);
  let body: Partial<CursorBody>;
  try {
    body = JSON.parse(Buffer.from(cursor, "base64url").toString("utf8")) as Partial<CursorBody>;
  } catch {
    throw bad("not a cursor this list returned (pass nextCursor unchanged)");
  }
  if (
    typeof body !== "object" ||
    body === null ||
    (typeof body.k !== "number" && typeof body.k !== "string") ||
    typeof body.i !== "string"
  )
    throw bad("not a cursor this list returned (pass nextCursor unchanged)");
  if (body.s !== sort || body.o !== order)
    throw bad(`it continues the list sorted by ${body.s} ${body.o}, not ${sort} ${order}`);
  return { key: body.k, id: body.i };
}

const asRow = (r: AccountListRecord): AccountListRow => r as AccountListRow;

/**
 * A filtered, sorted page of the accounts list from the stored rows (built for `asOf` first if they are
 * not): offset paging, or keyset paging with `cursor` (the previous page's `nextCursor`).
 */
export async function accountListPage(
  storage: Storage,
  ws: string,
  q: AccountListQuery & { cursor?: string },
  opts: BuildOptions,
): Promise<AccountListPageResult> {
  const sort = q.sort ?? "name";
  const order = q.order ?? (sort === "name" || sort === "renewalDate" ? "asc" : "desc");
  const limit = q.limit ?? 100;
  const after = q.cursor === undefined ? undefined : decodeCursor(q.cursor, sort, order);
  const segmentKey = q.segment === undefined || q.segment === "" ? undefined : segmentFilterKey(q.segment);
  if (segmentKey === null) return { total: 0, accounts: [], nextCursor: null };
  // The state just read is the page's stamp for remembered totals: one read of it per page, not two.
  const state = await ensureAccountList(storage, ws, opts);
  const page = await storage.accountListRows.page(ws, {
    state,
    search: q.search,
    owner: q.owner,
    teams: q.team === undefined || q.team === "" ? undefined : q.team.split(",").filter((x) => x !== ""),
    stage: q.stage,
    band: q.band,
    tier: q.tier,
    segmentKey,
    sort,
    order,
    limit,
    offset: q.offset,
    after,
  });
  return {
    total: page.total,
    accounts: page.rows.map(asRow),
    nextCursor: page.more && page.last !== null ? encodeCursor(sort, order, page.last) : null,
  };
}

/**
 * The worklist (see worklistRows) from the stored rows: only the accounts that need attention are read,
 * with their open risk signals and their churn prediction's reasons.
 */
export async function storedWorklist(
  storage: Storage,
  ws: string,
  owner: string | undefined,
  opts: BuildOptions,
  /** Comma-separated team ids: only those teams' books (a manager's default view). */
  team?: string,
): Promise<WorklistRow[]> {
  await ensureAccountList(storage, ws, opts);
  const teams = team === undefined || team === "" ? undefined : team.split(",").filter((x) => x !== "");
  const rows = (await storage.accountListRows.attention(ws, WORKLIST_CHURN, owner, teams)).map(asRow);
  const likely = rows.filter((r) => r.churnProbability !== null && r.churnProbability >= WORKLIST_CHURN);
  const [risks, reasons] = await Promise.all([
    storage.signals.list(ws, { statuses: ["open", "acknowledged"], kind: "risk" }),
    storage.accountListRows.churnReasons(
      ws,
      likely.map((r) => r.id),
    ),
  ]);
  const liveSignals = new Map<string, typeof risks>();
  for (const s of risks) {
    const l = liveSignals.get(s.accountId);
    if (l) l.push(s);
    else liveSignals.set(s.accountId, [s]);
  }
  const churnReasons = new Map<string, ReasonFact>();
  for (const [id, json] of reasons) {
    const top = topReason(json);
    if (top) churnReasons.set(id, top);
  }
  return worklistRows({ rows, accounts: new Map(), liveSignals, churnReasons }, owner);
}
