import { effectReport, estimateEffectFromCsv, type TenureConfig } from "@tenure/services";
import type { Storage } from "@tenure/storage";
import { type Io, renderTable, writeLine } from "../output";

/** Arguments of `tenure effect estimate`. */
export interface EffectEstimateArgs {
  csv: string;
  group: string;
  treated: string;
  pre?: string;
  post: string;
  /** commander's `--no-cuped` sets this to false. */
  cuped: boolean;
  json: boolean;
}

const round = (v: number, digits = 4) => Math.round(v * 10 ** digits) / 10 ** digits;

/**
 * `tenure effect estimate --csv FILE --group COL --treated VALUE --pre COL --post COL [--no-cuped]`:
 * the treated group's effect on post against every other row, with CUPED on pre unless --no-cuped.
 * With --json prints exactly effect, ciLow, ciHigh, pValue, relativeEffect, theta (null without
 * CUPED: no adjustment was made), nTreated, nControl, df. No database.
 */
export async function effectEstimateCommand(args: EffectEstimateArgs, io: Io): Promise<number> {
  const r = await estimateEffectFromCsv({
    file: args.csv,
    group: args.group,
    treated: args.treated,
    pre: args.pre,
    post: args.post,
    cuped: args.cuped,
  });
  if (args.json) {
    const { effect, ciLow, ciHigh, pValue, relativeEffect, theta, nTreated, nControl, df } = r;
    writeLine(
      io.out,
      JSON.stringify({ effect, ciLow, ciHigh, pValue, relativeEffect, theta, nTreated, nControl, df }),
    );
    return 0;
  }
  const pct = (v: number | null) => (v === null ? "–" : `${round(v * 100, 2)}%`);
  writeLine(
    io.out,
    renderTable({
      title: `Effect of ${args.group} = ${args.treated} on ${args.post} (${r.cuped ? `CUPED on ${args.pre}` : "no CUPED"})`,
      columns: ["", "value"],
      rows: [
        ["effect (treated − control)", round(r.effect)],
        ["95% confidence interval", `${round(r.ciLow)} to ${round(r.ciHigh)}`],
        ["p-value (two-sided Welch)", round(r.pValue, 5)],
        ["relative to control mean", pct(r.relativeEffect)],
        ["theta (CUPED)", r.theta === null ? "–" : round(r.theta)],
        ["variance removed by CUPED", pct(r.varianceReduction)],
        ["treated / control rows", `${r.nTreated} / ${r.nControl}`],
        ["control values", r.controlValues.join(", ")],
        ["degrees of freedom", round(r.df, 3)],
      ],
    }),
  );
  const verdict =
    r.ciLow > 0 || r.ciHigh < 0
      ? "The 95% interval excludes 0: the difference is unlikely to be chance alone."
      : "The 95% interval includes 0: no difference can be told from chance with these rows.";
  writeLine(io.out);
  writeLine(io.out, verdict);
  return 0;
}

/** Arguments of `tenure effect report`. */
export interface EffectReportArgs {
  workspaceId: string;
  json: boolean;
}

/**
 * `tenure effect report`: every playbook version's effect with its 95% interval and control group.
 * With --json prints {"playbooks": [{key, version, runs, effect, ciLow, ciHigh, nTreated, nControl, control}]}.
 */
export async function effectReportCommand(
  storage: Storage,
  config: TenureConfig,
  args: EffectReportArgs,
  io: Io,
): Promise<number> {
  const report = await effectReport(storage, args.workspaceId, {
    reportingCurrency: config.reportingCurrency,
  });
  if (args.json) {
    const playbooks = report.playbooks.map(
      ({ key, version, runs, effect, ciLow, ciHigh, nTreated, nControl, control }) => ({
        key,
        version,
        runs,
        effect,
        ciLow,
        ciHigh,
        nTreated,
        nControl,
        control,
      }),
    );
    writeLine(io.out, JSON.stringify({ playbooks }));
    return 0;
  }
  const num = (v: number | null, digits = 2) => (v === null ? null : round(v, digits));
  writeLine(
    io.out,
    renderTable({
      title: "Playbook effects (treated − control on the playbook's metric, 95% interval)",
      columns: ["playbook", "v", "runs", "effect", "interval", "n treated", "n control", "control", "note"],
      rows: report.playbooks.map((p) => [
        p.key,
        p.version,
        p.runs,
        num(p.effect),
        p.ciLow === null || p.ciHigh === null ? "–" : `${round(p.ciLow, 2)} to ${round(p.ciHigh, 2)}`,
        p.nTreated,
        p.nControl,
        p.control === "matched" ? `matched (${p.matchedRuns ?? 0} runs)` : "holdout",
        p.reason ?? (p.ciLow !== null && (p.ciLow > 0 || (p.ciHigh ?? 0) < 0) ? "excludes 0" : "includes 0"),
      ]),
    }),
  );
  writeLine(io.out);
  writeLine(
    io.out,
    renderTable({
      title: "Success per playbook (measured runs that moved the metric the way it wants)",
      columns: ["playbook", "runs", "measured", "succeeded", "success rate", "completed"],
      rows: report.success.map((s) => [
        s.key,
        s.runs,
        s.measured,
        s.succeeded,
        s.successRate === null ? "–" : `${round(s.successRate * 100, 1)}%`,
        s.completed,
      ]),
    }),
  );
  return 0;
}
