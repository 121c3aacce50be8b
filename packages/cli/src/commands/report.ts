import { RevenueService, runReport, type TenureConfig } from "@tenure/services";
import type { Storage } from "@tenure/storage";
import { today } from "../context";
import { type Io, renderTable, writeLine } from "../output";

/** `tenure report KIND`: a readable table, or the documented JSON with --json. */
export async function reportCommand(
  storage: Storage,
  config: TenureConfig,
  args: {
    workspaceId: string;
    kind: string;
    from?: string;
    to?: string;
    segment?: string;
    json: boolean;
    rates?: number[];
    months?: number;
    margin?: number;
  },
  io: Io,
): Promise<number> {
  const service = new RevenueService(storage, {
    workspaceId: args.workspaceId,
    reportingCurrency: config.reportingCurrency,
    grossMargin: args.margin,
    defaultGrossMargin: config.grossMargin,
    today,
  });
  const { from, to, segment, rates, months } = args;
  const report = await runReport(service, args.kind, { from, to, segment, rates, months });
  if (args.json) {
    writeLine(io.out, JSON.stringify(report.json));
  } else {
    writeLine(io.out, report.tables.map(renderTable).join("\n\n"));
  }
  return 0;
}
