import nodemailer, { type Transporter } from "nodemailer";
import { type AttemptOutcome, errorText } from "./outcome";

/** Where emails go: an SMTP URL (smtp://user:pass@host:587, smtps:// for TLS) and the From address. */
export interface SmtpSettings {
  url: string;
  from: string;
}

/** One email to send; `deliveryId` is the job's stable delivery id. */
export interface OutgoingEmail {
  deliveryId: string;
  to: string;
  subject: string;
  text: string;
  html: string;
}

/**
 * The Message-ID of a delivery: the same for every attempt of it, so a delivery repeated after a
 * crash between sending and recording is recognisable (and mail clients thread or drop the copy).
 */
export function messageIdFor(deliveryId: string, from: string): string {
  const domain = /@([^>\s]+)>?\s*$/.exec(from)?.[1] ?? "tenure.invalid";
  const local = deliveryId.replace(/[^A-Za-z0-9._-]/g, "-");
  return `<${local}@${domain}>`;
}

// One pooled connection set per SMTP URL in a process: a worker sending thousands of emails must not
// open a connection for each.
const transports = new Map<string, Transporter>();

function transportFor(url: string): Transporter {
  let t = transports.get(url);
  if (t === undefined) {
    t = nodemailer.createTransport(url);
    transports.set(url, t);
  }
  return t;
}

/** Closes the pooled SMTP connections (tests, and a worker that stops). */
export function closeSmtpTransports(): void {
  for (const t of transports.values()) t.close();
  transports.clear();
}

/** Sends one email over SMTP; a refusal or a connection failure is a failed outcome (to retry). */
export async function sendEmail(smtp: SmtpSettings, email: OutgoingEmail): Promise<AttemptOutcome> {
  try {
    const info = await transportFor(smtp.url).sendMail({
      from: smtp.from,
      to: email.to,
      subject: email.subject,
      text: email.text,
      html: email.html,
      messageId: messageIdFor(email.deliveryId, smtp.from),
      headers: { "X-Tenure-Delivery-Id": email.deliveryId },
    });
    const code = /^(\d{3})/.exec(String(info.response ?? ""))?.[1];
    return {
      ok: true,
      responseCode: code === undefined ? null : Number(code),
      detail: String(info.response),
    };
  } catch (err) {
    const code = (err as { responseCode?: unknown }).responseCode;
    return { ok: false, responseCode: typeof code === "number" ? code : null, error: errorText(err) };
  }
}
