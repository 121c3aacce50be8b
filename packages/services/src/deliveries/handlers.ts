import { isTenureError, TenureError } from "@tenure/core";
import type { DeliveryChannel, DeliveryRecord } from "@tenure/storage";
import { z } from "zod";
import { sendChat } from "./chat";
import { getDeliverySettings, resolveSmtp, type SmtpEnv } from "./delivery-settings";
import { sendEmail } from "./email";
import { renderTemplate, templateVariablesUsed, validateTemplate } from "./email-template";
import { type AttemptOutcome, errorText } from "./outcome";
import { quietHoursEnd } from "./quiet-hours";
import { loadTemplateSource, type TemplateSourceDeps } from "./template-source";
import { templateView } from "./template-variables";
import { sendWebhook } from "./webhook";

/** Job kinds of the three deliveries, as registered with the job queue. */
export const DELIVERY_JOB_KINDS = {
  email: "delivery.email",
  webhook: "delivery.webhook",
  chat: "delivery.chat",
} as const;

/** The part of a queue job a delivery reads; `deliveryId` is stable across the job's attempts. */
export interface DeliveryJob {
  workspaceId: string;
  payload: unknown;
  /** 1 on the first attempt. */
  attempt: number;
  deliveryId: string;
}

/** What a delivery handler returns: nothing when sent, a later time when quiet hours hold it. */
export type DeliveryResult = { rescheduleAt: Date } | undefined;

/** What the handlers need: storage, ARR and dates for template variables, SMTP from the environment. */
export interface DeliveryDeps extends TemplateSourceDeps {
  smtpEnv: SmtpEnv;
  /** The clock (tests set it); quiet hours and signatures read it. */
  now?: () => Date;
  /** How long a webhook or chat request may take (default 10 s). */
  timeoutMs?: number;
  /** false: ignore quiet hours (a test send a person asked for). */
  quietHours?: false;
}

/** Payload of an email delivery: a template (by id, or by name and locale) to an account's contact. */
export const emailPayloadSchema = z
  .object({
    templateId: z.string().min(1).optional(),
    templateName: z.string().min(1).optional(),
    locale: z.string().min(2).default("en"),
    accountId: z.string().min(1),
    contactId: z.string().min(1).optional(),
    /** An explicit recipient; otherwise the contact's email. */
    to: z.email().optional(),
  })
  .refine((p) => p.templateId !== undefined || p.templateName !== undefined, {
    message: "templateId or templateName is required",
    path: ["templateId"],
  })
  .refine((p) => p.to !== undefined || p.contactId !== undefined, {
    message: "to or contactId is required",
    path: ["to"],
  });
export type EmailPayload = z.input<typeof emailPayloadSchema>;

/** Payload of a webhook delivery: the endpoint and the event it receives. */
export const webhookPayloadSchema = z.object({
  endpointId: z.string().min(1),
  type: z.string().min(1).max(200),
  data: z.unknown(),
  accountId: z.string().min(1).optional(),
});
export type WebhookPayload = z.input<typeof webhookPayloadSchema>;

/** Payload of a chat delivery: the channel and a title and text, which may use template variables. */
export const chatPayloadSchema = z.object({
  channelId: z.string().min(1),
  title: z.string().min(1).max(200),
  text: z.string().min(1).max(4000),
  accountId: z.string().min(1).optional(),
  /** Locale amounts are formatted in (en: "$12,000", zh-CN: "US$12,000"). */
  locale: z.string().min(2).default("en"),
});
export type ChatPayload = z.input<typeof chatPayloadSchema>;

/**
 * A failure the log keeps (thrown after the attempt is recorded). `permanent`: retrying cannot help
 * (a bad payload, a template or endpoint that does not exist), so the queue should not.
 */
export class DeliveryFailedError extends Error {
  constructor(
    message: string,
    readonly delivery: DeliveryRecord,
    readonly permanent = false,
  ) {
    super(message);
    this.name = "DeliveryFailedError";
  }
}

/** An attempt's outcome, with the resolved recipient when the payload named it indirectly (a contact). */
type RunOutcome = (AttemptOutcome & { target?: string }) | { deferUntil: Date };

interface Target {
  channel: DeliveryChannel;
  target: string;
  accountId: string | null;
}

async function record(
  deps: DeliveryDeps,
  job: DeliveryJob,
  t: Target,
  outcome: AttemptOutcome | "deferred",
  startedMs: number,
): Promise<DeliveryRecord> {
  const deferred = outcome === "deferred";
  return deps.storage.deliveryLog.recordAttempt(job.workspaceId, {
    deliveryId: job.deliveryId,
    ...t,
    attempt: job.attempt,
    status: deferred ? "deferred" : outcome.ok ? "sent" : "failed",
    responseCode: deferred ? null : outcome.responseCode,
    error: deferred || outcome.ok ? null : outcome.error,
    durationMs: Date.now() - startedMs,
  });
}

/**
 * Runs one attempt and records it: a failure (including a bad payload or a missing template, which
 * `prepare` throws) is stored with its error and rethrown, so the queue retries it and the log shows it.
 */
async function attempt<P>(
  deps: DeliveryDeps,
  job: DeliveryJob,
  schema: z.ZodType<P>,
  describe: (p: P | null) => Target,
  run: (p: P) => Promise<RunOutcome>,
): Promise<DeliveryResult> {
  const started = Date.now();
  const parsed = schema.safeParse(job.payload);
  let outcome: RunOutcome;
  let permanent = false;
  let target = describe(parsed.success ? parsed.data : null);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ");
    outcome = { ok: false, responseCode: null, error: `invalid payload: ${issues}` };
    permanent = true;
  } else {
    try {
      outcome = await run(parsed.data);
    } catch (err) {
      // Missing templates, endpoints or accounts are failures to see and fix, not crashes.
      if (!isTenureError(err)) throw err;
      outcome = { ok: false, responseCode: null, error: errorText(err) };
      permanent = err.code === "not_found";
    }
  }
  if ("target" in outcome && outcome.target !== undefined) target = { ...target, target: outcome.target };
  if ("deferUntil" in outcome) {
    await record(deps, job, target, "deferred", started);
    return { rescheduleAt: outcome.deferUntil };
  }
  const stored = await record(deps, job, target, outcome, started);
  if (!outcome.ok) throw new DeliveryFailedError(outcome.error, stored, permanent);
  return undefined;
}

async function quietUntil(deps: DeliveryDeps, ws: string): Promise<Date | null> {
  if (deps.quietHours === false) return null;
  const settings = await getDeliverySettings(deps.storage, ws);
  if (settings.quietHours === null) return null;
  return quietHoursEnd(deps.now?.() ?? new Date(), { timeZone: settings.timeZone, ...settings.quietHours });
}

/** Sends one templated email over SMTP (held in quiet hours). Throws to be retried when it fails. */
export function deliverEmail(job: DeliveryJob, deps: DeliveryDeps): Promise<DeliveryResult> {
  const ws = job.workspaceId;
  return attempt(
    deps,
    job,
    emailPayloadSchema,
    (p) => ({ channel: "email", target: p?.to ?? p?.contactId ?? "?", accountId: p?.accountId ?? null }),
    async (p) => {
      const until = await quietUntil(deps, ws);
      if (until !== null) return { deferUntil: until };
      const smtp = resolveSmtp(await getDeliverySettings(deps.storage, ws), deps.smtpEnv);
      if (smtp === null) {
        throw new TenureError(
          "validation",
          "No SMTP server: set TENURE_SMTP_URL and TENURE_SMTP_FROM, or the workspace's SMTP settings",
        );
      }
      const template =
        p.templateId !== undefined
          ? await deps.storage.deliveryTemplates.get(ws, p.templateId)
          : await deps.storage.deliveryTemplates.findByName(ws, p.templateName ?? "", p.locale);
      if (template === null) {
        throw new TenureError(
          "not_found",
          `No email template "${p.templateId ?? `${p.templateName} (${p.locale})`}"`,
        );
      }
      const source = await loadTemplateSource(deps, ws, p.accountId, p.contactId);
      const to = p.to ?? source.contact?.email ?? null;
      if (to === null) throw new TenureError("validation", `Contact "${p.contactId}" has no email address`);
      const rendered = renderTemplate(template, templateView(source, template.locale));
      return { ...(await sendEmail(smtp, { deliveryId: job.deliveryId, to, ...rendered })), target: to };
    },
  );
}

/** POSTs one signed event to a webhook endpoint (never held: machines have no quiet hours). */
export function deliverWebhook(job: DeliveryJob, deps: DeliveryDeps): Promise<DeliveryResult> {
  return attempt(
    deps,
    job,
    webhookPayloadSchema,
    (p) => ({ channel: "webhook", target: p?.endpointId ?? "?", accountId: p?.accountId ?? null }),
    async (p) => {
      const endpoint = await deps.storage.deliveryTargets.getEndpoint(job.workspaceId, p.endpointId);
      if (endpoint === null) throw new TenureError("not_found", `No webhook endpoint "${p.endpointId}"`);
      if (!endpoint.enabled)
        throw new TenureError("conflict", `Webhook endpoint "${endpoint.name}" is disabled`);
      return sendWebhook(
        endpoint,
        job.deliveryId,
        { type: p.type, data: p.data },
        {
          ...(deps.now === undefined ? {} : { now: deps.now() }),
          ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }),
        },
      );
    },
  );
}

/** Posts one notification to a team chat (held in quiet hours); title and text may use variables. */
export function deliverChat(job: DeliveryJob, deps: DeliveryDeps): Promise<DeliveryResult> {
  const ws = job.workspaceId;
  return attempt(
    deps,
    job,
    chatPayloadSchema,
    (p) => ({ channel: "chat", target: p?.channelId ?? "?", accountId: p?.accountId ?? null }),
    async (p) => {
      const until = await quietUntil(deps, ws);
      if (until !== null) return { deferUntil: until };
      const channel = await deps.storage.deliveryTargets.getChannel(ws, p.channelId);
      if (channel === null) throw new TenureError("not_found", `No chat channel "${p.channelId}"`);
      if (!channel.enabled) throw new TenureError("conflict", `Chat channel "${channel.name}" is disabled`);
      const text = { subject: p.title, body: p.text };
      validateTemplate(text);
      let message = { title: p.title, text: p.text };
      if (p.accountId !== undefined) {
        const source = await loadTemplateSource(deps, ws, p.accountId);
        const rendered = renderTemplate(text, templateView(source, p.locale));
        message = { title: rendered.subject, text: rendered.text };
      } else if (templateVariablesUsed(text).length > 0) {
        throw new TenureError("validation", "A chat message that uses template variables needs an accountId");
      }
      return sendChat(channel, message, {
        ...(deps.now === undefined ? {} : { now: deps.now() }),
        ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }),
      });
    },
  );
}
