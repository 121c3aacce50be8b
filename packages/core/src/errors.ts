/** Stable error codes; the HTTP status is chosen at the edge (server), not here. */
export type ErrorCode =
  | "validation"
  | "not_found"
  | "conflict"
  | "unauthorized"
  | "forbidden"
  /** Too many requests (issue 16 rate limits): 429 with Retry-After. */
  | "rate_limited"
  | "internal";

/** The one error type of Tenure: a stable `code` and a message that is safe to show users. */
export class TenureError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = "TenureError";
  }
}

/** True when `err` is a TenureError (optionally with the given code). */
export function isTenureError(err: unknown, code?: ErrorCode): err is TenureError {
  return err instanceof TenureError && (code === undefined || err.code === code);
}
