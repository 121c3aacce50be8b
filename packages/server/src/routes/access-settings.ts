import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { accessSettingsOf, setAccessSettings } from "@tenure/services";
import type { AuthVariables } from "../auth";
import { json } from "../schemas";
import { errors, type RouteDeps, sec } from "./route-kit";

export const AccessSettingsSchema = z
  .object({
    csmReadsAllAccounts: z.boolean().openapi({
      description:
        "true (default): CSMs read every account; false: a CSM reads only its own book (lists and search too)",
    }),
  })
  .openapi("AccessSettings");

/** The workspace's access settings (who reads which accounts). */
export function accessSettingsRoutes(deps: Pick<RouteDeps, "storage">) {
  const { storage } = deps;
  const app = new OpenAPIHono<{ Variables: AuthVariables }>();

  app.openapi(
    createRoute({
      method: "get",
      path: "/settings/access",
      tags: ["settings"],
      summary: "Whether CSMs read accounts outside their own book",
      security: sec,
      responses: { 200: json(AccessSettingsSchema, "The settings in use"), ...errors },
    }),
    async (c) => c.json(await accessSettingsOf(storage, c.get("workspaceId")), 200),
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/settings/access",
      tags: ["settings"],
      summary: "Sets whether CSMs read accounts outside their own book (admins)",
      security: sec,
      request: {
        body: { content: { "application/json": { schema: AccessSettingsSchema } }, required: true },
      },
      responses: { 200: json(AccessSettingsSchema, "The settings as stored"), ...errors },
    }),
    async (c) => c.json(await setAccessSettings(storage, c.get("workspaceId"), c.req.valid("json")), 200),
  );

  return app;
}
