import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { createView, deleteView, listViews } from "@tenure/services";
import type { AuthVariables } from "../auth";
import { json } from "../schemas";
import { errors, idParam, notFound, type RouteDeps, sec } from "./route-kit";

export const SavedViewSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    filters: z.record(z.string(), z.string()),
    sort: z.string().nullable(),
    order: z.string().nullable(),
    createdAt: z.string(),
  })
  .openapi("SavedView");

export const NewSavedViewSchema = z.object({
  name: z.string().trim().min(1, "must not be empty").max(200),
  filters: z.record(z.string(), z.string()),
  sort: z.enum(["score", "arr", "renewalDate", "openSignals", "name", "churnProbability"]).optional(),
  order: z.enum(["asc", "desc"]).optional(),
});

/** Saved account-list views. */
export function savedViewRoutes(deps: Pick<RouteDeps, "storage">) {
  const { storage } = deps;
  const app = new OpenAPIHono<{ Variables: AuthVariables }>();

  app.openapi(
    createRoute({
      method: "get",
      path: "/views",
      tags: ["accounts"],
      summary: "Saved account-list views",
      security: sec,
      responses: { 200: json(z.object({ views: z.array(SavedViewSchema) }), "Views"), ...errors },
    }),
    async (c) => c.json({ views: await listViews(storage, c.get("workspaceId")) }, 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/views",
      tags: ["accounts"],
      summary: "Save an account-list view",
      security: sec,
      request: { body: { content: { "application/json": { schema: NewSavedViewSchema } }, required: true } },
      responses: { 201: json(SavedViewSchema, "The saved view"), ...errors },
    }),
    async (c) => c.json(await createView(storage, c.get("workspaceId"), c.req.valid("json")), 201),
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/views/{id}",
      tags: ["accounts"],
      summary: "Delete a saved view",
      security: sec,
      request: { params: idParam },
      responses: { 204: { description: "Deleted" }, ...errors, ...notFound },
    }),
    async (c) => {
      await deleteView(storage, c.get("workspaceId"), c.req.valid("param").id);
      return c.body(null, 204);
    },
  );

  return app;
}
