import { type LocalizedText, type MetricGoal, type Principal, runSucceeded } from "@tenure/core";
import type { PlaybookRunRecord, RunQuery, Storage } from "@tenure/storage";
import { readableBook } from "../access/book-scope";

/** A run as lists show it: the run, its playbook's name and goal, step progress and the outcome. */
export interface RunView extends PlaybookRunRecord {
  playbookName: LocalizedText;
  goal: MetricGoal | null;
  progress: { done: number; skipped: number; total: number };
  /** Whether the metric moved the playbook's way (null until measured). */
  succeeded: boolean | null;
  /** Whether the run is snoozed on `today` (the app's day, not the reader's clock). */
  snoozed: boolean;
}

/**
 * Runs (newest first) of a playbook, an account or the workspace, with names and progress; `today`
 * (YYYY-MM-DD) decides which are snoozed.
 */
export async function listPlaybookRuns(
  storage: Storage,
  ws: string,
  query: RunQuery,
  today: string,
  /** Who asks: a CSM limited to its book sees only the runs on its accounts. */
  principal?: Principal,
): Promise<RunView[]> {
  const book = await readableBook(storage, principal);
  const runs = await storage.playbooks.listRuns(ws, { limit: 500, ...query, ownerId: book?.ownerId });
  const defs = new Map<string, { name: LocalizedText; goal: MetricGoal } | null>();
  for (const r of runs) {
    const k = `${r.playbookKey}@${r.version}`;
    if (defs.has(k)) continue;
    const v = await storage.playbooks.version(ws, r.playbookKey, r.version);
    defs.set(k, v === null ? null : { name: v.definition.name, goal: v.definition.goal });
  }
  return runs.map((r) => {
    const def = defs.get(`${r.playbookKey}@${r.version}`) ?? null;
    const done = r.steps.filter((s) => s.status === "done").length;
    const skipped = r.steps.filter((s) => s.status === "skipped").length;
    return {
      ...r,
      playbookName: def?.name ?? { en: r.playbookKey },
      goal: def?.goal ?? null,
      progress: { done, skipped, total: r.steps.length },
      succeeded: def === null ? null : runSucceeded(def.goal, r.startValue, r.endValue),
      snoozed: r.snoozedUntil !== null && r.snoozedUntil >= today,
    };
  });
}
