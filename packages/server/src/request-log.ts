import type { MiddlewareHandler } from "hono";
import type { Logger } from "pino";

/**
 * One log line per request: id (also the X-Request-Id response header), method, path without the
 * query, status, workspace and duration. No header, cookie, query or body is logged, so no key is.
 * Accepted tracking calls (thousands a second) log at debug; everything else at info.
 */
export function requestLog(logger: Logger | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (logger === undefined) return next();
    const started = performance.now();
    await next();
    const status = c.res.status;
    const line = {
      reqId: c.get("requestId"),
      method: c.req.method,
      // The one-time tokens of invitation and reset pages are secrets: never in a log line.
      path: c.req.path.replace(/^\/(invite|reset-password)\/.+$/, "/$1/[token]"),
      status,
      workspace: c.get("workspaceId"),
      ms: Math.round((performance.now() - started) * 10) / 10,
    };
    if (status < 400 && c.req.path.startsWith("/v1/")) logger.debug(line, "request");
    else logger.info(line, "request");
  };
}
