import { readFileSync } from "node:fs";
import path from "node:path";
import {
  fitBgNbd,
  fitGammaGamma,
  fitParetoNbd,
  fitSbg,
  parseTransactionsText,
  rfmSummary,
  sbgDel,
  sbgDerl,
  sbgProjection,
  TenureError,
  type TimeUnit,
} from "@tenure/core";
import { CLV_MODELS, type ClvModel } from "../choices";
import { type Io, writeLine } from "../output";

const TIME_UNITS: readonly TimeUnit[] = ["day", "week", "month"];

export interface ClvFitArgs {
  model: string;
  json: boolean;
  /** sbg: "1000,631,468" — one cohort; cohorts separated by ";" or given as repeated options. */
  survivors?: string | string[];
  /** sbg: discount rate per period for DEL and DERL (default 0.1). */
  discount?: number;
  /** sbg: renewals made, for DERL (default: the longest cohort's periods). */
  renewals?: number;
  /** sbg: periods to project (default: observed + 5). */
  horizon?: number;
  transactions?: string;
  calibrationEnd?: string;
  timeUnit?: string;
}

/** `tenure clv fit MODEL`: fits a CLV model and prints its parameters (JSON with --json). No database. */
export async function clvFitCommand(args: ClvFitArgs, io: Io): Promise<number> {
  if (!(CLV_MODELS as readonly string[]).includes(args.model)) {
    throw new TenureError("validation", `unknown model "${args.model}"; use one of ${CLV_MODELS.join(", ")}`);
  }
  const result =
    args.model === "sbg" ? fitSbgFromArgs(args) : fitRepeatPurchase(args.model as ClvModel, args);
  if (args.json) {
    writeLine(io.out, JSON.stringify(result));
    return 0;
  }
  for (const [key, value] of Object.entries(result)) {
    if (key === "projection" && Array.isArray(value)) {
      writeLine(io.out, "period  survival  retention");
      for (const p of value as { period: number; survival: number; retention: number }[]) {
        writeLine(
          io.out,
          `${String(p.period).padStart(6)}  ${p.survival.toFixed(4).padStart(8)}  ${p.retention.toFixed(4).padStart(9)}`,
        );
      }
    } else if (Array.isArray(value)) {
      for (const w of value) writeLine(io.out, `warning: ${String(w)}`);
    } else {
      writeLine(
        io.out,
        `${key.padEnd(16)}${typeof value === "number" ? formatNumber(value) : String(value)}`,
      );
    }
  }
  return 0;
}

const formatNumber = (v: number) => (Number.isInteger(v) ? String(v) : v.toPrecision(8));

function parseCohorts(survivors: string | string[] | undefined): number[][] {
  const raw = (Array.isArray(survivors) ? survivors : survivors === undefined ? [] : [survivors])
    .flatMap((s) => s.split(";"))
    .filter((s) => s.trim() !== "");
  if (raw.length === 0) {
    throw new TenureError("validation", "sbg needs --survivors, e.g. --survivors 1000,631,468,382");
  }
  return raw.map((cohort) =>
    cohort.split(",").map((s) => {
      const n = Number(s.trim());
      if (s.trim() === "" || !Number.isFinite(n)) {
        throw new TenureError("validation", `--survivors must be comma-separated numbers, got "${cohort}"`);
      }
      return n;
    }),
  );
}

function fitSbgFromArgs(args: ClvFitArgs) {
  const cohorts = parseCohorts(args.survivors);
  const fit = fitSbg(cohorts);
  const observed = Math.max(...cohorts.map((c) => c.length - 1));
  const discountRate = args.discount ?? 0.1;
  const renewals = args.renewals ?? observed;
  const horizon = args.horizon ?? observed + 5;
  return {
    model: "sbg",
    alpha: fit.alpha,
    beta: fit.beta,
    logLikelihood: fit.logLikelihood,
    cohorts: fit.cohorts,
    customers: fit.customers,
    converged: fit.converged,
    discountRate,
    renewals,
    del: sbgDel(fit, discountRate),
    derl: sbgDerl(fit, discountRate, renewals),
    projection: sbgProjection(fit, horizon),
    warnings: fit.warnings,
  };
}

function readLog(file: string | undefined): string {
  if (!file)
    throw new TenureError("validation", "this model needs --transactions FILE (customer_id,date,amount)");
  try {
    return readFileSync(path.resolve(file), "utf8");
  } catch {
    throw new TenureError("not_found", `cannot read the transactions file ${file}`);
  }
}

function fitRepeatPurchase(model: ClvModel, args: ClvFitArgs) {
  const text = readLog(args.transactions);
  if (!args.calibrationEnd) {
    throw new TenureError("validation", "this model needs --calibration-end YYYY-MM-DD");
  }
  const timeUnit = (args.timeUnit ?? "week") as TimeUnit;
  if (!TIME_UNITS.includes(timeUnit)) {
    throw new TenureError("validation", `--time-unit must be day, week or month, got "${args.timeUnit}"`);
  }
  const transactions = parseTransactionsText(text);
  const summary = rfmSummary(transactions, { calibrationEnd: args.calibrationEnd, timeUnit });
  if (transactions.length > 0 && summary.customers.length === 0) {
    throw new TenureError(
      "validation",
      `no customer bought on or before the calibration end ${args.calibrationEnd}; pick a later --calibration-end`,
    );
  }
  const context = {
    calibrationEnd: summary.calibrationEnd,
    timeUnit,
    transactions: transactions.length,
    ignoredTransactions: summary.ignoredTransactions,
  };
  const tail = (fit: {
    logLikelihood: number;
    customers: number;
    converged: boolean;
    warnings: string[];
  }) => ({
    logLikelihood: fit.logLikelihood,
    customers: fit.customers,
    ...context,
    converged: fit.converged,
    warnings: fit.warnings,
  });
  if (model === "bgnbd") {
    const fit = fitBgNbd(summary.customers);
    return { model, ...fit.params, ...tail(fit) };
  }
  if (model === "paretonbd") {
    const fit = fitParetoNbd(summary.customers);
    return { model, ...fit.params, ...tail(fit) };
  }
  const fit = fitGammaGamma(summary.customers);
  return { model, ...fit.params, ...tail(fit) };
}
