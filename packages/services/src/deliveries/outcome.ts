/** What one attempt to deliver came to: sent, or failed with the service's code and an error to show. */
export type AttemptOutcome =
  | { ok: true; responseCode: number | null; detail?: string }
  | { ok: false; responseCode: number | null; error: string };

/** Errors are shown in the delivery log; a whole HTML error page would drown the line. */
export const shortError = (s: string) => (s.length > 500 ? `${s.slice(0, 497)}...` : s);

/** The message of anything thrown, with its cause's (fetch hides ECONNREFUSED there). */
export function errorText(err: unknown): string {
  if (!(err instanceof Error)) return String(err);
  const cause = err.cause instanceof Error ? `: ${err.cause.message}` : "";
  return shortError(`${err.message}${cause}`);
}

/** Default time a webhook or chat request may take before it counts as failed (and is retried). */
export const DEFAULT_TIMEOUT_MS = 10_000;
