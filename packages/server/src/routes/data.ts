import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { TenureError } from "@tenure/core";
import { clearPortfolioCache, importData } from "@tenure/services";
import type { Storage } from "@tenure/storage";
import type { AuthVariables } from "../auth";
import type { WorkspaceServices } from "../context";
import { AccountSchema, ErrorSchema, ImportKindSchema, ImportSummarySchema, json } from "../schemas";

/** Data-in routes: file import and one account (the list lives in routes/accounts.ts). */
export function dataRoutes(storage: Storage, services: WorkspaceServices) {
  const app = new OpenAPIHono<{ Variables: AuthVariables }>();

  app.openapi(
    createRoute({
      method: "post",
      path: "/import/{kind}",
      tags: ["import"],
      summary: "Import a CSV or JSON file (same rules as `tenure import`)",
      description:
        "The body is the file itself (text/csv, application/json or application/x-ndjson). " +
        "By default a file with any bad row writes nothing; the summary lists every bad row.",
      security: [{ apiKey: [] }],
      request: {
        params: z.object({ kind: ImportKindSchema }),
        query: z.object({
          format: z.enum(["csv", "json"]).optional(),
          fileName: z.string().max(200).optional(),
          allowPartial: z
            .enum(["true", "false"])
            .optional()
            .openapi({ description: "Write the good rows anyway" }),
        }),
        body: {
          content: {
            "text/csv": { schema: z.string() },
            "application/json": { schema: z.unknown() },
          },
          required: true,
        },
      },
      responses: {
        200: json(ImportSummarySchema, "Written: the import summary"),
        400: json(ErrorSchema, "Bad file or bad query"),
        422: json(ImportSummarySchema, "Rejected: nothing written; errors lists every bad row"),
      },
    }),
    async (c) => {
      const { kind } = c.req.valid("param");
      const q = c.req.valid("query");
      const contentType = c.req.header("content-type") ?? "";
      const format =
        q.format ?? (contentType.includes("json") ? "json" : contentType.includes("csv") ? "csv" : undefined);
      const content = Buffer.from(await c.req.arrayBuffer());
      if (content.length === 0)
        throw new TenureError("validation", "The request body is empty: send the file as the body");
      const workspaceId = c.get("workspaceId");
      const summary = await importData(storage, {
        workspaceId,
        kind,
        fileName: q.fileName ?? `upload.${format ?? "csv"}`,
        content,
        format,
        allowPartial: q.allowPartial === "true",
        reportingCurrency: services.reportingCurrency,
      });
      if (summary.written) {
        services.revenueFor(workspaceId).invalidate();
        clearPortfolioCache();
        services.dataChanged(workspaceId);
      }
      return c.json(summary, summary.written ? 200 : 422);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/accounts/{id}",
      tags: ["accounts"],
      summary: "One account",
      security: [{ apiKey: [] }],
      request: { params: z.object({ id: z.string().min(1) }) },
      responses: { 200: json(AccountSchema, "The account"), 404: json(ErrorSchema, "No such account") },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const account = await storage.accounts.get(c.get("workspaceId"), id);
      if (!account) throw new TenureError("not_found", `No account with id "${id}"`);
      return c.json(account, 200);
    },
  );

  return app;
}
