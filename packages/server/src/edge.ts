import type { MiddlewareHandler } from "hono";
import { HTTPException } from "hono/http-exception";

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
        message: `Content-Type must be application/json (got ${type === "" ? "none" : `"${type.slice(0, 100)}"`})`,
      });
    }
    return next();
  };
}
