import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import {
  changeSignalStatus,
  deleteSignalRule,
  listSignalRules,
  listSignals,
  saveSignalRule,
} from "@tenure/services";
import type { AuthVariables } from "../auth";
import { json } from "../schemas";
import { SignalSchema } from "./account-schemas";
import { errors, idParam, notFound, type RouteDeps, sec } from "./route-kit";
import { actorFrom } from "./team";

/** Signals (list, status changes) and the user-defined signal rules. */
export function signalRoutes(deps: Pick<RouteDeps, "storage" | "healthChanged">) {
  const { storage } = deps;
  const app = new OpenAPIHono<{ Variables: AuthVariables }>();

  app.openapi(
    createRoute({
      method: "get",
      path: "/signals",
      tags: ["signals"],
      summary: "Signals, newest first",
      security: sec,
      request: {
        query: z.object({
          status: z.enum(["open", "acknowledged", "resolved"]).optional(),
          accountId: z.string().min(1).optional(),
          kind: z.enum(["risk", "opportunity"]).optional(),
        }),
      },
      responses: { 200: json(z.object({ signals: z.array(SignalSchema) }), "Signals"), ...errors },
    }),
    async (c) =>
      c.json(
        {
          signals: await listSignals(storage, c.get("workspaceId"), c.req.valid("query"), c.get("principal")),
        },
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/signals/{id}/status",
      tags: ["signals"],
      summary: "Acknowledge, resolve or reopen a signal (recorded on the timeline)",
      security: sec,
      request: {
        params: idParam,
        body: {
          content: {
            "application/json": {
              schema: z.object({ status: z.enum(["open", "acknowledged", "resolved"]) }),
            },
          },
          required: true,
        },
      },
      responses: { 200: json(SignalSchema, "The signal"), ...errors, ...notFound },
    }),
    async (c) => {
      const { id } = c.req.valid("param");
      const { status } = c.req.valid("json");
      const at = new Date().toISOString();
      return c.json(
        await changeSignalStatus(storage, c.get("workspaceId"), {
          id,
          status,
          by: "user",
          at,
          actorId: await actorFrom(storage, c),
          principal: c.get("principal"),
        }),
        200,
      );
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/signal-rules",
      tags: ["signals"],
      summary: "User-defined signal rules",
      security: sec,
      responses: {
        200: json(z.object({ rules: z.array(z.record(z.string(), z.unknown())) }), "Rules"),
        ...errors,
      },
    }),
    async (c) => {
      const rules = await listSignalRules(storage, c.get("workspaceId"));
      return c.json({ rules: rules as unknown as Record<string, unknown>[] }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/signal-rules",
      tags: ["signals"],
      summary: "Add or replace a signal rule (validated; 400 names the path)",
      security: sec,
      request: {
        body: {
          content: { "application/json": { schema: z.record(z.string(), z.unknown()) } },
          required: true,
        },
      },
      responses: { 201: json(z.record(z.string(), z.unknown()), "The saved rule"), ...errors },
    }),
    async (c) => {
      const ws = c.get("workspaceId");
      const rule = await saveSignalRule(storage, ws, c.req.valid("json"));
      await deps.healthChanged(ws);
      return c.json(rule as unknown as Record<string, unknown>, 201);
    },
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/signal-rules/{id}",
      tags: ["signals"],
      summary: "Delete a signal rule",
      security: sec,
      request: { params: idParam },
      responses: { 204: { description: "Deleted" }, ...errors, ...notFound },
    }),
    async (c) => {
      await deleteSignalRule(storage, c.get("workspaceId"), c.req.valid("param").id);
      return c.body(null, 204);
    },
  );

  return app;
}
