import { type ErrorCode, TenureError } from "@tenure/core";
import type { Context } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";

/** The one place where error codes become HTTP statuses. */
const STATUS: Record<ErrorCode, ContentfulStatusCode> = {
  validation: 400,
  unauthorized: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  internal: 500,
};

/** Error body every route returns: `{ error: { code, message, details? } }`. */
export function errorBody(code: ErrorCode, message: string, details?: unknown) {
  return { error: details === undefined ? { code, message } : { code, message, details } };
}

/** A request body over its route's limit (counted while it streams in): 413. */
export class BodyTooLarge extends Error {
  constructor(readonly limitBytes: number) {
    super(`body: a request here may hold at most ${formatBytes(limitBytes)}`);
  }
}

export function formatBytes(n: number): string {
  return n >= 1024 * 1024 ? `${n / (1024 * 1024)} MB` : `${n / 1024} KB`;
}

/** The code of a status Hono's own exceptions carry (malformed JSON 400, 405, 415, ...). */
function codeOf(status: number): ErrorCode {
  if (status === 401) return "unauthorized";
  if (status === 403) return "forbidden";
  if (status === 404) return "not_found";
  if (status === 409) return "conflict";
  return status >= 500 ? "internal" : "validation";
}

/**
 * Maps any thrown value to a JSON error response. Client errors (TenureError, Hono's HTTPException
 * such as malformed JSON, a body over its limit) are answered without logging; unknown errors are
 * logged and hidden.
 */
export function respondWithError(c: Context, err: unknown, log?: (err: unknown) => void): Response {
  if (err instanceof TenureError) {
    return c.json(errorBody(err.code, err.message, err.details), STATUS[err.code]);
  }
  if (err instanceof BodyTooLarge) {
    // The rest of the body is not read: ask the client to close rather than send it.
    c.header("Connection", "close");
    return c.json(errorBody("validation", err.message), 413);
  }
  if (err instanceof HTTPException && err.status < 500) {
    // Hono's JSON validator says "Malformed JSON in request body": name the field, as every 400 does.
    const message = /^Malformed JSON/i.test(err.message) ? "body: malformed JSON" : err.message;
    return c.json(errorBody(codeOf(err.status), message), err.status as ContentfulStatusCode);
  }
  log?.(err);
  return c.json(errorBody("internal", "Internal error: see the server log for details"), 500);
}
