import { randomBytes } from "node:crypto";
import { Webhook } from "standardwebhooks";
import { type AttemptOutcome, DEFAULT_TIMEOUT_MS, errorText, shortError } from "./outcome";

/** A new endpoint secret in the Standard Webhooks form: `whsec_` + base64 of 24 random bytes. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(24).toString("base64")}`;
}

/** True when `secret` is `whsec_` followed by base64 of at least 16 bytes (what the package accepts). */
export function isWebhookSecret(secret: string): boolean {
  const m = /^whsec_([A-Za-z0-9+/]+={0,2})$/.exec(secret);
  return m !== null && Buffer.from(m[1] ?? "", "base64").length >= 16;
}

/** The Standard Webhooks headers of a message: id, timestamp (seconds) and `v1,<base64>` signature. */
export function signWebhook(
  secret: string,
  id: string,
  at: Date,
  body: string,
): { "webhook-id": string; "webhook-timestamp": string; "webhook-signature": string } {
  return {
    "webhook-id": id,
    "webhook-timestamp": String(Math.floor(at.getTime() / 1000)),
    "webhook-signature": new Webhook(secret).sign(id, at, body),
  };
}

/** A webhook event: its type ("signal.raised") and data; the body is `{type, timestamp, data}`. */
export interface WebhookEvent {
  type: string;
  data: unknown;
}

/**
 * POSTs a signed event to an endpoint; webhook-id is the delivery id, so a receiver can drop a
 * repeat. Anything but a 2xx answer within the timeout is a failed outcome (the queue retries it).
 */
export async function sendWebhook(
  endpoint: { url: string; secret: string },
  deliveryId: string,
  event: WebhookEvent,
  opts: { now?: Date; timeoutMs?: number } = {},
): Promise<AttemptOutcome> {
  const at = opts.now ?? new Date();
  const body = JSON.stringify({ type: event.type, timestamp: at.toISOString(), data: event.data });
  try {
    const res = await fetch(endpoint.url, {
      method: "POST",
      headers: { "content-type": "application/json", ...signWebhook(endpoint.secret, deliveryId, at, body) },
      body,
      signal: AbortSignal.timeout(opts.timeoutMs ?? DEFAULT_TIMEOUT_MS),
      redirect: "manual",
    });
    const text = await res.text().catch(() => "");
    if (res.status >= 200 && res.status < 300) return { ok: true, responseCode: res.status };
    return {
      ok: false,
      responseCode: res.status,
      error: shortError(`HTTP ${res.status}${text === "" ? "" : `: ${text}`}`),
    };
  } catch (err) {
    return { ok: false, responseCode: null, error: errorText(err) };
  }
}
