import { randomUUID } from "node:crypto";
import { TenureError } from "@tenure/core";
import type {
  ChatChannel,
  ChatKind,
  DeliveryAttempt,
  DeliveryChannel,
  DeliveryRecord,
  DeliveryStatus,
  DeliveryTemplate,
  Storage,
  WebhookEndpoint,
} from "@tenure/storage";
import {
  type RenderedEmail,
  renderTemplate,
  templateVariablesUsed,
  validateTemplate,
} from "./email-template";
import {
  chatPayloadSchema,
  DELIVERY_JOB_KINDS,
  type DeliveryDeps,
  DeliveryFailedError,
  type DeliveryJob,
  deliverChat,
  deliverEmail,
  deliverWebhook,
  emailPayloadSchema,
  webhookPayloadSchema,
} from "./handlers";
import { loadTemplateSource, type TemplateSourceDeps } from "./template-source";
import { templateView } from "./template-variables";
import { isWebhookSecret, newWebhookSecret } from "./webhook";

/** A template as saved from the editor; a missing id creates one. */
export interface TemplateInput {
  id?: string | undefined;
  name: string;
  locale: string;
  subject: string;
  body: string;
}

/** Email templates of the workspace, by name then locale. */
export function listTemplates(storage: Storage, ws: string): Promise<DeliveryTemplate[]> {
  return storage.deliveryTemplates.list(ws);
}

/**
 * Validates (syntax and variables, see validateTemplate) and saves a template. A second template of
 * the same name and locale is a conflict; an unknown id is not_found.
 */
export async function saveTemplate(
  storage: Storage,
  ws: string,
  input: TemplateInput,
): Promise<DeliveryTemplate> {
  validateTemplate(input);
  return storage.transaction(async (tx) => {
    if (input.id !== undefined && (await tx.deliveryTemplates.get(ws, input.id)) === null) {
      throw new TenureError("not_found", `No email template with id "${input.id}"`);
    }
    const same = await tx.deliveryTemplates.findByName(ws, input.name, input.locale);
    if (same !== null && same.id !== input.id) {
      throw new TenureError("conflict", `A template "${input.name}" in ${input.locale} already exists`, {
        field: "name",
      });
    }
    return tx.deliveryTemplates.save(ws, { ...input, id: input.id ?? randomUUID() });
  });
}

/** Deletes a template; not_found when there is none. */
export async function deleteTemplate(storage: Storage, ws: string, id: string): Promise<void> {
  if (!(await storage.deliveryTemplates.delete(ws, id))) {
    throw new TenureError("not_found", `No email template with id "${id}"`);
  }
}

/** A preview: the template rendered with a real account (and contact), and the variables it uses. */
export interface TemplatePreview extends RenderedEmail {
  variables: string[];
}

/** Renders an unsaved template with a real account's fields, validating it as saving would. */
export async function previewTemplate(
  deps: TemplateSourceDeps,
  ws: string,
  input: Omit<TemplateInput, "id" | "name"> & { accountId: string; contactId?: string | undefined },
): Promise<TemplatePreview> {
  validateTemplate(input);
  const source = await loadTemplateSource(deps, ws, input.accountId, input.contactId);
  return {
    ...renderTemplate(input, templateView(source, input.locale)),
    variables: templateVariablesUsed(input),
  };
}

const httpUrl = (url: string, field: string) => {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new TenureError("validation", `${field}: must be an http(s) URL`, { field });
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:") {
    throw new TenureError("validation", `${field}: must be an http(s) URL`, { field });
  }
};

/** A webhook endpoint as entered; a missing secret gets a new one. */
export interface EndpointInput {
  name: string;
  url: string;
  secret?: string | undefined;
  enabled?: boolean | undefined;
}

/** Webhook endpoints of the workspace. */
export function listEndpoints(storage: Storage, ws: string): Promise<WebhookEndpoint[]> {
  return storage.deliveryTargets.listEndpoints(ws);
}

/** Creates (no id) or replaces an endpoint; the secret must be `whsec_` + base64 (made when absent). */
export async function saveEndpoint(
  storage: Storage,
  ws: string,
  input: EndpointInput,
  id?: string,
): Promise<WebhookEndpoint> {
  httpUrl(input.url, "url");
  const existing = id === undefined ? null : await storage.deliveryTargets.getEndpoint(ws, id);
  if (id !== undefined && existing === null)
    throw new TenureError("not_found", `No webhook endpoint "${id}"`);
  const secret = input.secret ?? existing?.secret ?? newWebhookSecret();
  if (!isWebhookSecret(secret)) {
    throw new TenureError("validation", "secret: must be whsec_ followed by base64 of at least 16 bytes", {
      field: "secret",
    });
  }
  return storage.deliveryTargets.saveEndpoint(ws, {
    id: id ?? randomUUID(),
    name: input.name,
    url: input.url,
    secret,
    enabled: input.enabled ?? existing?.enabled ?? true,
  });
}

/** Deletes an endpoint; not_found when there is none. */
export async function deleteEndpoint(storage: Storage, ws: string, id: string): Promise<void> {
  if (!(await storage.deliveryTargets.deleteEndpoint(ws, id))) {
    throw new TenureError("not_found", `No webhook endpoint "${id}"`);
  }
}

/** A chat channel as entered. */
export interface ChannelInput {
  name: string;
  kind: ChatKind;
  url: string;
  secret?: string | null | undefined;
  enabled?: boolean | undefined;
}

/** Chat channels of the workspace. */
export function listChannels(storage: Storage, ws: string): Promise<ChatChannel[]> {
  return storage.deliveryTargets.listChannels(ws);
}

/** Creates (no id) or replaces a chat channel; only DingTalk and Feishu robots take a signing secret. */
export async function saveChannel(
  storage: Storage,
  ws: string,
  input: ChannelInput,
  id?: string,
): Promise<ChatChannel> {
  httpUrl(input.url, "url");
  const secret = input.secret === undefined || input.secret === "" ? null : input.secret;
  if (secret !== null && input.kind !== "dingtalk" && input.kind !== "feishu") {
    throw new TenureError(
      "validation",
      `secret: ${input.kind} incoming webhooks are not signed; leave it empty`,
      {
        field: "secret",
      },
    );
  }
  const existing = id === undefined ? null : await storage.deliveryTargets.getChannel(ws, id);
  if (id !== undefined && existing === null) throw new TenureError("not_found", `No chat channel "${id}"`);
  return storage.deliveryTargets.saveChannel(ws, {
    id: id ?? randomUUID(),
    name: input.name,
    kind: input.kind,
    url: input.url,
    secret,
    enabled: input.enabled ?? existing?.enabled ?? true,
  });
}

/** Deletes a chat channel; not_found when there is none. */
export async function deleteChannel(storage: Storage, ws: string, id: string): Promise<void> {
  if (!(await storage.deliveryTargets.deleteChannel(ws, id))) {
    throw new TenureError("not_found", `No chat channel "${id}"`);
  }
}

/** A test delivery, sent now (quiet hours do not apply to a person pressing "send test"). */
export type TestDelivery =
  | { channel: "email"; to: string; templateId: string; accountId: string }
  | { channel: "webhook"; endpointId: string }
  | { channel: "chat"; channelId: string };

/**
 * Sends a test delivery through the same path as the queue's, and returns it as logged (a failure
 * is returned, not thrown: the caller shows the error).
 */
export async function sendTestDelivery(
  deps: DeliveryDeps,
  ws: string,
  test: TestDelivery,
): Promise<DeliveryRecord> {
  const job: DeliveryJob = { workspaceId: ws, attempt: 1, deliveryId: `test_${randomUUID()}`, payload: null };
  const now = { ...deps, quietHours: false as const };
  try {
    if (test.channel === "email") {
      await deliverEmail(
        { ...job, payload: { templateId: test.templateId, accountId: test.accountId, to: test.to } },
        now,
      );
    } else if (test.channel === "webhook") {
      const payload = {
        endpointId: test.endpointId,
        type: "tenure.test",
        data: { message: "Test from Tenure" },
      };
      await deliverWebhook({ ...job, payload }, now);
    } else {
      const payload = {
        channelId: test.channelId,
        title: "Tenure",
        text: "Test message from Tenure / 来自 Tenure 的测试消息",
      };
      await deliverChat({ ...job, payload }, now);
    }
  } catch (err) {
    if (!(err instanceof DeliveryFailedError)) throw err;
    return err.delivery;
  }
  const logged = await deps.storage.deliveryLog.get(ws, job.deliveryId);
  if (logged === null) throw new TenureError("internal", "The test delivery was not logged");
  return logged;
}

/** A page of the delivery log and the cursor of the next page (null at the end). */
export interface DeliveryPage {
  deliveries: DeliveryRecord[];
  nextCursor: string | null;
  counts: Record<DeliveryStatus, number>;
}

const encodeCursor = (d: DeliveryRecord) => Buffer.from(`${d.updatedAt}|${d.id}`).toString("base64url");
function decodeCursor(cursor: string): { updatedAt: string; id: string } {
  const raw = Buffer.from(cursor, "base64url").toString("utf8");
  const bar = raw.indexOf("|");
  if (bar < 0)
    throw new TenureError("validation", "cursor: not a cursor this API returned", { field: "cursor" });
  return { updatedAt: raw.slice(0, bar), id: raw.slice(bar + 1) };
}

/** The delivery log, newest first, filtered and paged by cursor. */
export async function listDeliveries(
  storage: Storage,
  ws: string,
  q: {
    status?: DeliveryStatus | undefined;
    channel?: DeliveryChannel | undefined;
    accountId?: string | undefined;
    limit: number;
    cursor?: string | undefined;
  },
): Promise<DeliveryPage> {
  const rows = await storage.deliveryLog.list(ws, {
    ...(q.status === undefined ? {} : { status: q.status }),
    ...(q.channel === undefined ? {} : { channel: q.channel }),
    ...(q.accountId === undefined ? {} : { accountId: q.accountId }),
    ...(q.cursor === undefined ? {} : { before: decodeCursor(q.cursor) }),
    limit: q.limit + 1,
  });
  const page = rows.slice(0, q.limit);
  const last = page.at(-1);
  return {
    deliveries: page,
    nextCursor: rows.length > q.limit && last !== undefined ? encodeCursor(last) : null,
    counts: await storage.deliveryLog.countByStatus(ws),
  };
}

/** One delivery with every attempt; not_found when there is none. */
export async function getDelivery(
  storage: Storage,
  ws: string,
  id: string,
): Promise<DeliveryRecord & { attemptLog: DeliveryAttempt[] }> {
  const d = await storage.deliveryLog.get(ws, id);
  if (d === null) throw new TenureError("not_found", `No delivery "${id}"`);
  return { ...d, attemptLog: await storage.deliveryLog.attempts(ws, id) };
}

/**
 * Checks a delivery action before an automation or playbook is saved: the payload's fields, and that
 * its template, endpoint or channel exists (and a chat text's variables are known). Throws a
 * validation TenureError naming the part.
 */
export async function checkDeliveryAction(
  storage: Storage,
  ws: string,
  kind: string,
  payload: unknown,
): Promise<void> {
  const fail = (msg: string) => {
    throw new TenureError("validation", msg);
  };
  if (kind === DELIVERY_JOB_KINDS.email) {
    const p = emailPayloadSchema.safeParse(payload);
    if (!p.success)
      return fail(
        `email action: ${p.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      );
    const t =
      p.data.templateId !== undefined
        ? await storage.deliveryTemplates.get(ws, p.data.templateId)
        : await storage.deliveryTemplates.findByName(ws, p.data.templateName ?? "", p.data.locale);
    if (t === null) fail(`email action: no template "${p.data.templateId ?? p.data.templateName}"`);
  } else if (kind === DELIVERY_JOB_KINDS.webhook) {
    const p = webhookPayloadSchema.safeParse(payload);
    if (!p.success)
      return fail(
        `webhook action: ${p.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      );
    if ((await storage.deliveryTargets.getEndpoint(ws, p.data.endpointId)) === null) {
      fail(`webhook action: no endpoint "${p.data.endpointId}"`);
    }
  } else if (kind === DELIVERY_JOB_KINDS.chat) {
    const p = chatPayloadSchema.safeParse(payload);
    if (!p.success)
      return fail(
        `chat action: ${p.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
      );
    if ((await storage.deliveryTargets.getChannel(ws, p.data.channelId)) === null) {
      fail(`chat action: no channel "${p.data.channelId}"`);
    }
    try {
      validateTemplate({ subject: p.data.title, body: p.data.text });
    } catch (err) {
      fail(`chat action: ${(err as Error).message.replace(/^subject/, "title").replace(/^body/, "text")}`);
    }
  } else {
    fail(`unknown delivery kind "${kind}"`);
  }
}
