import { dryRunAutomation, listAutomations, type TenureConfig } from "@tenure/services";
import type { Storage } from "@tenure/storage";
import { type Io, renderTable, writeLine } from "../output";

/** Arguments of `tenure automations list`. */
export interface AutomationsListArgs {
  workspaceId: string;
  json: boolean;
}

/** `tenure automations list [--json]`: every automation, its trigger, actions, guards and log counts. */
export async function automationsListCommand(
  storage: Storage,
  args: AutomationsListArgs,
  io: Io,
): Promise<number> {
  const automations = await listAutomations(storage, args.workspaceId);
  if (args.json) {
    writeLine(io.out, JSON.stringify({ automations }));
    return 0;
  }
  writeLine(
    io.out,
    renderTable({
      title: "Automations",
      columns: ["id", "name", "on", "v", "trigger", "actions", "hold-out %", "fired", "held out", "skipped"],
      rows: automations.map((a) => [
        a.id,
        a.name,
        a.enabled ? "on" : "off",
        a.version,
        a.trigger.type,
        a.actions.map((x) => x.type).join(", "),
        a.options.holdoutPct,
        a.counts.fired ?? 0,
        a.counts.held_out ?? 0,
        (a.counts.snoozed ?? 0) + (a.counts.reentry ?? 0) + (a.counts.deduped ?? 0),
      ]),
    }),
  );
  return 0;
}

/** Arguments of `tenure automations dry-run <id>`. */
export interface AutomationsDryRunArgs {
  workspaceId: string;
  id: string;
  days?: string;
  json: boolean;
}

/** `tenure automations dry-run <id> [--days N] [--json]`: who would be affected now and how (no writes). */
export async function automationsDryRunCommand(
  storage: Storage,
  config: TenureConfig,
  args: AutomationsDryRunArgs,
  io: Io,
): Promise<number> {
  const days = args.days === undefined ? undefined : Number(args.days);
  if (days !== undefined && (!Number.isInteger(days) || days < 1 || days > 365)) {
    writeLine(io.err, `--days must be a whole number of days from 1 to 365, got "${args.days}"`);
    return 2;
  }
  const result = await dryRunAutomation(storage, args.workspaceId, {
    id: args.id,
    days,
    asOf: new Date().toISOString(),
    reportingCurrency: config.reportingCurrency,
  });
  if (args.json) {
    writeLine(io.out, JSON.stringify(result));
    return 0;
  }
  writeLine(
    io.out,
    renderTable({
      title: `Dry run of ${args.id}: ${result.matched} matching accounts since ${result.since.slice(0, 16)}`,
      columns: ["account", "outcome", "trigger", "would do"],
      rows: result.rows.map((r) => [
        r.accountName,
        r.outcome,
        r.instance,
        r.actions.map((a) => a.type).join(", ") || "–",
      ]),
    }),
  );
  return 0;
}
