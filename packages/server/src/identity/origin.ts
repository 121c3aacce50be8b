/**
 * Where a request came from and how it was served, for cookies (Secure) and CSRF (same origin).
 * `publicUrl` is TENURE_PUBLIC_URL: the address people use when the server sits behind a proxy.
 */

/** Whether the request reached us over HTTPS: its URL, the proxy's X-Forwarded-Proto, or an https public URL. */
export function isHttps(req: Request, publicUrl: string | undefined): boolean {
  if (publicUrl?.startsWith("https://")) return true;
  if (new URL(req.url).protocol === "https:") return true;
  const forwarded = req.headers.get("x-forwarded-proto")?.split(",")[0]?.trim().toLowerCase();
  return forwarded === "https";
}

/** The origin the browser sees for this server: TENURE_PUBLIC_URL's, else the request's own Host. */
export function ownOrigins(req: Request, publicUrl: string | undefined): string[] {
  const origins = new Set<string>();
  if (publicUrl !== undefined) origins.add(new URL(publicUrl).origin);
  const host = req.headers.get("host") ?? new URL(req.url).host;
  const scheme = isHttps(req, undefined) ? "https" : "http";
  origins.add(`${scheme}://${host}`);
  origins.add(new URL(req.url).origin);
  return [...origins];
}

/** The request's Origin header, else its Referer's origin; null when it has neither (or a malformed one). */
export function requestOrigin(req: Request): string | null {
  const origin = req.headers.get("origin");
  if (origin !== null && origin !== "null") return origin;
  const referer = req.headers.get("referer");
  if (referer === null) return null;
  try {
    return new URL(referer).origin;
  } catch {
    return null;
  }
}
