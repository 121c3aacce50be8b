import type { ErrorCode } from "@tenure/core";

const CODES: Record<number, ErrorCode> = {
  400: "validation",
  401: "unauthorized",
  403: "forbidden",
  404: "not_found",
  409: "conflict",
  429: "rate_limited",
};

/** better-auth's own message codes that are about one field. */
const FIELD_OF: Record<string, string> = {
  INVALID_EMAIL: "email",
  PASSWORD_TOO_SHORT: "password",
  PASSWORD_TOO_LONG: "password",
  INVALID_PASSWORD: "password",
};

/**
 * better-auth answers errors as `{message, code}` (or an empty 404); every /api error of Tenure is
 * `{error: {code, message}}` with the field first ("email: ..."), so clients and tests read one shape.
 * better-auth's code is kept in `details.authCode`.
 */
export async function asTenureError(res: Response, method: string, path: string): Promise<Response> {
  if (res.status < 400) return res;
  const text = await res.text();
  let body: { message?: unknown; code?: unknown } = {};
  try {
    body = text === "" ? {} : (JSON.parse(text) as typeof body);
  } catch {
    body = { message: text };
  }
  const authCode = typeof body.code === "string" ? body.code : undefined;
  let message = typeof body.message === "string" && body.message !== "" ? body.message : undefined;
  if (message === undefined)
    message = res.status === 404 ? `No route ${method} ${path}` : `HTTP ${res.status}`;
  // "[body.email] Invalid input; [body.password] ..." → "email: Invalid input; password: ..."
  message = message.replace(/\[body\.([\w.]+)\]\s*/g, "$1: ");
  const field = authCode === undefined ? undefined : FIELD_OF[authCode];
  if (field !== undefined && !message.startsWith(`${field}:`)) message = `${field}: ${message}`;
  const code = CODES[res.status] ?? (res.status >= 500 ? "internal" : "validation");
  const headers = new Headers(res.headers);
  headers.set("content-type", "application/json");
  headers.delete("content-length");
  return new Response(
    JSON.stringify({
      error: { code, message, ...(authCode === undefined ? {} : { details: { authCode } }) },
    }),
    { status: res.status, headers },
  );
}
