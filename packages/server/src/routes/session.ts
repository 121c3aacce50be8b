import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { TenureError } from "@tenure/core";
import type { Storage } from "@tenure/storage";
import type { Context } from "hono";
import { deleteCookie, setCookie } from "hono/cookie";
import { type AuthVariables, SESSION_COOKIE } from "../auth";
import { ErrorSchema, json } from "../schemas";

const Ok = z.object({ ok: z.literal(true) });

function setSession(c: Context, key: string) {
  setCookie(c, SESSION_COOKIE, key, {
    httpOnly: true,
    sameSite: "Strict",
    path: "/",
    maxAge: 60 * 60 * 24 * 30,
  });
}

/** Sign-in for the web app: an API key becomes an HttpOnly session cookie. */
export function sessionRoutes(storage: Storage, demoKey: string | undefined, reportingCurrency = "USD") {
  const app = new OpenAPIHono<{ Variables: AuthVariables }>();

  app.openapi(
    createRoute({
      method: "post",
      path: "/auth/login",
      tags: ["auth"],
      summary: "Sign in with an API key (sets the session cookie)",
      request: {
        body: { content: { "application/json": { schema: z.object({ key: z.string().min(1) }) } } },
      },
      responses: { 200: json(Ok, "Signed in"), 401: json(ErrorSchema, "Unknown key") },
    }),
    async (c) => {
      const { key } = c.req.valid("json");
      const found = await storage.apiKeys.verify(key);
      if (!found || found.kind === "write")
        throw new TenureError("unauthorized", "Unknown, revoked or write-only API key");
      setSession(c, key);
      return c.json({ ok: true as const }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/auth/demo",
      tags: ["auth"],
      summary: "Demo mode only: sign in to the demo workspace",
      responses: { 200: json(Ok, "Signed in"), 404: json(ErrorSchema, "Not in demo mode") },
    }),
    async (c) => {
      if (!demoKey) throw new TenureError("not_found", "This server is not running in demo mode");
      setSession(c, demoKey);
      return c.json({ ok: true as const }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/auth/logout",
      tags: ["auth"],
      summary: "Sign out (clears the session cookie)",
      responses: { 200: json(Ok, "Signed out") },
    }),
    async (c) => {
      deleteCookie(c, SESSION_COOKIE, { path: "/" });
      return c.json({ ok: true as const }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/me",
      tags: ["auth"],
      summary: "The signed-in workspace",
      security: [{ apiKey: [] }],
      responses: {
        200: json(
          z.object({
            workspaceId: z.string(),
            workspaceName: z.string(),
            keyKind: z.string(),
            demo: z.boolean(),
            reportingCurrency: z
              .string()
              .openapi({ description: "ISO 4217 code every amount is reported in" }),
          }),
          "Who you are",
        ),
        401: json(ErrorSchema, "Not signed in"),
      },
    }),
    async (c) => {
      const workspaceId = c.get("workspaceId");
      const ws = await storage.workspaces.get(workspaceId);
      return c.json(
        {
          workspaceId,
          workspaceName: ws?.name ?? workspaceId,
          keyKind: c.get("keyKind"),
          demo: Boolean(demoKey),
          reportingCurrency,
        },
        200,
      );
    },
  );

  return app;
}
