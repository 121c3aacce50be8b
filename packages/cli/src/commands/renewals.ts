import { readFile } from "node:fs/promises";
import { basename } from "node:path";
import { TenureError } from "@tenure/core";
import {
  churnReasonReport,
  createReferral,
  importSurveyCsv,
  type RecordOutcomeInput,
  recordRenewalOutcomes,
  referralReport,
  renewalCalendar,
  saveCampaignReport,
  surveySummary,
  type TenureConfig,
} from "@tenure/services";
import type { ReferralStatus, Storage } from "@tenure/storage";
import { today } from "../context";
import { type Io, writeLine } from "../output";

const money = (v: number) => Math.round(v).toLocaleString("en-US");
const pct = (v: number | null) => (v === null ? "–" : `${(100 * v).toFixed(1)}%`);
const asDate = (flag: string, v: string | undefined) => {
  if (v === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`)))
    throw new TenureError("validation", `${flag} must be a date as YYYY-MM-DD, got "${v}"`);
  return v;
};
const amount = (flag: string, v: string | undefined) => {
  if (v === undefined) return undefined;
  const n = Number(v);
  if (v.trim() === "" || !Number.isFinite(n) || n < 0)
    throw new TenureError("validation", `${flag} must be a number ≥ 0, got "${v}"`);
  return n;
};

/** `tenure renewals list [--months N] [--owner NAME] [--json]`: the renewal calendar. */
export async function renewalsListCommand(
  storage: Storage,
  config: TenureConfig,
  args: { workspaceId: string; months?: number; owner?: string; asOf?: string; json: boolean },
  io: Io,
): Promise<number> {
  const cal = await renewalCalendar(storage, args.workspaceId, {
    asOf: asDate("--as-of", args.asOf) ?? today(),
    reportingCurrency: config.reportingCurrency,
    months: args.months,
    owner: args.owner,
  });
  if (args.json) {
    writeLine(io.out, JSON.stringify(cal));
    return 0;
  }
  writeLine(
    io.out,
    `Renewals ${cal.asOf} to ${cal.until}: ${cal.totals.renewals}, ARR ${money(cal.totals.arr)} ${cal.currency}, expected ${money(cal.totals.expectedArr)}`,
  );
  for (const m of cal.byMonth)
    writeLine(
      io.out,
      `  ${m.key}  ${String(m.renewals).padStart(4)}  ARR ${money(m.arr).padStart(12)}  expected ${money(m.expectedArr).padStart(12)}  red ${money(m.redArr)}`,
    );
  for (const r of cal.rows)
    writeLine(
      io.out,
      `${r.renewalDate}  ${(r.name ?? r.accountId).padEnd(32)}  ${(r.owner ?? "–").padEnd(16)}  ${money(r.arr).padStart(10)}  ${(r.band ?? "–").padEnd(6)}  renews ${pct(r.renewalProbability)}${r.outcome ? `  (${r.outcome})` : ""}`,
    );
  return 0;
}

/**
 * `tenure renewals outcome ACCOUNT DATE OUTCOME [--arr-after N] [--arr-before N] [--reason KEY]
 * [--note TEXT] [--json]`: records a renewal's outcome.
 */
export async function renewalsOutcomeCommand(
  storage: Storage,
  config: TenureConfig,
  args: {
    workspaceId: string;
    account: string;
    date: string;
    outcome: string;
    arrAfter?: string;
    arrBefore?: string;
    reason?: string;
    note?: string;
    json: boolean;
  },
  io: Io,
): Promise<number> {
  const input: RecordOutcomeInput = {
    accountId: args.account,
    renewalDate: asDate("DATE", args.date) ?? args.date,
    outcome: args.outcome as RecordOutcomeInput["outcome"],
    arrAfter: amount("--arr-after", args.arrAfter),
    arrBefore: amount("--arr-before", args.arrBefore),
    reasonKey: args.reason ?? null,
    note: args.note ?? null,
  };
  const [o] = await recordRenewalOutcomes(storage, args.workspaceId, [input], {
    asOf: today(),
    reportingCurrency: config.reportingCurrency,
  });
  if (o === undefined) throw new TenureError("internal", "the outcome was not recorded");
  if (args.json) writeLine(io.out, JSON.stringify(o));
  else
    writeLine(
      io.out,
      `Recorded ${o.accountId} ${o.renewalDate}: ${o.outcome}, ARR ${money(o.arrBefore)} → ${money(o.arrAfter)}${o.reasonKey ? ` (${o.reasonKey})` : ""}`,
    );
  return 0;
}

/** `tenure renewals reasons [--from D] [--to D] [--json]`: churn by reason with the manageable share. */
export async function renewalsReasonsCommand(
  storage: Storage,
  args: { workspaceId: string; from?: string; to?: string; json: boolean },
  io: Io,
): Promise<number> {
  const a = await churnReasonReport(storage, args.workspaceId, {
    from: asDate("--from", args.from),
    to: asDate("--to", args.to),
  });
  if (args.json) {
    writeLine(io.out, JSON.stringify(a));
    return 0;
  }
  writeLine(
    io.out,
    `${a.churned} churned renewals, lost ARR ${money(a.lostArr)}; manageable ${pct(a.manageableShare)} of churns, ${pct(a.manageableArrShare)} of lost ARR`,
  );
  for (const r of a.reasons)
    writeLine(
      io.out,
      `  ${r.key.padEnd(20)} ${r.manageable ? "manageable" : "          "}  ${String(r.count).padStart(4)}  ${money(r.lostArr).padStart(12)}  ${pct(r.share)}`,
    );
  return 0;
}

/** `tenure renewals campaigns [--json]`: save campaigns with ARR saved, cost and ROI. */
export async function renewalsCampaignsCommand(
  storage: Storage,
  args: { workspaceId: string; json: boolean },
  io: Io,
): Promise<number> {
  const r = await saveCampaignReport(storage, args.workspaceId);
  if (args.json) {
    writeLine(io.out, JSON.stringify(r));
    return 0;
  }
  for (const c of r.campaigns)
    writeLine(
      io.out,
      `${c.name} (${c.startedOn}): ${c.accounts} accounts, at-risk ARR ${money(c.atRiskArrWorked)}, saved ${money(c.arrSaved)} (${c.saved}), lost ${c.churned}, open ${c.open}, cost ${money(c.cost)}, ROI ${c.roi === null ? "–" : c.roi.toFixed(2)}`,
    );
  return 0;
}

/** `tenure referrals list [--json]` */
export async function referralsListCommand(
  storage: Storage,
  args: { workspaceId: string; json: boolean },
  io: Io,
): Promise<number> {
  const r = await referralReport(storage, args.workspaceId);
  if (args.json) {
    writeLine(io.out, JSON.stringify(r));
    return 0;
  }
  writeLine(
    io.out,
    `${r.totals.referrals} referrals by ${r.totals.advocates} advocates, referred ARR ${money(r.totals.referredArr)}, won ${r.totals.won} (${money(r.totals.wonArr)})`,
  );
  for (const x of r.referrals)
    writeLine(
      io.out,
      `  ${x.referredOn}  ${(x.advocateName ?? x.advocateAccountId).padEnd(30)} → ${x.referredName.padEnd(30)} ${x.status.padEnd(9)} ${money(x.referredArr)}`,
    );
  return 0;
}

/** `tenure referrals add ADVOCATE [--account ID | --name NAME] [--date D] [--arr N] [--status S] [--json]` */
export async function referralsAddCommand(
  storage: Storage,
  args: {
    workspaceId: string;
    advocate: string;
    account?: string;
    name?: string;
    date?: string;
    arr?: string;
    status?: string;
    json: boolean;
  },
  io: Io,
): Promise<number> {
  const r = await createReferral(storage, args.workspaceId, {
    advocateAccountId: args.advocate,
    referredAccountId: args.account ?? null,
    referredName: args.name,
    referredOn: asDate("--date", args.date) ?? today(),
    referredArr: amount("--arr", args.arr),
    status: args.status as ReferralStatus | undefined,
  });
  if (args.json) writeLine(io.out, JSON.stringify(r));
  else writeLine(io.out, `Recorded referral ${r.advocateAccountId} → ${r.referredName} (${r.status})`);
  return 0;
}

/** `tenure surveys import FILE`: NPS and CSAT answers from CSV, all or none. */
export async function surveysImportCommand(
  storage: Storage,
  args: { workspaceId: string; file: string; json: boolean },
  io: Io,
): Promise<number> {
  const text = await readFile(args.file, "utf8").catch(() => {
    throw new TenureError("validation", `cannot read ${args.file}`);
  });
  const r = await importSurveyCsv(storage, args.workspaceId, basename(args.file), text);
  writeLine(
    io.out,
    args.json ? JSON.stringify(r) : `Recorded ${r.recorded} answers on the accounts' timelines`,
  );
  return 0;
}

/** `tenure surveys summary [--from D] [--to D] [--json]`: NPS, CSAT and promoters (default: 365 days). */
export async function surveysSummaryCommand(
  storage: Storage,
  args: { workspaceId: string; from?: string; to?: string; json: boolean },
  io: Io,
): Promise<number> {
  const to = asDate("--to", args.to) ?? today();
  const from =
    asDate("--from", args.from) ??
    new Date(Date.parse(`${to}T00:00:00Z`) - 365 * 86_400_000).toISOString().slice(0, 10);
  const s = await surveySummary(storage, args.workspaceId, { from, to });
  if (args.json) {
    writeLine(io.out, JSON.stringify({ ...s, responses: undefined }));
    return 0;
  }
  writeLine(
    io.out,
    `NPS ${s.nps.score === null ? "–" : s.nps.score.toFixed(0)} (${s.nps.responses} answers: ${s.nps.promoters} promoters, ${s.nps.detractors} detractors); CSAT ${pct(s.csat.satisfiedShare)} satisfied of ${s.csat.responses}`,
  );
  for (const p of s.promoters)
    writeLine(io.out, `  promoter ${p.name ?? p.accountId} (${p.score}), referrals ${p.referrals}`);
  return 0;
}
