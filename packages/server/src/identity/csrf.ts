import { TenureError } from "@tenure/core";
import { createMiddleware } from "hono/factory";
import { SESSION_COOKIE } from "./better-auth";
import { ownOrigins, requestOrigin } from "./origin";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Whether the request carries our session cookie (plain or `__Secure-`). */
function hasSessionCookie(req: Request): boolean {
  const cookie = req.headers.get("cookie");
  return cookie?.includes(`${SESSION_COOKIE}=`) ?? false;
}

/**
 * CSRF protection of every /api route a browser's cookie authenticates: a request that changes
 * something must say where it comes from (Origin, else Referer) and that must be this server. A
 * request with an API key (Authorization header) is not at risk: no other site can make a browser
 * send that header. better-auth checks its own routes the same way; this covers ours.
 */
export function csrfGuard(publicUrl: string | undefined) {
  return createMiddleware(async (c, next) => {
    const req = c.req.raw;
    if (SAFE_METHODS.has(req.method) || !c.req.path.startsWith("/api/")) return next();
    if (req.headers.get("authorization") !== null || !hasSessionCookie(req)) return next();
    const origin = requestOrigin(req);
    if (origin === null || !ownOrigins(req, publicUrl).includes(origin))
      throw new TenureError(
        "forbidden",
        "Cross-site request refused: a signed-in change must come from this server's own pages (Origin or Referer)",
      );
    return next();
  });
}
