import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { exportAudit, listAudit } from "@tenure/services";
import { stream } from "hono/streaming";
import type { AuthVariables } from "../auth";
import { json } from "../schemas";
import { errors, type RouteDeps, sec } from "./route-kit";

const instant = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/, "must be a date YYYY-MM-DD or an ISO timestamp")
  .refine((s) => Number.isFinite(Date.parse(s.length === 10 ? `${s}T00:00:00Z` : s)), "must be a real date")
  .optional();

const FilterSchema = z.object({
  actor: z
    .string()
    .min(1)
    .max(300)
    .optional()
    .openapi({ description: "Actor id or label (email, key name)" }),
  action: z.string().min(1).max(200).optional(),
  entityType: z.string().min(1).max(100).optional(),
  entityId: z.string().min(1).max(300).optional(),
  from: instant.openapi({ description: "From this day or instant (inclusive)" }),
  to: instant.openapi({ description: "To this day (inclusive) or instant (exclusive)" }),
});

export const AuditEntrySchema = z
  .object({
    id: z.string(),
    at: z.string(),
    actor: z.object({ type: z.enum(["user", "key", "system"]), id: z.string(), label: z.string() }),
    action: z.string(),
    entityType: z.string(),
    entityId: z.string().nullable(),
    before: z.unknown().openapi({ description: "The entity before the change (secrets redacted)" }),
    after: z.unknown().openapi({ description: "The entity after the change (secrets redacted)" }),
    ip: z.string().nullable(),
    requestId: z.string().nullable(),
  })
  .openapi("AuditEntry");

/** The audit log (admin): filtered pages, and the whole filtered log as CSV or JSON lines. */
export function auditRoutes(deps: Pick<RouteDeps, "storage">) {
  const { storage } = deps;
  const app = new OpenAPIHono<{ Variables: AuthVariables }>();

  app.openapi(
    createRoute({
      method: "get",
      path: "/audit",
      tags: ["audit"],
      summary: "The audit log, newest first, filtered and paged",
      security: sec,
      request: {
        query: FilterSchema.extend({
          before: z
            .string()
            .min(1)
            .max(200)
            .optional()
            .openapi({ description: "The previous page's `next`" }),
          limit: z.coerce.number().int().min(1).max(500).optional(),
        }),
      },
      responses: {
        200: json(z.object({ entries: z.array(AuditEntrySchema), next: z.string().nullable() }), "A page"),
        ...errors,
      },
    }),
    async (c) => c.json(await listAudit(storage, c.get("principal"), c.req.valid("query")), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/audit/export",
      tags: ["audit"],
      summary: "The filtered audit log as CSV (formula cells neutralised) or JSON lines, streamed",
      security: sec,
      request: { query: FilterSchema.extend({ format: z.enum(["csv", "jsonl"]).default("csv") }) },
      responses: {
        200: {
          description: "The log",
          content: { "text/csv": { schema: z.string() }, "application/x-ndjson": { schema: z.string() } },
        },
        ...errors,
      },
    }),
    async (c) => {
      const { format, ...query } = c.req.valid("query");
      const lines = exportAudit(storage, c.get("principal"), format, query);
      // The first line (the header, or the admin check's refusal) before the response starts.
      const first = await lines.next();
      c.header("content-type", format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson");
      c.header("content-disposition", `attachment; filename="audit.${format}"`);
      return stream(c, async (s) => {
        if (!first.done) await s.write(first.value);
        for await (const line of lines) await s.write(line);
      });
    },
  );

  return app;
}
