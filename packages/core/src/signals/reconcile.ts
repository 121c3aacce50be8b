import { daysBetween } from "../dates";
import type { IsoDate } from "../types";
import type { DetectedSignal, StoredSignal } from "./types";

export interface SignalReconciliation {
  /** Conditions with no live signal: store these as new open signals. */
  create: DetectedSignal[];
  /** Ids of open or acknowledged signals whose condition still holds. */
  keep: string[];
  /** Ids of open or acknowledged signals whose condition no longer holds: resolve them at `asOf`. */
  autoResolve: string[];
  /** Conditions true again within `reopenAfterDays` of being resolved: not raised (yet). */
  suppressed: DetectedSignal[];
}

/**
 * Compares what is stored with what is detected now, for the same scope (one account, or the same
 * set of accounts on both sides). A condition that returns after its signal was resolved is raised
 * again only when the resolution is more than `reopenAfterDays` old, so a flapping metric does not spam.
 */
export function reconcileSignals(
  existing: readonly StoredSignal[],
  detected: readonly DetectedSignal[],
  asOf: IsoDate,
  reopenAfterDays = 7,
): SignalReconciliation {
  const live = new Map<string, StoredSignal[]>();
  const lastResolved = new Map<string, IsoDate>();
  for (const s of existing) {
    if (s.status === "resolved") {
      const at = s.resolvedAt ?? s.openedAt;
      const prev = lastResolved.get(s.dedupKey);
      if (prev === undefined || at > prev) lastResolved.set(s.dedupKey, at);
    } else {
      const list = live.get(s.dedupKey);
      if (list) list.push(s);
      else live.set(s.dedupKey, [s]);
    }
  }

  const result: SignalReconciliation = { create: [], keep: [], autoResolve: [], suppressed: [] };
  const stillTrue = new Set<string>();
  for (const d of detected) {
    if (stillTrue.has(d.dedupKey)) continue;
    stillTrue.add(d.dedupKey);
    const current = live.get(d.dedupKey);
    if (current) {
      for (const s of current) result.keep.push(s.id);
      continue;
    }
    const resolvedAt = lastResolved.get(d.dedupKey);
    if (resolvedAt !== undefined && daysBetween(resolvedAt, asOf) <= reopenAfterDays)
      result.suppressed.push(d);
    else result.create.push(d);
  }
  for (const [key, list] of live) {
    if (!stillTrue.has(key)) for (const s of list) result.autoResolve.push(s.id);
  }
  return result;
}
