import { type ErrorCode, TenureError } from "@tenure/core";
import type { Context } from "hono";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The one place where error codes become HTTP statuses. */
const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  internal: 500,
};

/** Error body every route returns: `{ error: { code, message, details? } }`. */
export function errorBody(code: ErrorCode, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** Maps any thrown value to a JSON error response; unknown errors are logged and hidden. */
export function respondWithError(c: Context, err: unknown, log?: (err: unknown) => void): Response {
  if (err instanceof TenureError) {
    return c.json(errorBody(err.code, err.message, err.details), STATUS[err.code]);
  }
  log?.(err);
  return c.json(errorBody("internal", "Internal error: see the server log for details"), 500);
}
