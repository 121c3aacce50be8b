import {
  attainment,
  buildMrrMatrix,
  COVERAGE_MOTIONS,
  type CoverageModel,
  DEFAULT_COVERAGE,
  mrrOnDay,
  nextQbrDue,
  type Principal,
  quarterBounds,
  quarterOf,
  signingDates,
  TenureError,
  validateCoverage,
} from "@tenure/core";
import type { Storage } from "@tenure/storage";
import { z } from "zod";
import { guardAccountEdit, readableAccountIds } from "../access/book-scope";
import { requireAccount } from "../accounts/account-overview";
import { listPlaybooks } from "../playbooks/playbook-library";

const SETTING_KEY = "coverage";

const CoverageSchema = z.object({
  tiers: z.array(
    z.object({
      tier: z.string(),
      motion: z.enum(COVERAGE_MOTIONS),
      teamId: z.string().nullable(),
      qbrCadenceMonths: z.number().nullable(),
      automaticPlaybooks: z.array(z.string()),
    }),
  ),
});

/** The workspace's coverage model (the default until one is saved). */
export async function getCoverage(storage: Storage, ws: string): Promise<CoverageModel> {
  const stored = await storage.workspaceSettings.get(ws, SETTING_KEY);
  if (stored === null) return structuredClone(DEFAULT_COVERAGE);
  const parsed = CoverageSchema.safeParse(stored.value);
  // A stored value that no longer parses is treated as unset rather than breaking every page.
  return parsed.success ? parsed.data : structuredClone(DEFAULT_COVERAGE);
}

/** Saves the coverage model after checking its teams and playbooks exist; nothing is saved when any part is bad. */
export async function saveCoverage(
  storage: Storage,
  ws: string,
  model: CoverageModel,
): Promise<CoverageModel> {
  const [teams, playbooks] = await Promise.all([storage.team.listTeams(ws), listPlaybooks(storage, ws)]);
  const problems = validateCoverage(model, {
    teamIds: new Set(teams.map((t) => t.id)),
    playbookKeys: new Set(playbooks.map((p) => p.key)),
  });
  if (problems.length > 0) throw new TenureError("validation", problems.join("; "), problems);
  await storage.workspaceSettings.set(ws, SETTING_KEY, model);
  return model;
}

/** One large account in a quarter's QBR schedule. */
export interface QbrRow {
  accountId: string;
  accountName: string;
  tier: string | null;
  owner: string | null;
  motion: string;
  cadenceMonths: number;
  lastHeldOn: string | null;
  /** When the next QBR is due (from the last held one, else from signing). */
  nextDueOn: string | null;
  overdue: boolean;
  quarter: string;
  heldOn: string | null;
  /** MRR at the quarter's start (the end of the quarter before), the revenue engine's. */
  startMrr: number;
  targetMrr: number | null;
  /** MRR at the quarter's end, or today's for the running quarter. */
  actualMrr: number;
  attainment: number | null;
  note: string | null;
}

export interface QbrSchedule {
  quarter: string;
  /** True while the quarter runs: actuals are to date. */
  toDate: boolean;
  rows: QbrRow[];
  totals: { accounts: number; held: number; overdue: number; targetMrr: number; actualMrrOfTargeted: number };
}

/**
 * The QBR schedule of a quarter: every paying account of a tier with a QBR cadence, when its next QBR
 * is due, whether this quarter's was held, and its MRR target against the revenue engine's actual.
 */
export async function qbrSchedule(
  storage: Storage,
  ws: string,
  opts: {
    quarter?: string;
    asOf: string;
    reportingCurrency: string;
    /** Who asks: a CSM limited to its book sees only its accounts' QBRs (totals over them). */
    principal?: Principal;
  },
): Promise<QbrSchedule> {
  const readable = await readableAccountIds(storage, opts.principal);
  const quarter = opts.quarter ?? quarterOf(opts.asOf);
  const { start, end } = quarterBounds(quarter);
  const toDate = opts.asOf >= start && opts.asOf <= end;
  const actualDay = toDate ? opts.asOf : end;
  const [coverage, accounts, subs, rates, records, lastHeld] = await Promise.all([
    getCoverage(storage, ws),
    storage.accounts.list(ws),
    storage.subscriptions.list(ws),
    storage.exchangeRates.list(ws),
    storage.qbrs.listQuarter(ws, quarter),
    storage.qbrs.lastHeld(ws),
  ]);
  const byTier = new Map(coverage.tiers.filter((t) => t.qbrCadenceMonths !== null).map((t) => [t.tier, t]));
  const matrix = buildMrrMatrix(subs, rates, { reportingCurrency: opts.reportingCurrency, asOf: opts.asOf });
  const rowOf = new Map(matrix.accountIds.map((id, i) => [id, i]));
  const mrrAt = (accountId: string, day: string) =>
    mrrOnDay(matrix, accountId, day, rowOf.get(accountId) ?? -1);
  const signed = signingDates(subs);

  const recordOf = new Map(records.map((r) => [r.accountId, r]));
  const dayBefore = new Date(Date.parse(`${start}T00:00:00Z`) - 86_400_000).toISOString().slice(0, 10);
  const rows: QbrRow[] = [];
  for (const a of accounts) {
    if (readable !== null && !readable.has(a.id)) continue;
    const cov = a.tier === null ? undefined : byTier.get(a.tier);
    if (cov === undefined || cov.qbrCadenceMonths === null) continue;
    const actual = mrrAt(a.id, actualDay);
    const startMrr = mrrAt(a.id, dayBefore);
    const record = recordOf.get(a.id);
    // Accounts that paid nothing in the quarter have no QBR, unless one was recorded.
    if (actual <= 0 && startMrr <= 0 && record === undefined) continue;
    const last = lastHeld.get(a.id) ?? null;
    const nextDueOn = nextQbrDue(last, signed.get(a.id) ?? null, cov.qbrCadenceMonths);
    rows.push({
      accountId: a.id,
      accountName: a.name,
      tier: a.tier,
      owner: a.owner,
      motion: cov.motion,
      cadenceMonths: cov.qbrCadenceMonths,
      lastHeldOn: last,
      nextDueOn,
      overdue: nextDueOn !== null && nextDueOn < opts.asOf,
      quarter,
      heldOn: record?.heldOn ?? null,
      startMrr,
      targetMrr: record?.targetMrr ?? null,
      actualMrr: actual,
      attainment: attainment(record?.targetMrr ?? null, actual),
      note: record?.note ?? null,
    });
  }
  rows.sort((x, y) => y.actualMrr - x.actualMrr || (x.accountId < y.accountId ? -1 : 1));
  const targeted = rows.filter((r) => r.targetMrr !== null);
  return {
    quarter,
    toDate,
    rows,
    totals: {
      accounts: rows.length,
      held: rows.filter((r) => r.heldOn !== null).length,
      overdue: rows.filter((r) => r.overdue).length,
      targetMrr: Math.round(targeted.reduce((s, r) => s + (r.targetMrr ?? 0), 0) * 100) / 100,
      actualMrrOfTargeted: Math.round(targeted.reduce((s, r) => s + r.actualMrr, 0) * 100) / 100,
    },
  };
}

/** Sets an account's QBR target and/or held date for a quarter. */
export async function setQbr(
  storage: Storage,
  ws: string,
  accountId: string,
  quarter: string,
  input: {
    targetMrr?: number | null;
    heldOn?: string | null;
    note?: string | null;
    by?: string | null;
    /** Who asks (book scoping); omitted = the operator's own process. */
    principal?: Principal;
  },
) {
  await requireAccount(storage, ws, accountId);
  await guardAccountEdit(storage, ws, input.principal, accountId);
  try {
    quarterBounds(quarter);
  } catch {
    throw new TenureError("validation", `quarter: "${quarter}" is not a quarter (YYYY-Qn)`);
  }
  if (input.targetMrr != null && input.targetMrr < 0) {
    throw new TenureError("validation", "targetMrr: must not be negative");
  }
  const existing = (await storage.qbrs.listByAccount(ws, accountId)).find((r) => r.quarter === quarter);
  return storage.qbrs.upsert(ws, {
    accountId,
    quarter,
    targetMrr: input.targetMrr === undefined ? (existing?.targetMrr ?? null) : input.targetMrr,
    heldOn: input.heldOn === undefined ? (existing?.heldOn ?? null) : input.heldOn,
    note: input.note === undefined ? (existing?.note ?? null) : input.note,
    updatedBy: input.by ?? null,
  });
}
