import type { HealthBand, LifecycleStage } from "@tenure/core";
import type { StageChange, Storage } from "@tenure/storage";
import { addDays, daysBetween } from "./days";
import { churnProbabilities } from "./stage-inputs";
import { advocacyBlocked, expansionBlocked, MANUAL_STAGE_DAYS } from "./stage-rules";

/**
 * Applies the expansion and advocacy guards of the stage rules (see stage-rules.ts) outside a health
 * recompute: after new churn probabilities are stored, an account they put at risk leaves those stages
 * at once instead of at the next recompute. Moves it to adoption in its first paying year, else
 * retention; a manual stage younger than 90 days is left alone. Returns the changes written.
 */
export async function enforceStageGuards(
  storage: Storage,
  ws: string,
  opts: { asOf: string },
): Promise<StageChange[]> {
  const { asOf } = opts;
  const [accounts, scoredOn, churn, subs, stageEntries] = await Promise.all([
    storage.accounts.list(ws),
    storage.healthScores.latestDate(ws, asOf),
    churnProbabilities(storage, ws, null),
    storage.subscriptions.listUnordered(ws),
    storage.timeline.listByTypes(ws, ["stage_change"], `${addDays(asOf, -MANUAL_STAGE_DAYS)}T00:00:00.000Z`),
  ]);
  const guarded = accounts.filter((a) => a.lifecycleStage === "expansion" || a.lifecycleStage === "advocacy");
  if (guarded.length === 0) return [];
  const bands = new Map<string, HealthBand>();
  if (scoredOn !== null)
    for (const r of await storage.healthScores.onDate(ws, scoredOn))
      bands.set(r.accountId, r.band as HealthBand);
  const firstPaid = new Map<string, string>();
  for (const s of subs) {
    if (s.trial || !(s.amount > 0)) continue;
    const seen = firstPaid.get(s.accountId);
    if (seen === undefined || s.startDate < seen) firstPaid.set(s.accountId, s.startDate);
  }
  const manual = new Set<string>();
  for (const e of stageEntries) if (e.data.source === "manual") manual.add(e.accountId);

  const at = `${asOf}T00:00:00.000Z`;
  const changes: StageChange[] = [];
  for (const a of guarded) {
    if (manual.has(a.id)) continue;
    const input = { band: bands.get(a.id) ?? "none", churnProbability: churn.get(a.id) ?? null };
    const why = a.lifecycleStage === "expansion" ? expansionBlocked(input) : advocacyBlocked(input);
    if (why === null) continue;
    const since = firstPaid.get(a.id);
    const to: LifecycleStage =
      since !== undefined && daysBetween(since, asOf) < 365 ? "adoption" : "retention";
    changes.push({
      accountId: a.id,
      from: a.lifecycleStage,
      to,
      source: "rule",
      note: why,
      at,
      author: null,
    });
  }
  if (changes.length > 0) await storage.timeline.changeStages(ws, changes);
  return changes;
}
