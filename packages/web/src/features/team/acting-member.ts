import { useSyncExternalStore } from "react";

/**
 * For a signed-in user linked to no team member (an admin, the demo admin): the member they act as at
 * this browser (sent as X-Tenure-Member, which the server takes only from such a user). A user linked to
 * a member always acts as that member.
 */
const KEY = "tenure.actingMember";
const listeners = new Set<() => void>();

/** The acting member's id, or null when none is picked. */
export function actingMember(): string | null {
  try {
    return globalThis.localStorage?.getItem(KEY) ?? null;
  } catch {
    return null;
  }
}

/** Picks the acting member (null: nobody) and tells every hook. */
export function setActingMember(id: string | null): void {
  try {
    if (id === null) globalThis.localStorage?.removeItem(KEY);
    else globalThis.localStorage?.setItem(KEY, id);
  } catch {
    // Private windows may refuse storage: the pick then lasts only in this page.
  }
  for (const l of listeners) l();
}

/** The header API calls carry so the server records who acted (none without a pick). */
export function actingMemberHeader(): Record<string, string> {
  const id = actingMember();
  return id === null ? {} : { "X-Tenure-Member": id };
}

/** The acting member's id, re-rendering when it changes. */
export function useActingMember(): string | null {
  return useSyncExternalStore(
    (l) => {
      listeners.add(l);
      return () => listeners.delete(l);
    },
    actingMember,
    () => null,
  );
}
