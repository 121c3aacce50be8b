import type { MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import { BodyTooLarge, respondWithError } from "./http-error";

/** `application/json` or `application/<x>+json`, with or without parameters. */
const JSON_TYPE = /^application\/([\w.-]+\+)?json$/i;

/**
 * Whether a request declares a body: a length above zero, a chunked body, or a content type
 * (in-process requests carry neither length nor transfer encoding).
 */
export function declaresBody(req: Request): boolean {
  const length = req.headers.get("content-length");
  if (length !== null) return Number(length) > 0;
  return req.headers.has("transfer-encoding") || req.headers.has("content-type");
}

/**
 * JSON routes take JSON only: a body of another type is 415 (instead of being read as `{}`).
 * `exempt` paths (file import) take other types and check them themselves.
 */
export function requireJsonBodies(exempt: (path: string) => boolean): MiddlewareHandler {
  return async (c, next) => {
    const method = c.req.method;
    if (method === "GET" || method === "HEAD" || method === "OPTIONS" || exempt(c.req.path)) return next();
    if (!declaresBody(c.req.raw)) return next();
    const type = (c.req.header("content-type") ?? "").split(";")[0]?.trim() ?? "";
    if (!JSON_TYPE.test(type)) {
      throw new HTTPException(415, {
        message: `content-type: must be application/json (got ${type === "" ? "none" : `"${type.slice(0, 100)}"`})`,
      });
    }
    return next();
  };
}

/**
 * A copy of `source` that errors with BodyTooLarge once more than `maxBytes` arrive, and then reads
 * no further: the rest of an oversized body is never pulled, let alone buffered.
 */
function capped(
  source: ReadableStream<Uint8Array>,
  maxBytes: number,
  state: { exceeded: boolean },
): ReadableStream<Uint8Array> {
  const reader = source.getReader();
  let size = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const { done, value } = await reader.read();
        if (done) return controller.close();
        size += value.byteLength;
        if (size > maxBytes) {
          state.exceeded = true;
          // Not cancel(): that would destroy the socket before the 413 is written. The HTTP
          // server discards what is left of the body and then closes the connection.
          reader.releaseLock();
          return controller.error(new BodyTooLarge(maxBytes));
        }
        controller.enqueue(value);
      },
      cancel: (reason) => reader.cancel(reason),
    },
    // Pull only when the consumer reads: nothing is read ahead of the route.
    { highWaterMark: 0 },
  );
}

/**
 * Body size limits enforced before anything else: a declared Content-Length over the route's limit
 * is 413 at once (before auth); a chunked body is counted while it streams, so it is never read
 * past the limit, and only when (after auth) the route reads it. The route may swallow the stream
 * error (Hono's JSON validator turns it into "malformed JSON"): the 413 wins all the same.
 */
export function limitBodies(limitFor: (path: string) => number): MiddlewareHandler {
  return async (c, next) => {
    const raw = c.req.raw;
    if (raw.method === "GET" || raw.method === "HEAD") return next();
    const max = limitFor(c.req.path);
    const declared = raw.headers.get("content-length");
    if (declared !== null && !raw.headers.has("transfer-encoding")) {
      // The HTTP parser never delivers more than the declared length.
      if (Number(declared) > max) throw new BodyTooLarge(max);
      return next();
    }
    if (raw.body === null) return next();
    const state = { exceeded: false };
    c.req.raw = new Request(raw, { body: capped(raw.body, max, state), duplex: "half" } as RequestInit);
    await next();
    if (state.exceeded && c.res.status !== 413) {
      c.res = respondWithError(c, new BodyTooLarge(max));
    }
  };
}
