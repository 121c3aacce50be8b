import { TenureError } from "@tenure/core";
import {
  predictionList,
  renewalBacktest,
  renewalForecast,
  type TenureConfig,
  trainModel,
} from "@tenure/services";
import type { Storage } from "@tenure/storage";
import { today } from "../context";
import { type Io, writeLine } from "../output";

const fmt = (v: number, digits = 3) => (Number.isFinite(v) ? v.toFixed(digits) : "–");

/**
 * `tenure predict train --target churn|expansion [--as-of DATE] [--horizon-days N] [--json]`: builds
 * point-in-time rows, backtests logistic and GBT on later months, scores every paying account.
 */
export async function predictTrainCommand(
  storage: Storage,
  config: TenureConfig,
  args: { workspaceId: string; target: string; asOf?: string; horizonDays?: number; json: boolean },
  io: Io,
): Promise<number> {
  const asOf = args.asOf ?? today();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`)))
    throw new TenureError("validation", `--as-of must be a date as YYYY-MM-DD, got "${asOf}"`);
  const target = args.target;
  if (target !== "churn" && target !== "expansion")
    throw new TenureError("validation", `--target must be churn or expansion, got "${target}"`);
  const started = Date.now();
  // Churn: also replays and stores the renewal backtest, which the server only reads.
  const r = await trainModel(storage, args.workspaceId, {
    asOf,
    target,
    horizonDays: args.horizonDays,
    reportingCurrency: config.reportingCurrency,
  });
  const b = r.backtest;
  const out = {
    target,
    asOf,
    modelId: r.modelId,
    model: r.model,
    horizonDays: b.horizonDays,
    trainUntil: b.trainUntil,
    testFrom: b.testFrom,
    rows: r.datasetRows,
    trainRows: b.trainRows,
    testRows: b.testRows,
    testPositiveRate: b.testPositiveRate,
    scored: r.scored,
    metrics: {
      auc: b.metrics.chosen.auc,
      prAuc: b.metrics.chosen.prAuc,
      liftTopDecile: b.metrics.chosen.liftTopDecile,
    },
    models: b.metrics,
    topFeatures: b.topFeatures.slice(0, 5),
    ...(target === "churn"
      ? {
          renewalBacktest:
            r.renewalBacktest === null
              ? { stored: false, error: r.renewalBacktestError ?? null }
              : { stored: true, quarters: r.renewalBacktest.quarters.length, total: r.renewalBacktest.total },
        }
      : {}),
    ms: Date.now() - started,
  };
  if (args.json) {
    writeLine(io.out, JSON.stringify(out));
    return 0;
  }
  const line = (name: string, m: { auc: number; prAuc: number; liftTopDecile: number }) =>
    `  ${name.padEnd(9)} ROC-AUC ${fmt(m.auc)}  PR-AUC ${fmt(m.prAuc)}  lift@10% ${fmt(m.liftTopDecile, 2)}`;
  writeLine(
    io.out,
    `${target} model as of ${asOf} (${b.horizonDays}-day horizon): trained on ${b.trainRows} rows through ` +
      `${b.trainUntil}, tested on ${b.testRows} rows from ${b.testFrom} (${fmt(100 * b.testPositiveRate, 1)}% positive).`,
  );
  writeLine(io.out, line("logistic", b.metrics.logistic));
  writeLine(io.out, line("gbt", b.metrics.gbt));
  writeLine(io.out, line(`chosen (${b.chosen})`, b.metrics.chosen));
  writeLine(
    io.out,
    `Top features: ${b.topFeatures
      .slice(0, 5)
      .map((f) => f.feature)
      .join(", ")}.`,
  );
  if (target === "churn")
    writeLine(
      io.out,
      r.renewalBacktest === null
        ? `Renewal backtest not stored: ${r.renewalBacktestError ?? "no completed quarter to replay"}.`
        : `Stored the renewal backtest over ${r.renewalBacktest.quarters.length} quarters (error ${fmt(100 * (r.renewalBacktest.total.relativeError ?? Number.NaN), 1)}% of renewed ARR).`,
    );
  writeLine(
    io.out,
    `Scored ${r.scored} paying accounts with model ${r.model} (${r.modelId}) in ${out.ms} ms.`,
  );
  return 0;
}

/**
 * `tenure predict renewals [--days N | --quarters N] [--period month|quarter] [--as-of DATE] [--json]`:
 * upcoming renewals with expected renewal ARR and the source of each row's probability.
 * With `--backtest`: each of the last four completed quarters forecast as of its start against the ARR
 * that renewed.
 */
export async function predictRenewalsCommand(
  storage: Storage,
  config: TenureConfig,
  args: {
    workspaceId: string;
    days?: number;
    quarters?: number;
    period: string;
    asOf?: string;
    json: boolean;
    backtest?: boolean;
  },
  io: Io,
): Promise<number> {
  const asOf = args.asOf ?? today();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`)))
    throw new TenureError("validation", `--as-of must be a date as YYYY-MM-DD, got "${asOf}"`);
  if (args.backtest === true)
    return renewalBacktestOutput(storage, config, args.workspaceId, asOf, args.json, io);
  if (args.period !== "month" && args.period !== "quarter")
    throw new TenureError("validation", `--period must be month or quarter, got "${args.period}"`);
  const f = await renewalForecast(storage, args.workspaceId, {
    asOf,
    reportingCurrency: config.reportingCurrency,
    days: args.days,
    quarters: args.quarters,
    periodBy: args.period,
  });
  if (args.json) {
    writeLine(io.out, JSON.stringify(f));
    return 0;
  }
  const money = (v: number) => `${Math.round(v).toLocaleString("en-US")} ${f.currency}`;
  writeLine(
    io.out,
    `Renewals from ${asOf} through ${f.until}: ${f.totals.renewals}, ARR ${money(f.totals.arr)}, expected ${money(f.totals.expectedArr)}` +
      (f.totals.unforecast > 0 ? ` (${f.totals.unforecast} without any history)` : "") +
      ".",
  );
  for (const p of f.periods)
    writeLine(
      io.out,
      `  ${p.period.padEnd(8)} ${String(p.renewals).padStart(5)}  ARR ${money(p.arr)}  expected ${money(p.expectedArr)}`,
    );
  const bySource = new Map<string, number>();
  for (const r of f.rows) bySource.set(r.source, (bySource.get(r.source) ?? 0) + 1);
  writeLine(io.out, `Sources: ${[...bySource].map(([s, c]) => `${s} ${c}`).join(", ")}.`);
  return 0;
}

const pct = (v: number | null) => (v === null ? "–" : `${(100 * v).toFixed(1)}%`);

async function renewalBacktestOutput(
  storage: Storage,
  config: TenureConfig,
  workspaceId: string,
  asOf: string,
  json: boolean,
  io: Io,
): Promise<number> {
  const b = await renewalBacktest(storage, workspaceId, {
    asOf,
    reportingCurrency: config.reportingCurrency,
  });
  if (json) {
    writeLine(io.out, JSON.stringify(b));
    return 0;
  }
  const money = (v: number | null) =>
    v === null ? "–" : `${Math.round(v).toLocaleString("en-US")} ${b.currency}`;
  writeLine(io.out, "Renewal forecast backtest: each quarter forecast as of the day before it began.");
  for (const q of [...b.quarters, { ...b.total, quarter: "total" }])
    writeLine(
      io.out,
      `  ${q.quarter.padEnd(8)} ${String(q.renewals).padStart(5)} renewals  ARR ${money(q.arr)}  expected ${money(q.expectedArr)}` +
        `  renewed ${money(q.renewedArr)}  error ${money(q.error)} (${pct(q.relativeError)})` +
        `  history only: error ${money(q.historyError)}`,
    );
  return 0;
}

/**
 * `tenure predict list [--as-of DATE] [--json]`: every account with its churn probability (within 90
 * days; null when it does not pay), expansion propensity, the facts a CSM watches and the churn
 * probability's top reasons. JSON: {"asOf", "accounts": [{id, name, status, arr, churnProbability,
 * expansionPropensity, daysSinceLastActivity, activeUsers28d, healthScore, reasons}]}.
 */
export async function predictListCommand(
  storage: Storage,
  config: TenureConfig,
  args: { workspaceId: string; asOf?: string; json: boolean },
  io: Io,
): Promise<number> {
  const asOf = args.asOf ?? today();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`)))
    throw new TenureError("validation", `--as-of must be a date as YYYY-MM-DD, got "${asOf}"`);
  const list = await predictionList(storage, args.workspaceId, {
    asOf,
    reportingCurrency: config.reportingCurrency,
  });
  if (args.json) {
    writeLine(
      io.out,
      JSON.stringify({
        asOf: list.asOf,
        accounts: list.accounts.map((a) => ({
          id: a.id,
          name: a.name,
          status: a.status,
          arr: a.arr,
          churnProbability: a.churnProbability,
          expansionPropensity: a.expansionPropensity,
          daysSinceLastActivity: a.daysSinceLastActivity,
          activeUsers28d: a.activeUsers28d,
          healthScore: a.healthScore,
          reasons: a.reasons,
        })),
      }),
    );
    return 0;
  }
  const pct = (v: number | null) => (v === null ? "–" : `${(100 * v).toFixed(1)}%`);
  writeLine(io.out, `Churn probability (90 days) as of ${asOf}, ${list.accounts.length} accounts:`);
  for (const a of list.accounts) {
    const why = a.reasons
      .slice(0, 2)
      .map((r) => r.text)
      .join("; ");
    writeLine(
      io.out,
      `  ${a.id}  ${a.name.slice(0, 32).padEnd(32)}  ${a.status.padEnd(8)}  ARR ${a.arr.toFixed(0).padStart(9)}  churn ${pct(a.churnProbability).padStart(6)}  expansion ${pct(a.expansionPropensity).padStart(6)}${why ? `  (${why})` : ""}`,
    );
  }
  return 0;
}
