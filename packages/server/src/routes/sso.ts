import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { TenureError } from "@tenure/core";
import type { Storage } from "@tenure/storage";
import type { AuthVariables } from "../auth";
import type { Identity } from "../identity/index";
import { saveSsoSettings, ssoRedirectUri, ssoView } from "../identity/sso-settings";
import { ErrorSchema, json } from "../schemas";
import { errors, notFound, sec } from "./route-kit";

const DefaultRoleSchema = z.enum(["viewer", "csm"]).nullable().openapi({
  description:
    "The role of a person of these domains who signs in by SSO without an invitation; null: refused (ask an admin)",
});

export const SsoSettingsSchema = z
  .object({
    provider: z
      .object({
        issuer: z.string(),
        clientId: z.string(),
        clientSecretSet: z
          .boolean()
          .openapi({ description: "A client secret is stored (it is never shown)" }),
        domains: z.array(z.string()),
        defaultRole: DefaultRoleSchema,
        updatedAt: z.string(),
      })
      .nullable()
      .openapi({ description: "The workspace's OpenID Connect provider; null when SSO is not set up" }),
    redirectUri: z.string().openapi({ description: "The redirect URI to register at the identity provider" }),
  })
  .openapi("SsoSettings");

const SsoSettingsInputSchema = z
  .object({
    issuer: z
      .string()
      .min(1)
      .max(2048)
      .openapi({ example: "https://login.acme.example", description: "The provider's issuer URL" }),
    clientId: z.string().trim().min(1, "required").max(512),
    clientSecret: z.string().min(1).max(2048).optional().openapi({
      description: "Required the first time; left out, the stored one is kept. Never returned.",
    }),
    domains: z
      .array(z.string().min(1).max(253))
      .min(1, "at least one email domain")
      .max(50)
      .openapi({ example: ["acme.example"], description: "The email domains this provider signs in" }),
    defaultRole: DefaultRoleSchema.default(null),
  })
  .openapi("SsoSettingsInput");

/** Only admins see or change how people sign in (the route rules say so too). */
function requireAdmin(role: string): void {
  if (role !== "admin") throw new TenureError("forbidden", "Only an admin can manage single sign-on");
}

export interface SsoRouteDeps {
  storage: Storage;
  identity: Identity;
}

/** Settings → Sign-in (SSO), and what the sign-in page offers. */
export function ssoRoutes(d: SsoRouteDeps) {
  const app = new OpenAPIHono<{ Variables: AuthVariables }>();
  const base = (req: Request) => d.identity.publicUrl ?? new URL(req.url).origin;

  app.openapi(
    createRoute({
      method: "get",
      path: "/settings/sso",
      tags: ["settings"],
      summary: "The workspace's single sign-on (OpenID Connect) provider, without its secret (admin)",
      security: sec,
      responses: { 200: json(SsoSettingsSchema, "The provider"), ...errors },
    }),
    async (c) => {
      requireAdmin(c.get("principal").role);
      const ws = c.get("workspaceId");
      const provider = await d.storage.ssoProviders.get(ws);
      return c.json(
        {
          provider: provider === null ? null : ssoView(provider),
          redirectUri: ssoRedirectUri(base(c.req.raw), ws),
        },
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/settings/sso",
      tags: ["settings"],
      summary: "Sets the workspace's OpenID Connect provider (its discovery document is read first) (admin)",
      security: sec,
      request: {
        body: { content: { "application/json": { schema: SsoSettingsInputSchema } }, required: true },
      },
      responses: {
        200: json(SsoSettingsSchema, "The provider as stored"),
        ...errors,
        409: json(ErrorSchema, "A domain is served by another workspace's provider"),
      },
    }),
    async (c) => {
      requireAdmin(c.get("principal").role);
      const ws = c.get("workspaceId");
      const provider = await saveSsoSettings(
        d.storage,
        ws,
        c.req.valid("json"),
        c.get("session")?.userId ?? null,
      );
      return c.json({ provider, redirectUri: ssoRedirectUri(base(c.req.raw), ws) }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/settings/sso",
      tags: ["settings"],
      summary: "Turns single sign-on off for the workspace (people sign in with their password) (admin)",
      security: sec,
      responses: { 200: json(z.object({ ok: z.literal(true) }), "Removed"), ...errors, ...notFound },
    }),
    async (c) => {
      requireAdmin(c.get("principal").role);
      if (!(await d.storage.ssoProviders.remove(c.get("workspaceId"))))
        throw new TenureError("not_found", "Single sign-on is not set up in this workspace");
      return c.json({ ok: true as const }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/sign-in/options",
      tags: ["auth"],
      summary: "What the sign-in page offers: SSO (some workspace has a provider), password reset by email",
      responses: {
        200: json(
          z.object({
            sso: z.boolean(),
            passwordResetByEmail: z.boolean().openapi({
              description: "SMTP is configured: Forgot password emails a link (else: ask an admin)",
            }),
          }),
          "The options",
        ),
      },
    }),
    async (c) =>
      c.json(
        {
          sso: (await d.storage.ssoProviders.list()).length > 0,
          passwordResetByEmail: d.identity.smtp !== null,
        },
        200,
      ),
  );

  return app;
}
