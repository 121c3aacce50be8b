import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { createKey, listKeys, parseOverlap, revokeKey, rotateKey } from "@tenure/services";
import type { AuthVariables } from "../auth";
import { json } from "../schemas";
import { errors, idParam, notFound, type RouteDeps, sec } from "./route-kit";

const forbidden = {
  403: json(z.object({ error: z.object({ code: z.string(), message: z.string() }) }), "Not an admin"),
};

export const ApiKeySchema = z
  .object({
    id: z.string(),
    name: z.string(),
    prefix: z.string().openapi({ description: "The key's first characters, to recognise it" }),
    scope: z.enum(["tracking", "read", "admin"]),
    kind: z.enum(["write", "read", "admin"]).openapi({ description: "Legacy name of the scope" }),
    teamId: z.string().nullable(),
    createdAt: z.string(),
    lastUsedAt: z.string().nullable(),
    expiresAt: z.string().nullable(),
    revokedAt: z.string().nullable(),
    replacedBy: z.string().nullable(),
  })
  .openapi("ApiKey");

const NewKeySchema = z.object({
  scope: z.enum(["tracking", "read", "admin"]),
  name: z.string().trim().max(200).optional(),
  teamId: z.string().min(1).max(200).nullable().optional(),
});

const CreatedKeySchema = z
  .object({
    key: z.string().openapi({ description: "The key itself: shown this once, only its hash is stored" }),
    info: ApiKeySchema,
  })
  .openapi("CreatedApiKey");

const RotateSchema = z.object({
  overlap: z
    .string()
    .max(20)
    .optional()
    .openapi({ description: "How long the old key keeps working: 24h (default), 30m, 7d, 0" }),
});

/** API keys (admin): list, create (the key shown once), rotate with overlap, revoke. */
export function keyRoutes(deps: Pick<RouteDeps, "storage">) {
  const { storage } = deps;
  const app = new OpenAPIHono<{ Variables: AuthVariables }>();

  app.openapi(
    createRoute({
      method: "get",
      path: "/keys",
      tags: ["keys"],
      summary: "API keys of the workspace (never the keys themselves)",
      security: sec,
      responses: { 200: json(z.object({ keys: z.array(ApiKeySchema) }), "Keys"), ...errors, ...forbidden },
    }),
    async (c) => c.json({ keys: await listKeys(storage, c.get("principal")) }, 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/keys",
      tags: ["keys"],
      summary: "Create an API key; the answer holds the key once",
      security: sec,
      request: { body: { content: { "application/json": { schema: NewKeySchema } }, required: true } },
      responses: { 201: json(CreatedKeySchema, "The new key"), ...errors, ...forbidden },
    }),
    async (c) => c.json(await createKey(storage, c.get("principal"), c.req.valid("json")), 201),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/keys/{id}/rotate",
      tags: ["keys"],
      summary: "Replace a key: a new key is returned once; the old one works until the overlap ends",
      security: sec,
      request: {
        params: idParam,
        body: { content: { "application/json": { schema: RotateSchema } }, required: false },
      },
      responses: {
        201: json(
          CreatedKeySchema.extend({ previous: ApiKeySchema }),
          "The new key and the old one's expiry",
        ),
        ...errors,
        ...forbidden,
        ...notFound,
      },
    }),
    async (c) => {
      const overlap = parseOverlap(c.req.valid("json")?.overlap ?? "24h");
      return c.json(await rotateKey(storage, c.get("principal"), c.req.valid("param").id, overlap), 201);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/keys/{id}",
      tags: ["keys"],
      summary: "Revoke a key at once",
      security: sec,
      request: { params: idParam },
      responses: { 200: json(ApiKeySchema, "The revoked key"), ...errors, ...forbidden, ...notFound },
    }),
    async (c) => c.json(await revokeKey(storage, c.get("principal"), c.req.valid("param").id), 200),
  );

  return app;
}
