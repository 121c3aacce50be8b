import { TenureError } from "../errors";
import type { IsoDate } from "../types";
import type { SignalStatus, StoredSignal } from "./types";

const ALLOWED: Record<SignalStatus, readonly SignalStatus[]> = {
  open: ["acknowledged", "resolved"],
  acknowledged: ["resolved", "open"],
  // A resolved signal stays resolved; a returning condition raises a new signal (reconcileSignals).
  resolved: [],
};

/** True when a signal may move from `from` to `to`. */
export function canTransitionSignal(from: SignalStatus, to: SignalStatus): boolean {
  return ALLOWED[from].includes(to);
}

/**
 * The signal after a status change by `by` at `at`. Allowed: open→acknowledged→resolved, open→resolved,
 * acknowledged→open. Anything else throws TenureError("validation").
 */
export function transitionSignal<T extends StoredSignal>(
  signal: T,
  to: SignalStatus,
  by: string,
  at: IsoDate,
): T {
  if (!canTransitionSignal(signal.status, to)) {
    throw new TenureError("validation", `status: a signal cannot move from ${signal.status} to ${to}`, {
      id: signal.id,
      from: signal.status,
      to,
    });
  }
  return {
    ...signal,
    status: to,
    statusChangedBy: by,
    acknowledgedAt: to === "acknowledged" ? at : to === "open" ? null : (signal.acknowledgedAt ?? null),
    resolvedAt: to === "resolved" ? at : null,
  };
}
