import { type Principal, TenureError } from "@tenure/core";
import type { ChurnReason, RenewalOutcome, RenewalOutcomeKind, SaveCampaign, Storage } from "@tenure/storage";
import { guardAccountsEdit, readableAccountIds, readableBook } from "../access/book-scope";
import { renewalForecast } from "../predictions/renewal-forecast-service";
import { analyzeChurnReasons, type ChurnReasonAnalysis } from "./churn-analysis";
import { churnReasons } from "./churn-reasons";
import { type SaveCampaignResult, saveCampaignResult } from "./save-campaigns";

export const RENEWAL_OUTCOMES: readonly RenewalOutcomeKind[] = [
  "renewed",
  "expanded",
  "downgraded",
  "churned",
];

const DAY_MS = 86_400_000;
const isoDate = /^\d{4}-\d{2}-\d{2}$/;
const validDate = (d: string) => isoDate.test(d) && !Number.isNaN(Date.parse(`${d}T00:00:00Z`));

/** Last day of the month `n` months after asOf's month (n = 0: asOf's own month). */
function endOfMonthAfter(asOf: string, n: number): string {
  const y = Number(asOf.slice(0, 4));
  const m = Number(asOf.slice(5, 7)) - 1 + n;
  return new Date(Date.UTC(y, m + 1, 0)).toISOString().slice(0, 10);
}

export interface RenewalCalendarOptions {
  asOf: string;
  reportingCurrency: string;
  /** Calendar months from asOf's month on (1-24, default 6). */
  months?: number;
  /** Only this owner's accounts ("" = accounts without an owner). */
  owner?: string;
  /** Who asks: a CSM limited to its book sees only its accounts' renewals. */
  principal?: Principal;
}

/** One upcoming renewal on the calendar. */
export interface RenewalCalendarRow {
  accountId: string;
  name: string | null;
  owner: string | null;
  renewalDate: string;
  month: string;
  arr: number;
  /** The account's latest health band (red, yellow, green), null when not scored. */
  band: string | null;
  score: number | null;
  /** The renewal forecast's probability (GET /api/predictions/renewals): one number everywhere. */
  renewalProbability: number | null;
  churnProbability: number | null;
  expectedArr: number | null;
  source: string;
  /** The outcome already recorded for this renewal, if any. */
  outcome: RenewalOutcomeKind | null;
}

export interface RenewalGroup {
  key: string;
  renewals: number;
  arr: number;
  expectedArr: number;
  /** ARR of renewals in the red band. */
  redArr: number;
}

export interface RenewalCalendar {
  asOf: string;
  until: string;
  currency: string;
  rows: RenewalCalendarRow[];
  byMonth: RenewalGroup[];
  byOwner: RenewalGroup[];
  totals: Omit<RenewalGroup, "key">;
}

function group(
  rows: readonly RenewalCalendarRow[],
  keyOf: (r: RenewalCalendarRow) => string,
): RenewalGroup[] {
  const out = new Map<string, RenewalGroup>();
  for (const r of rows) {
    const key = keyOf(r);
    const g = out.get(key) ?? { key, renewals: 0, arr: 0, expectedArr: 0, redArr: 0 };
    g.renewals += 1;
    g.arr += r.arr;
    g.expectedArr += r.expectedArr ?? 0;
    if (r.band === "red") g.redArr += r.arr;
    out.set(key, g);
  }
  return [...out.values()];
}

/**
 * The renewal calendar: every renewal from asOf to the end of the n-th month, with its owner, ARR,
 * latest health band and the renewal forecast's probability (the same rows as the predictions page's
 * forecast), grouped by month and by owner.
 */
export async function renewalCalendar(
  storage: Storage,
  ws: string,
  opts: RenewalCalendarOptions,
): Promise<RenewalCalendar> {
  const months = opts.months ?? 6;
  const readable = await readableAccountIds(storage, opts.principal);
  if (!Number.isInteger(months) || months < 1 || months > 24)
    throw new TenureError("validation", `months: must be a whole number from 1 to 24, got ${months}`);
  const until = endOfMonthAfter(opts.asOf, months - 1);
  const days = Math.max(1, Math.round((Date.parse(until) - Date.parse(opts.asOf)) / DAY_MS));
  const [forecast, accounts, scoreDate, outcomes] = await Promise.all([
    renewalForecast(storage, ws, { asOf: opts.asOf, reportingCurrency: opts.reportingCurrency, days }),
    storage.accounts.list(ws),
    storage.healthScores.latestDate(ws, opts.asOf),
    storage.renewals.listOutcomes(ws, { from: opts.asOf, to: until }),
  ]);
  const scores = scoreDate === null ? [] : await storage.healthScores.onDate(ws, scoreDate);
  const owners = new Map(accounts.map((a) => [a.id, a.owner ?? null]));
  const health = new Map(scores.map((s) => [s.accountId, s]));
  const recorded = new Map(outcomes.map((o) => [`${o.accountId} ${o.renewalDate}`, o.outcome]));
  const rows: RenewalCalendarRow[] = [];
  for (const r of forecast.rows) {
    if (r.renewalDate > until) continue;
    if (readable !== null && !readable.has(r.accountId)) continue;
    const owner = owners.get(r.accountId) ?? null;
    if (opts.owner !== undefined && (owner ?? "") !== opts.owner) continue;
    const h = health.get(r.accountId);
    rows.push({
      accountId: r.accountId,
      name: r.name,
      owner,
      renewalDate: r.renewalDate,
      month: r.renewalDate.slice(0, 7),
      arr: r.arr,
      band: h?.band ?? null,
      score: h?.score ?? null,
      renewalProbability: r.renewalProbability,
      churnProbability: r.churnProbability,
      expectedArr: r.expectedArr,
      source: r.source,
      outcome: recorded.get(`${r.accountId} ${r.renewalDate}`) ?? null,
    });
  }
  rows.sort((a, b) =>
    a.renewalDate < b.renewalDate ? -1 : a.renewalDate > b.renewalDate ? 1 : b.arr - a.arr,
  );
  const byMonth = group(rows, (r) => r.month).sort((a, b) => (a.key < b.key ? -1 : 1));
  const byOwner = group(rows, (r) => r.owner ?? "").sort((a, b) => b.arr - a.arr);
  const [all] = group(rows, () => "all");
  const totals =
    all === undefined
      ? undefined
      : { renewals: all.renewals, arr: all.arr, expectedArr: all.expectedArr, redArr: all.redArr };
  return {
    asOf: opts.asOf,
    until,
    currency: forecast.currency,
    rows,
    byMonth,
    byOwner,
    totals: totals ?? { renewals: 0, arr: 0, expectedArr: 0, redArr: 0 },
  };
}

/** A renewal outcome as a CSM records it. */
export interface RecordOutcomeInput {
  accountId: string;
  renewalDate: string;
  outcome: RenewalOutcomeKind;
  /** ARR up for renewal; default: the account's ARR on the renewal calendar. */
  arrBefore?: number;
  /** ARR after: default arrBefore when renewed, 0 when churned; required when expanded or downgraded. */
  arrAfter?: number;
  /** Required when churned (a key of the taxonomy); allowed when downgraded. */
  reasonKey?: string | null;
  note?: string | null;
  recordedBy?: string | null;
}

const money = (v: number | undefined, field: string) => {
  if (v !== undefined && (!Number.isFinite(v) || v < 0 || v > 1e12))
    throw new TenureError("validation", `${field}: must be a number from 0 to 1e12, got ${v}`);
  return v;
};

/**
 * Checks and records renewal outcomes, all or none: the account exists, the outcome fits its ARR
 * (expanded: more, downgraded: less but not 0, churned: 0), a churn names a reason of the taxonomy.
 * `row` in messages is the input's index when several are recorded at once.
 */
export async function recordRenewalOutcomes(
  storage: Storage,
  ws: string,
  inputs: readonly RecordOutcomeInput[],
  opts: {
    asOf: string;
    reportingCurrency: string;
    /** Who asks (book scoping of every account in the batch); omitted = the operator's own process. */
    principal?: Principal;
  },
): Promise<RenewalOutcome[]> {
  const [taxonomy, names] = await Promise.all([churnReasons(storage, ws), storage.accounts.names(ws)]);
  await guardAccountsEdit(
    storage,
    ws,
    opts.principal,
    inputs.flatMap((i) => (names.has(i.accountId) ? [i.accountId] : [])),
  );
  const reasons = new Map(taxonomy.map((r) => [r.key, r]));
  const needCalendar = inputs.some((i) => i.arrBefore === undefined);
  const calendarArr = new Map<string, number>();
  if (needCalendar) {
    // As of the day before the earliest renewal asked about, so that a renewal that just passed is on it.
    const earliest =
      [
        opts.asOf,
        ...inputs
          .filter((i) => i.arrBefore === undefined && validDate(i.renewalDate))
          .map((i) => i.renewalDate),
      ].sort()[0] ?? opts.asOf;
    const asOf =
      earliest < opts.asOf
        ? new Date(Date.parse(`${earliest}T00:00:00Z`) - DAY_MS).toISOString().slice(0, 10)
        : opts.asOf;
    const cal = await renewalCalendar(storage, ws, {
      asOf,
      reportingCurrency: opts.reportingCurrency,
      months: 24,
    });
    for (const r of cal.rows) calendarArr.set(`${r.accountId} ${r.renewalDate}`, r.arr);
    for (const r of cal.rows) if (!calendarArr.has(r.accountId)) calendarArr.set(r.accountId, r.arr);
  }
  const rows = inputs.map((i, n) => {
    const at = inputs.length > 1 ? `outcomes[${n}].` : "";
    if (!names.has(i.accountId))
      throw new TenureError("validation", `${at}accountId: no account ${i.accountId}`);
    if (!validDate(i.renewalDate))
      throw new TenureError(
        "validation",
        `${at}renewalDate: must be a date YYYY-MM-DD, got ${i.renewalDate}`,
      );
    if (!RENEWAL_OUTCOMES.includes(i.outcome))
      throw new TenureError("validation", `${at}outcome: must be one of ${RENEWAL_OUTCOMES.join(", ")}`);
    const arrBefore =
      money(i.arrBefore, `${at}arrBefore`) ??
      calendarArr.get(`${i.accountId} ${i.renewalDate}`) ??
      calendarArr.get(i.accountId);
    if (arrBefore === undefined)
      throw new TenureError(
        "validation",
        `${at}arrBefore: required: ${i.accountId} has no renewal on the calendar to take its ARR from`,
      );
    let arrAfter = money(i.arrAfter, `${at}arrAfter`);
    if (i.outcome === "churned") {
      if (arrAfter !== undefined && arrAfter !== 0)
        throw new TenureError(
          "validation",
          `${at}arrAfter: a churned renewal keeps no ARR (0), got ${arrAfter}`,
        );
      arrAfter = 0;
    } else if (i.outcome === "renewed") arrAfter ??= arrBefore;
    else if (arrAfter === undefined)
      throw new TenureError("validation", `${at}arrAfter: required when the renewal ${i.outcome}`);
    else if (i.outcome === "expanded" && !(arrAfter > arrBefore))
      throw new TenureError(
        "validation",
        `${at}arrAfter: an expansion is above arrBefore ${arrBefore}, got ${arrAfter}`,
      );
    else if (i.outcome === "downgraded" && !(arrAfter > 0 && arrAfter < arrBefore))
      throw new TenureError(
        "validation",
        `${at}arrAfter: a downgrade is between 0 and arrBefore ${arrBefore} (0 is a churn), got ${arrAfter}`,
      );
    const reasonKey = i.reasonKey ?? null;
    if (i.outcome === "churned" && reasonKey === null)
      throw new TenureError(
        "validation",
        `${at}reasonKey: a churn needs a reason (tenure renewals reasons lists them)`,
      );
    if (reasonKey !== null) {
      if (i.outcome !== "churned" && i.outcome !== "downgraded")
        throw new TenureError("validation", `${at}reasonKey: only a churn or a downgrade takes a reason`);
      const r = reasons.get(reasonKey);
      if (r === undefined || !r.active)
        throw new TenureError(
          "validation",
          `${at}reasonKey: "${reasonKey}" is not a reason of this workspace (${taxonomy
            .filter((x) => x.active)
            .map((x) => x.key)
            .join(", ")})`,
        );
    }
    return {
      accountId: i.accountId,
      renewalDate: i.renewalDate,
      outcome: i.outcome,
      arrBefore,
      arrAfter,
      reasonKey,
      note: i.note ?? null,
      recordedBy: i.recordedBy ?? null,
    };
  });
  return storage.renewals.upsertOutcomes(ws, rows);
}

/** Recorded outcomes in a period with account names. */
export async function renewalOutcomes(
  storage: Storage,
  ws: string,
  range: { from?: string; to?: string; accountId?: string },
  /** Who asks: a CSM limited to its book sees only its accounts' outcomes. */
  principal?: Principal,
): Promise<(RenewalOutcome & { name: string | null })[]> {
  const book = await readableBook(storage, principal);
  const [rows, names] = await Promise.all([
    storage.renewals.listOutcomes(ws, { ...range, ownerId: book?.ownerId }),
    storage.accounts.names(ws),
  ]);
  return rows.map((r) => ({ ...r, name: names.get(r.accountId) ?? null }));
}

/** Churn-reason analysis of the outcomes recorded in a period. */
export async function churnReasonReport(
  storage: Storage,
  ws: string,
  range: { from?: string; to?: string },
): Promise<ChurnReasonAnalysis & { from: string | null; to: string | null; taxonomy: ChurnReason[] }> {
  const [outcomes, taxonomy] = await Promise.all([
    storage.renewals.listOutcomes(ws, range),
    churnReasons(storage, ws),
  ]);
  return {
    from: range.from ?? null,
    to: range.to ?? null,
    taxonomy,
    ...analyzeChurnReasons(outcomes, taxonomy),
  };
}

export interface NewCampaignInput {
  name: string;
  startedOn: string;
  endedOn?: string | null;
  cost: number;
  note?: string | null;
  /** Accounts worked; atRiskArr defaults to the account's ARR on the renewal calendar. */
  accounts: { accountId: string; atRiskArr?: number }[];
}

/** Creates a save campaign after checking its fields and accounts (all or nothing). */
export async function createSaveCampaign(
  storage: Storage,
  ws: string,
  input: NewCampaignInput,
  opts: { asOf: string; reportingCurrency: string },
): Promise<SaveCampaignResult> {
  if (input.name.trim() === "") throw new TenureError("validation", "name: must not be empty");
  if (!validDate(input.startedOn))
    throw new TenureError("validation", `startedOn: must be a date YYYY-MM-DD, got ${input.startedOn}`);
  if (input.endedOn != null && (!validDate(input.endedOn) || input.endedOn < input.startedOn))
    throw new TenureError(
      "validation",
      `endedOn: must be a date on or after startedOn, got ${input.endedOn}`,
    );
  money(input.cost, "cost");
  const names = await storage.accounts.names(ws);
  let calendarArr: Map<string, number> | null = null;
  const accounts: { accountId: string; atRiskArr: number }[] = [];
  for (const [n, a] of input.accounts.entries()) {
    if (!names.has(a.accountId))
      throw new TenureError("validation", `accounts[${n}].accountId: no account ${a.accountId}`);
    let arr = money(a.atRiskArr, `accounts[${n}].atRiskArr`);
    if (arr === undefined) {
      if (calendarArr === null) {
        const cal = await renewalCalendar(storage, ws, { ...opts, months: 24 });
        calendarArr = new Map();
        for (const r of cal.rows) if (!calendarArr.has(r.accountId)) calendarArr.set(r.accountId, r.arr);
      }
      arr = calendarArr.get(a.accountId);
      if (arr === undefined)
        throw new TenureError(
          "validation",
          `accounts[${n}].atRiskArr: required: ${a.accountId} has no renewal on the calendar to take its ARR from`,
        );
    }
    accounts.push({ accountId: a.accountId, atRiskArr: arr });
  }
  const c = await storage.renewals.createCampaign(ws, {
    name: input.name.trim(),
    startedOn: input.startedOn,
    endedOn: input.endedOn ?? null,
    cost: input.cost,
    note: input.note ?? null,
    accounts,
  });
  return saveCampaignResult(c, await storage.renewals.listOutcomes(ws, { from: c.startedOn }));
}

/** Every save campaign with its at-risk ARR worked, ARR saved, cost and ROI, and the totals. */
export async function saveCampaignReport(
  storage: Storage,
  ws: string,
): Promise<{
  campaigns: SaveCampaignResult[];
  totals: { cost: number; arrSaved: number; atRiskArrWorked: number; roi: number | null };
}> {
  const [campaigns, outcomes] = await Promise.all([
    storage.renewals.listCampaigns(ws),
    storage.renewals.listOutcomes(ws),
  ]);
  const results = campaigns.map((c: SaveCampaign) => saveCampaignResult(c, outcomes));
  const cost = results.reduce((s, r) => s + r.cost, 0);
  const arrSaved = results.reduce((s, r) => s + r.arrSaved, 0);
  const atRiskArrWorked = results.reduce((s, r) => s + r.atRiskArrWorked, 0);
  return {
    campaigns: results,
    totals: { cost, arrSaved, atRiskArrWorked, roi: cost > 0 ? arrSaved / cost : null },
  };
}

/** Changes a campaign's cost (as it is entered over time), end date or note; its result after. */
export async function updateSaveCampaign(
  storage: Storage,
  ws: string,
  id: string,
  patch: { cost?: number; endedOn?: string | null; note?: string | null },
): Promise<SaveCampaignResult> {
  money(patch.cost, "cost");
  if (patch.endedOn != null && !validDate(patch.endedOn))
    throw new TenureError("validation", `endedOn: must be a date YYYY-MM-DD, got ${patch.endedOn}`);
  const current = (await storage.renewals.listCampaigns(ws)).find((c) => c.id === id);
  if (current === undefined) throw new TenureError("not_found", `No save campaign ${id}`);
  if (patch.endedOn != null && patch.endedOn < current.startedOn)
    throw new TenureError("validation", `endedOn: must be on or after the start ${current.startedOn}`);
  await storage.renewals.updateCampaign(ws, id, patch);
  const updated = (await storage.renewals.listCampaigns(ws)).find((c) => c.id === id) ?? current;
  return saveCampaignResult(updated, await storage.renewals.listOutcomes(ws, { from: updated.startedOn }));
}
