import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import {
  CHAT_KINDS,
  deleteChannel,
  deleteEndpoint,
  deleteTemplate,
  getDelivery,
  getDeliverySettings,
  listChannels,
  listDeliveries,
  listEndpoints,
  listTemplates,
  maskSmtpUrl,
  previewTemplate,
  type SmtpEnv,
  saveChannel,
  saveEndpoint,
  saveTemplate,
  sendTestDelivery,
  setDeliverySettings,
  TEMPLATE_VARIABLES,
} from "@tenure/services";
import type { AuthVariables } from "../auth";
import { ErrorSchema, json } from "../schemas";
import { errors, idParam, notFound, type RouteDeps, sec } from "./route-kit";

const conflict = { 409: json(ErrorSchema, "Conflicts with an existing one") } as const;
const tags = ["deliveries"];
const body = <S extends z.ZodType>(schema: S) => ({
  body: { content: { "application/json": { schema } }, required: true },
});

const name = z.string().trim().min(1, "must not be empty").max(200);
const url = z.string().trim().url("must be an http(s) URL").max(2000);

export const DeliveryTemplateSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    locale: z.string(),
    subject: z.string(),
    body: z.string().openapi({ description: "Markdown with Mustache variables, e.g. {{account.name}}" }),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("DeliveryTemplate");

const TemplateInputSchema = z.object({
  name,
  locale: z
    .enum(["en", "zh-CN"])
    .openapi({ description: "Language of the template (amounts are formatted in it)" }),
  subject: z.string().trim().min(1, "must not be empty").max(500),
  body: z.string().min(1, "must not be empty").max(100_000),
});

const TemplatePreviewSchema = z
  .object({
    subject: z.string(),
    text: z.string(),
    html: z.string(),
    variables: z.array(z.string()).openapi({ description: "The variables the template uses" }),
  })
  .openapi("DeliveryTemplatePreview");

export const WebhookEndpointSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    url: z.string(),
    secret: z.string().openapi({ description: "whsec_ + base64: the receiver verifies signatures with it" }),
    enabled: z.boolean(),
    createdAt: z.string(),
  })
  .openapi("WebhookEndpoint");

const EndpointInputSchema = z.object({
  name,
  url,
  secret: z
    .string()
    .trim()
    .optional()
    .openapi({ description: "whsec_ + base64 of 16+ bytes; a new one is made when absent" }),
  enabled: z.boolean().optional(),
});

const ChatKindSchema = z
  .enum(CHAT_KINDS)
  .openapi({ description: "wecom (企业微信), dingtalk (钉钉), feishu (飞书), slack" });

export const ChatChannelSchema = z
  .object({
    id: z.string(),
    name: z.string(),
    kind: ChatKindSchema,
    url: z.string(),
    secret: z
      .string()
      .nullable()
      .openapi({ description: "Signing secret (DingTalk, Feishu), if the robot has one" }),
    enabled: z.boolean(),
    createdAt: z.string(),
  })
  .openapi("ChatChannel");

const ChannelInputSchema = z.object({
  name,
  kind: ChatKindSchema,
  url,
  secret: z.string().trim().max(500).nullable().optional(),
  enabled: z.boolean().optional(),
});

const DeliveryStatusSchema = z.enum(["sent", "failed", "deferred"]).openapi({
  description:
    "The latest attempt's outcome: sent, failed (retried by the queue until it gives up), deferred (quiet hours)",
});
const DeliveryChannelSchema = z.enum(["email", "webhook", "chat"]);

export const DeliverySchema = z
  .object({
    id: z.string().openapi({ description: "The stable delivery id (webhook-id, the email's Message-ID)" }),
    channel: DeliveryChannelSchema,
    target: z.string().openapi({ description: "Email address, webhook endpoint id or chat channel id" }),
    accountId: z.string().nullable(),
    status: DeliveryStatusSchema,
    attempts: z.number().int().openapi({ description: "Attempts that tried to send" }),
    responseCode: z.number().int().nullable().openapi({ description: "HTTP status or SMTP reply code" }),
    lastError: z.string().nullable(),
    createdAt: z.string(),
    updatedAt: z.string(),
  })
  .openapi("Delivery");

const DeliveryAttemptSchema = z
  .object({
    id: z.string(),
    deliveryId: z.string(),
    attempt: z.number().int(),
    status: DeliveryStatusSchema,
    responseCode: z.number().int().nullable(),
    error: z.string().nullable(),
    durationMs: z.number().int(),
    attemptedAt: z.string(),
  })
  .openapi("DeliveryAttempt");

const DeliverySettingsSchema = z
  .object({
    timeZone: z.string().openapi({ description: "IANA time zone, e.g. Asia/Shanghai" }),
    quietHours: z
      .object({ start: z.string(), end: z.string() })
      .nullable()
      .openapi({ description: "Local HH:MM window in which emails and chats wait; null = none" }),
    smtp: z
      .object({ url: z.string(), from: z.string() })
      .nullable()
      .openapi({ description: "The workspace's SMTP server (password masked); null = TENURE_SMTP_URL" }),
    smtpFromEnvironment: z.boolean().openapi({ description: "TENURE_SMTP_URL and TENURE_SMTP_FROM are set" }),
  })
  .openapi("DeliverySettings");

const TestDeliverySchema = z.discriminatedUnion("channel", [
  z.object({
    channel: z.literal("email"),
    to: z.email(),
    templateId: z.string().min(1),
    accountId: z.string().min(1),
  }),
  z.object({ channel: z.literal("webhook"), endpointId: z.string().min(1) }),
  z.object({ channel: z.literal("chat"), channelId: z.string().min(1) }),
]);

/** Templates, webhook endpoints, chat channels, delivery settings, test sends and the delivery log. */
export function deliveryRoutes(
  deps: Pick<RouteDeps, "storage" | "reportingCurrency" | "today"> & { smtpEnv: SmtpEnv },
) {
  const { storage } = deps;
  const app = new OpenAPIHono<{ Variables: AuthVariables }>();

  app.openapi(
    createRoute({
      method: "get",
      path: "/deliveries/variables",
      tags,
      summary: "The variables email templates and chat messages may use",
      security: sec,
      responses: {
        200: json(
          z.object({ variables: z.array(z.object({ name: z.string(), description: z.string() })) }),
          "Variables",
        ),
        ...errors,
      },
    }),
    (c) =>
      c.json(
        {
          variables: Object.entries(TEMPLATE_VARIABLES).map(([n, description]) => ({ name: n, description })),
        },
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/deliveries/templates",
      tags,
      summary: "Email templates",
      security: sec,
      responses: {
        200: json(z.object({ templates: z.array(DeliveryTemplateSchema) }), "Templates"),
        ...errors,
      },
    }),
    async (c) => c.json({ templates: await listTemplates(storage, c.get("workspaceId")) }, 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/deliveries/templates",
      tags,
      summary: "Create an email template (rejected naming the line of an unknown variable or bad syntax)",
      security: sec,
      request: body(TemplateInputSchema),
      responses: { 201: json(DeliveryTemplateSchema, "The template"), ...errors, ...conflict },
    }),
    async (c) => c.json(await saveTemplate(storage, c.get("workspaceId"), c.req.valid("json")), 201),
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/deliveries/templates/{id}",
      tags,
      summary: "Replace an email template",
      security: sec,
      request: { params: idParam, ...body(TemplateInputSchema) },
      responses: { 200: json(DeliveryTemplateSchema, "The template"), ...errors, ...notFound, ...conflict },
    }),
    async (c) =>
      c.json(
        await saveTemplate(storage, c.get("workspaceId"), {
          ...c.req.valid("json"),
          id: c.req.valid("param").id,
        }),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/deliveries/templates/{id}",
      tags,
      summary: "Delete an email template",
      security: sec,
      request: { params: idParam },
      responses: { 204: { description: "Deleted" }, ...errors, ...notFound },
    }),
    async (c) => {
      await deleteTemplate(storage, c.get("workspaceId"), c.req.valid("param").id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/deliveries/templates/preview",
      tags,
      summary: "Render a (possibly unsaved) template with a real account and contact",
      security: sec,
      request: body(
        TemplateInputSchema.omit({ name: true }).extend({
          accountId: z.string().min(1),
          contactId: z.string().min(1).optional(),
        }),
      ),
      responses: { 200: json(TemplatePreviewSchema, "The rendered email"), ...errors, ...notFound },
    }),
    async (c) => c.json(await previewTemplate(deps, c.get("workspaceId"), c.req.valid("json")), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/deliveries/endpoints",
      tags,
      summary: "Webhook endpoints (Standard Webhooks)",
      security: sec,
      responses: {
        200: json(z.object({ endpoints: z.array(WebhookEndpointSchema) }), "Endpoints"),
        ...errors,
      },
    }),
    async (c) => c.json({ endpoints: await listEndpoints(storage, c.get("workspaceId")) }, 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/deliveries/endpoints",
      tags,
      summary: "Add a webhook endpoint (a secret is made unless given)",
      security: sec,
      request: body(EndpointInputSchema),
      responses: { 201: json(WebhookEndpointSchema, "The endpoint"), ...errors },
    }),
    async (c) => c.json(await saveEndpoint(storage, c.get("workspaceId"), c.req.valid("json")), 201),
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/deliveries/endpoints/{id}",
      tags,
      summary: "Change a webhook endpoint (its secret stays unless given)",
      security: sec,
      request: { params: idParam, ...body(EndpointInputSchema) },
      responses: { 200: json(WebhookEndpointSchema, "The endpoint"), ...errors, ...notFound },
    }),
    async (c) =>
      c.json(
        await saveEndpoint(storage, c.get("workspaceId"), c.req.valid("json"), c.req.valid("param").id),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/deliveries/endpoints/{id}",
      tags,
      summary: "Delete a webhook endpoint",
      security: sec,
      request: { params: idParam },
      responses: { 204: { description: "Deleted" }, ...errors, ...notFound },
    }),
    async (c) => {
      await deleteEndpoint(storage, c.get("workspaceId"), c.req.valid("param").id);
      return c.body(null, 204);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/deliveries/channels",
      tags,
      summary: "Team chat channels (企业微信, 钉钉, 飞书, Slack incoming webhooks)",
      security: sec,
      responses: { 200: json(z.object({ channels: z.array(ChatChannelSchema) }), "Channels"), ...errors },
    }),
    async (c) => c.json({ channels: await listChannels(storage, c.get("workspaceId")) }, 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/deliveries/channels",
      tags,
      summary: "Add a chat channel",
      security: sec,
      request: body(ChannelInputSchema),
      responses: { 201: json(ChatChannelSchema, "The channel"), ...errors },
    }),
    async (c) => c.json(await saveChannel(storage, c.get("workspaceId"), c.req.valid("json")), 201),
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/deliveries/channels/{id}",
      tags,
      summary: "Change a chat channel",
      security: sec,
      request: { params: idParam, ...body(ChannelInputSchema) },
      responses: { 200: json(ChatChannelSchema, "The channel"), ...errors, ...notFound },
    }),
    async (c) =>
      c.json(
        await saveChannel(storage, c.get("workspaceId"), c.req.valid("json"), c.req.valid("param").id),
        200,
      ),
  );

  app.openapi(
    createRoute({
      method: "delete",
      path: "/deliveries/channels/{id}",
      tags,
      summary: "Delete a chat channel",
      security: sec,
      request: { params: idParam },
      responses: { 204: { description: "Deleted" }, ...errors, ...notFound },
    }),
    async (c) => {
      await deleteChannel(storage, c.get("workspaceId"), c.req.valid("param").id);
      return c.body(null, 204);
    },
  );

  const settingsView = async (ws: string) => {
    const s = await getDeliverySettings(storage, ws);
    return {
      ...s,
      smtp: s.smtp === null ? null : { url: maskSmtpUrl(s.smtp.url), from: s.smtp.from },
      smtpFromEnvironment: deps.smtpEnv.smtpUrl !== undefined && deps.smtpEnv.smtpFrom !== undefined,
    };
  };

  app.openapi(
    createRoute({
      method: "get",
      path: "/deliveries/settings",
      tags,
      summary: "Time zone, quiet hours and SMTP server of the workspace",
      security: sec,
      responses: { 200: json(DeliverySettingsSchema, "Settings"), ...errors },
    }),
    async (c) => c.json(await settingsView(c.get("workspaceId")), 200),
  );

  app.openapi(
    createRoute({
      method: "put",
      path: "/deliveries/settings",
      tags,
      summary: "Set the time zone, quiet hours and SMTP server (a masked password keeps the stored one)",
      security: sec,
      request: body(
        z.object({
          timeZone: z.string().min(1),
          quietHours: z.object({ start: z.string(), end: z.string() }).nullable(),
          smtp: z.object({ url: z.string(), from: z.string() }).nullable(),
        }),
      ),
      responses: { 200: json(DeliverySettingsSchema, "Settings"), ...errors },
    }),
    async (c) => {
      const ws = c.get("workspaceId");
      const input = c.req.valid("json");
      const stored = await getDeliverySettings(storage, ws);
      // The form shows the masked URL; sending it back unchanged keeps the stored password.
      const smtp =
        input.smtp !== null && stored.smtp !== null && input.smtp.url === maskSmtpUrl(stored.smtp.url)
          ? { ...input.smtp, url: stored.smtp.url }
          : input.smtp;
      await setDeliverySettings(storage, ws, { ...input, smtp });
      return c.json(await settingsView(ws), 200);
    },
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/deliveries/test",
      tags,
      summary: "Send a test email, webhook or chat message now (quiet hours do not apply) and log it",
      security: sec,
      request: body(TestDeliverySchema),
      responses: {
        200: json(DeliverySchema, "The delivery as logged (sent or failed, with its error)"),
        ...errors,
      },
    }),
    async (c) => c.json(await sendTestDelivery(deps, c.get("workspaceId"), c.req.valid("json")), 200),
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/deliveries",
      tags,
      summary: "The delivery log: every email, webhook and chat delivery with its last error, newest first",
      security: sec,
      request: {
        query: z.object({
          status: DeliveryStatusSchema.optional(),
          channel: DeliveryChannelSchema.optional(),
          accountId: z.string().min(1).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          cursor: z
            .string()
            .min(1)
            .max(500)
            .optional()
            .openapi({ description: "nextCursor of the previous page" }),
        }),
      },
      responses: {
        200: json(
          z
            .object({
              deliveries: z.array(DeliverySchema),
              nextCursor: z.string().nullable(),
              counts: z.object({
                sent: z.number().int(),
                failed: z.number().int(),
                deferred: z.number().int(),
              }),
            })
            .openapi("DeliveryPage"),
          "A page of deliveries and the workspace's counts per status",
        ),
        ...errors,
      },
    }),
    async (c) => c.json(await listDeliveries(storage, c.get("workspaceId"), c.req.valid("query")), 200),
  );

  // Registered after the fixed /deliveries/... paths so that they are not read as ids.
  app.openapi(
    createRoute({
      method: "get",
      path: "/deliveries/{id}",
      tags,
      summary: "One delivery with every attempt",
      security: sec,
      request: { params: idParam },
      responses: {
        200: json(DeliverySchema.extend({ attemptLog: z.array(DeliveryAttemptSchema) }), "The delivery"),
        ...errors,
        ...notFound,
      },
    }),
    async (c) => c.json(await getDelivery(storage, c.get("workspaceId"), c.req.valid("param").id), 200),
  );

  return app;
}
