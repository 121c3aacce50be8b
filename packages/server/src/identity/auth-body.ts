import { TenureError } from "@tenure/core";
import { createMiddleware } from "hono/factory";
import { z } from "zod";
import { fieldPath, findUnsafeValue } from "../input";

/** The body of `POST /api/auth/sign-in/email`, as documented in the OpenAPI document. */
export const SignInBody = z.object({
  email: z.string().min(1).max(254),
  password: z.string().min(1).max(1024),
  rememberMe: z.boolean().optional(),
  callbackURL: z.string().max(2048).optional(),
});

/** A path of this server: where an SSO sign-in may land (never another site: no open redirect). */
const localPath = z
  .string()
  .max(2048)
  .regex(/^\/(?![/\\])[^\s]*$/, "must be a path of this server, starting with one /");

/**
 * The body of `POST /api/auth/sign-in/sso`: the work email only (the plugin's other fields, such as
 * a provider id, scopes or extra parameters for the provider, are Tenure's to choose, not the caller's).
 */
export const SsoSignInBody = z
  .object({
    email: z.string().min(3).max(254),
    callbackURL: localPath,
    errorCallbackURL: localPath.optional(),
  })
  .strict();

/**
 * better-auth's routes take their own bodies, past our zod hook: this holds them to the same rules
 * (a 400 naming the field for a wrong shape, a NUL, an infinite number) before the sign-in throttle
 * records anything and before better-auth reaches the database (PostgreSQL refuses NUL in text).
 */
export function authBodyGuard() {
  return createMiddleware(async (c, next) => {
    if (c.req.method !== "POST") return next();
    const text = await c.req.raw.clone().text();
    if (text.trim() === "") return next();
    let body: unknown;
    try {
      body = JSON.parse(text);
    } catch {
      throw new TenureError("validation", "Invalid json: body: not valid JSON");
    }
    const schema =
      c.req.path === "/api/auth/sign-in/email"
        ? SignInBody
        : c.req.path === "/api/auth/sign-in/sso"
          ? SsoSignInBody
          : null;
    if (schema !== null) {
      const parsed = schema.safeParse(body);
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${fieldPath(i.path) || "body"}: ${i.message}`);
        throw new TenureError("validation", `Invalid json: ${issues.join("; ")}`);
      }
    }
    const bad = findUnsafeValue(body);
    if (bad !== null)
      throw new TenureError("validation", `Invalid json: ${fieldPath(bad.path) || "body"}: ${bad.message}`);
    return next();
  });
}
