import { randomUUID } from "node:crypto";
import { type Principal, TenureError } from "@tenure/core";
import type { Referral, ReferralStatus, Storage, TimelineEntryRecord } from "@tenure/storage";
import { guardAccountEdit, guardAccountsEdit, readableAccountIds } from "../access/book-scope";
import { csvRecordStream } from "../import/csv-records";

export type SurveyKind = "nps" | "csat";
export const REFERRAL_STATUSES: readonly ReferralStatus[] = ["referred", "qualified", "won", "lost"];

/** One NPS (0-10) or CSAT (1-5) answer; stored as a timeline entry (types nps and csat). */
export interface SurveyResponseInput {
  accountId: string;
  kind: SurveyKind;
  score: number;
  /** YYYY-MM-DD or an ISO timestamp; default now. */
  respondedAt?: string;
  contactId?: string | null;
  comment?: string | null;
}

const RANGE: Record<SurveyKind, [number, number]> = { nps: [0, 10], csat: [1, 5] };

/**
 * Checks survey answers and writes them to the accounts' timelines (one transaction): NPS answers are
 * the timeline's nps entries the health score and signals already read, CSAT answers csat entries.
 * `field` names the input (body field or CSV row) in errors.
 */
export async function recordSurveyResponses(
  storage: Storage,
  ws: string,
  inputs: readonly SurveyResponseInput[],
  where: (index: number, field: string) => string = (i, f) =>
    inputs.length > 1 ? `responses[${i}].${f}` : f,
  /** Who asks (book scoping of every account answered for); omitted = the operator's own process. */
  principal?: Principal,
): Promise<TimelineEntryRecord[]> {
  const names = await storage.accounts.names(ws);
  await guardAccountsEdit(
    storage,
    ws,
    principal,
    inputs.flatMap((r) => (names.has(r.accountId) ? [r.accountId] : [])),
  );
  const now = new Date().toISOString();
  const entries = inputs.map((r, i): TimelineEntryRecord => {
    if (!names.has(r.accountId))
      throw new TenureError("validation", `${where(i, "accountId")}: no account ${r.accountId}`);
    if (r.kind !== "nps" && r.kind !== "csat")
      throw new TenureError("validation", `${where(i, "kind")}: must be nps or csat, got ${String(r.kind)}`);
    const [lo, hi] = RANGE[r.kind];
    if (!Number.isInteger(r.score) || r.score < lo || r.score > hi)
      throw new TenureError(
        "validation",
        `${where(i, "score")}: a ${r.kind.toUpperCase()} score is a whole number from ${lo} to ${hi}, got ${r.score}`,
      );
    let at = now;
    if (r.respondedAt !== undefined) {
      const t = Date.parse(
        /^\d{4}-\d{2}-\d{2}$/.test(r.respondedAt) ? `${r.respondedAt}T12:00:00Z` : r.respondedAt,
      );
      if (Number.isNaN(t))
        throw new TenureError(
          "validation",
          `${where(i, "respondedAt")}: must be a date or ISO timestamp, got ${r.respondedAt}`,
        );
      at = new Date(t).toISOString();
    }
    return {
      id: randomUUID(),
      accountId: r.accountId,
      type: r.kind,
      occurredAt: at,
      author: null,
      title: `${r.kind.toUpperCase()} ${r.score}`,
      body: r.comment ?? null,
      data: { score: r.score, contactId: r.contactId ?? null },
    };
  });
  if (entries.length > 0) await storage.transaction((tx) => tx.timeline.insertMany(ws, entries));
  return entries;
}

/**
 * Reads survey answers from CSV (account_id, score, kind nps|csat default nps, date, contact_id,
 * comment) and records them all or none; errors name the row (header = row 1) and column.
 */
export async function importSurveyCsv(
  storage: Storage,
  ws: string,
  file: string,
  text: string,
  /** Who asks (book scoping); omitted = the operator's own process. */
  principal?: Principal,
): Promise<{ recorded: number }> {
  const stream = csvRecordStream(file, text);
  const rows: { row: number; input: SurveyResponseInput }[] = [];
  for (const chunk of stream.chunks()) {
    for (const rec of chunk) {
      const v = rec.values;
      const cell = (k: string) =>
        typeof v[k] === "string" && (v[k] as string).trim() !== "" ? (v[k] as string).trim() : undefined;
      const account = cell("account_id");
      if (account === undefined)
        throw new TenureError("validation", `${file} row ${rec.row}, column account_id: required`);
      const score = Number(cell("score"));
      if (cell("score") === undefined || !Number.isFinite(score))
        throw new TenureError(
          "validation",
          `${file} row ${rec.row}, column score: a number is required, got ${cell("score") ?? "nothing"}`,
        );
      rows.push({
        row: rec.row,
        input: {
          accountId: account,
          kind: (cell("kind")?.toLowerCase() ?? "nps") as SurveyKind,
          score,
          respondedAt: cell("date"),
          contactId: cell("contact_id") ?? null,
          comment: cell("comment") ?? null,
        },
      });
    }
  }
  const issue = stream.issues[0];
  if (issue !== undefined) throw new TenureError("validation", `${file} row ${issue.row}: ${issue.reason}`);
  const columnOf: Record<string, string> = {
    accountId: "account_id",
    kind: "kind",
    score: "score",
    respondedAt: "date",
  };
  const entries = await recordSurveyResponses(
    storage,
    ws,
    rows.map((r) => r.input),
    (i, f) => `${file} row ${rows[i]?.row}, column ${columnOf[f] ?? f}`,
    principal,
  );
  return { recorded: entries.length };
}

/** NPS and CSAT over a period: the latest answer per respondent (contact, else account) counts. */
export interface SurveySummary {
  from: string;
  to: string;
  nps: { responses: number; promoters: number; passives: number; detractors: number; score: number | null };
  csat: { responses: number; satisfied: number; average: number | null; satisfiedShare: number | null };
  /** Accounts whose latest NPS answer in the period is 9 or 10, with their referrals. */
  promoters: {
    accountId: string;
    name: string | null;
    score: number;
    respondedAt: string;
    referrals: number;
  }[];
  /** Every answer of the period, newest first. */
  responses: {
    accountId: string;
    name: string | null;
    kind: SurveyKind;
    score: number;
    respondedAt: string;
    comment: string | null;
  }[];
}

/** NPS (% promoters − % detractors), CSAT (share of 4-5 answers, mean) and promoters over [from, to]. */
export async function surveySummary(
  storage: Storage,
  ws: string,
  range: { from: string; to: string },
  /** Who asks: a CSM limited to its book sees only its accounts' answers (NPS and CSAT over them). */
  principal?: Principal,
): Promise<SurveySummary> {
  const readable = await readableAccountIds(storage, principal);
  const [entries, names, referrals] = await Promise.all([
    storage.timeline.listByTypes(ws, ["nps", "csat"], `${range.from}T00:00:00.000Z`),
    storage.accounts.names(ws),
    storage.renewals.listReferrals(ws),
  ]);
  const inRange = entries
    .filter((e) => readable === null || readable.has(e.accountId))
    .filter((e) => e.occurredAt.slice(0, 10) <= range.to && Number.isFinite(Number(e.data.score)))
    .sort((a, b) => (a.occurredAt < b.occurredAt ? 1 : -1));
  const latest = new Map<string, TimelineEntryRecord>();
  const latestByAccount = new Map<string, TimelineEntryRecord>();
  for (const e of inRange) {
    const who = `${e.type} ${typeof e.data.contactId === "string" ? e.data.contactId : `account:${e.accountId}`}`;
    if (!latest.has(who)) latest.set(who, e);
    if (e.type === "nps" && !latestByAccount.has(e.accountId)) latestByAccount.set(e.accountId, e);
  }
  let promoters = 0;
  let passives = 0;
  let detractors = 0;
  let csatN = 0;
  let satisfied = 0;
  let csatSum = 0;
  for (const e of latest.values()) {
    const s = Number(e.data.score);
    if (e.type === "nps") {
      if (s >= 9) promoters += 1;
      else if (s >= 7) passives += 1;
      else detractors += 1;
    } else {
      csatN += 1;
      csatSum += s;
      if (s >= 4) satisfied += 1;
    }
  }
  const npsN = promoters + passives + detractors;
  const referralCount = new Map<string, number>();
  for (const r of referrals)
    referralCount.set(r.advocateAccountId, (referralCount.get(r.advocateAccountId) ?? 0) + 1);
  return {
    from: range.from,
    to: range.to,
    nps: {
      responses: npsN,
      promoters,
      passives,
      detractors,
      score: npsN > 0 ? (100 * (promoters - detractors)) / npsN : null,
    },
    csat: {
      responses: csatN,
      satisfied,
      average: csatN > 0 ? csatSum / csatN : null,
      satisfiedShare: csatN > 0 ? satisfied / csatN : null,
    },
    promoters: [...latestByAccount.values()]
      .filter((e) => Number(e.data.score) >= 9)
      .map((e) => ({
        accountId: e.accountId,
        name: names.get(e.accountId) ?? null,
        score: Number(e.data.score),
        respondedAt: e.occurredAt,
        referrals: referralCount.get(e.accountId) ?? 0,
      })),
    responses: inRange.map((e) => ({
      accountId: e.accountId,
      name: names.get(e.accountId) ?? null,
      kind: e.type as SurveyKind,
      score: Number(e.data.score),
      respondedAt: e.occurredAt,
      comment: e.body,
    })),
  };
}

export interface NewReferralInput {
  advocateAccountId: string;
  referredAccountId?: string | null;
  referredName?: string;
  referredOn: string;
  status?: ReferralStatus;
  referredArr?: number;
  note?: string | null;
}

/** Records a referral: the advocate (and the referred account, when given) must exist. */
export async function createReferral(
  storage: Storage,
  ws: string,
  input: NewReferralInput,
  /** Who asks (book scoping of the advocate account); omitted = the operator's own process. */
  principal?: Principal,
): Promise<Referral> {
  const names = await storage.accounts.names(ws);
  if (!names.has(input.advocateAccountId))
    throw new TenureError("validation", `advocateAccountId: no account ${input.advocateAccountId}`);
  await guardAccountEdit(storage, ws, principal, input.advocateAccountId);
  const referredAccountId = input.referredAccountId ?? null;
  if (referredAccountId !== null && !names.has(referredAccountId))
    throw new TenureError("validation", `referredAccountId: no account ${referredAccountId}`);
  if (referredAccountId === input.advocateAccountId)
    throw new TenureError("validation", "referredAccountId: an account cannot refer itself");
  const referredName =
    input.referredName?.trim() || (referredAccountId === null ? "" : (names.get(referredAccountId) ?? ""));
  if (referredName === "")
    throw new TenureError("validation", "referredName: required without a referredAccountId");
  if (!/^\d{4}-\d{2}-\d{2}$/.test(input.referredOn) || Number.isNaN(Date.parse(input.referredOn)))
    throw new TenureError("validation", `referredOn: must be a date YYYY-MM-DD, got ${input.referredOn}`);
  const status = input.status ?? (referredAccountId === null ? "referred" : "won");
  if (!REFERRAL_STATUSES.includes(status))
    throw new TenureError("validation", `status: must be one of ${REFERRAL_STATUSES.join(", ")}`);
  const referredArr = input.referredArr ?? 0;
  if (!Number.isFinite(referredArr) || referredArr < 0 || referredArr > 1e12)
    throw new TenureError("validation", `referredArr: must be a number from 0 to 1e12, got ${referredArr}`);
  const [r] = await storage.renewals.createReferrals(ws, [
    {
      advocateAccountId: input.advocateAccountId,
      referredAccountId,
      referredName,
      referredOn: input.referredOn,
      status,
      referredArr,
      note: input.note ?? null,
    },
  ]);
  if (r === undefined) throw new TenureError("internal", "the referral was not stored");
  return r;
}

/** Referrals with names, and referred ARR in total and won. */
export async function referralReport(
  storage: Storage,
  ws: string,
  /** Who asks: a CSM limited to its book sees only the referrals its accounts made. */
  principal?: Principal,
): Promise<{
  referrals: (Referral & { advocateName: string | null })[];
  totals: { referrals: number; won: number; referredArr: number; wonArr: number; advocates: number };
}> {
  const readable = await readableAccountIds(storage, principal);
  const [all, names] = await Promise.all([storage.renewals.listReferrals(ws), storage.accounts.names(ws)]);
  const rows = all.filter((r) => readable === null || readable.has(r.advocateAccountId));
  const won = rows.filter((r) => r.status === "won");
  return {
    referrals: rows.map((r) => ({ ...r, advocateName: names.get(r.advocateAccountId) ?? null })),
    totals: {
      referrals: rows.length,
      won: won.length,
      referredArr: rows.reduce((s, r) => s + r.referredArr, 0),
      wonArr: won.reduce((s, r) => s + r.referredArr, 0),
      advocates: new Set(rows.map((r) => r.advocateAccountId)).size,
    },
  };
}
