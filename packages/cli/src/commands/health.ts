import { TenureError } from "@tenure/core";
import { recomputeHealth, type TenureConfig } from "@tenure/services";
import type { Storage } from "@tenure/storage";
import { today } from "../context";
import { type Io, writeLine } from "../output";

/** `tenure health recompute [--as-of DATE] [--json]`: scores every account, raises signals, moves stages. */
export async function healthRecomputeCommand(
  storage: Storage,
  config: TenureConfig,
  args: { workspaceId: string; asOf?: string; json: boolean },
  io: Io,
): Promise<number> {
  const asOf = args.asOf ?? today();
  if (!/^\d{4}-\d{2}-\d{2}$/.test(asOf) || Number.isNaN(Date.parse(`${asOf}T00:00:00Z`)))
    throw new TenureError("validation", `--as-of must be a date as YYYY-MM-DD, got "${asOf}"`);
  const r = await recomputeHealth(storage, args.workspaceId, {
    asOf,
    reportingCurrency: config.reportingCurrency,
    // Asked for explicitly: say so when a server is already running it, rather than print zeros.
    whenBusy: "fail",
  });
  const out = {
    accounts: r.accounts,
    scored: r.scored,
    signalsOpened: r.signalsOpened,
    signalsResolved: r.signalsResolved,
    ms: r.ms,
  };
  if (args.json) writeLine(io.out, JSON.stringify(out));
  else
    writeLine(
      io.out,
      `Health as of ${asOf}: ${r.scored} of ${r.accounts} accounts scored; ${r.signalsOpened} signal(s) opened, ` +
        `${r.signalsResolved} resolved, ${r.stageChanges} stage change(s) in ${r.ms} ms.`,
    );
  return 0;
}
