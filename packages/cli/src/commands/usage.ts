import { TenureError } from "@tenure/core";
import { accountQuotas, type EventImportSummary, importEventsFile, usageReport } from "@tenure/services";
import type { Storage } from "@tenure/storage";
import { type Io, progressBar, renderTable, writeLine } from "../output";

/** `tenure import events FILE.jsonl`: Segment calls, one per line; any bad line = nothing written. */
export async function importEventsCommand(
  storage: Storage,
  args: { workspaceId: string; file: string; json: boolean },
  io: Io,
): Promise<number> {
  const bar = progressBar(io, "import events");
  let summary: EventImportSummary;
  try {
    summary = await importEventsFile(storage, {
      workspaceId: args.workspaceId,
      path: args.file,
      onProgress: (done, total) => bar.update(done, total),
    });
  } finally {
    bar.stop();
  }
  if (args.json) {
    writeLine(io.out, JSON.stringify(summary, null, 2));
  } else if (summary.written) {
    writeLine(
      io.out,
      `${summary.file}: ${summary.rowsRead} events read; ${summary.accepted} new, ${summary.duplicates} already stored (same messageId).`,
    );
    if (summary.createdAccounts.length > 0)
      writeLine(io.out, `Created ${summary.createdAccounts.length} minimal account(s) named by group calls.`);
  } else {
    writeLine(
      io.out,
      `${summary.file}: ${summary.rowsRead} events read; nothing written because of bad lines.`,
    );
  }
  for (const e of summary.errors.slice(0, 50)) {
    writeLine(io.err, `  ${e.file}:${e.row}${e.column ? ` ${e.column}` : ""}: ${e.reason}`);
  }
  if (summary.errors.length > 50) writeLine(io.err, `  ... and ${summary.errors.length - 50} more errors`);
  return summary.errors.length > 0 ? 1 : 0;
}

/** `tenure report usage --account ID --from DAY --to DAY`: per-day events and active users. */
export async function usageReportCommand(
  storage: Storage,
  args: { workspaceId: string; account?: string; from?: string; to?: string; json: boolean },
  io: Io,
): Promise<number> {
  if (!args.account || !args.from || !args.to)
    throw new TenureError("validation", "report usage needs --account ID --from YYYY-MM-DD --to YYYY-MM-DD");
  const report = await usageReport(storage, args.workspaceId, {
    accountId: args.account,
    from: args.from,
    to: args.to,
  });
  const { quotas } = await accountQuotas(storage, args.workspaceId, args.account, args.to);
  // `quotas` appears only for accounts with an allowance current on --to, so other output is unchanged.
  const compact = quotas.map(({ cumulative: _, ...q }) => q);
  if (args.json) {
    writeLine(io.out, JSON.stringify(quotas.length > 0 ? { ...report, quotas: compact } : report));
    return 0;
  }
  const names = [...new Set(report.days.flatMap((d) => Object.keys(d.events)))].sort();
  writeLine(
    io.out,
    renderTable({
      title: `Usage of ${args.account}`,
      columns: ["date", "active users", ...names],
      rows: report.days.map((d) => [d.date, d.activeUsers, ...names.map((n) => d.events[n] ?? 0)]),
    }),
  );
  for (const q of compact) {
    const pace =
      q.status === "exhausted"
        ? `used up on ${q.exhaustionDate}`
        : q.status === "exhausts_early"
          ? `runs out on ${q.exhaustionDate} at ${q.dailyRunRate?.toFixed(1)}/day, ${q.daysShort} days before the term ends`
          : q.status === "on_track"
            ? `lasts the term at ${q.dailyRunRate?.toFixed(1)}/day`
            : q.status.replace("_", " ");
    writeLine(
      io.out,
      `Quota ${q.metric}: ${q.consumed} of ${q.entitled} (${Math.round(q.usedRatio * 100)}%) ` +
        `in ${q.periodStart}..${q.periodEnd}; ${pace}.`,
    );
  }
  return 0;
}
