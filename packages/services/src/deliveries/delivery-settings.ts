import { TenureError } from "@tenure/core";
import type { Storage } from "@tenure/storage";
import { z } from "zod";
import type { SmtpSettings } from "./email";
import { assertTimeZone } from "./quiet-hours";

/** The workspace setting key under which delivery settings are stored. */
export const DELIVERY_SETTINGS_KEY = "deliveries";

const hhmm = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "must be a time HH:MM (00:00-23:59)");

const timeZone = z.string().superRefine((tz, ctx) => {
  try {
    assertTimeZone(tz);
  } catch (err) {
    ctx.addIssue({ code: "custom", message: (err as Error).message });
  }
});

/** Delivery settings of a workspace: its time zone, quiet hours there, and its own SMTP server. */
export const deliverySettingsSchema = z.object({
  /** IANA time zone of the workspace (quiet hours are in it). */
  timeZone: timeZone.default("UTC"),
  /** Emails and chats are held during these local hours; null = none. */
  quietHours: z.object({ start: hhmm, end: hhmm }).nullable().default(null),
  /** Overrides TENURE_SMTP_URL / TENURE_SMTP_FROM for this workspace; null = use those. */
  smtp: z
    .object({
      url: z.string().regex(/^smtps?:\/\/[^\s]+$/, "must be an smtp:// or smtps:// URL"),
      from: z.string().trim().min(3, "must be a sender address"),
    })
    .nullable()
    .default(null),
});

export type DeliverySettings = z.infer<typeof deliverySettingsSchema>;

/** The workspace's delivery settings (defaults when never set). */
export async function getDeliverySettings(storage: Storage, ws: string): Promise<DeliverySettings> {
  const stored = await storage.workspaceSettings.get(ws, DELIVERY_SETTINGS_KEY);
  const parsed = deliverySettingsSchema.safeParse(stored?.value ?? {});
  // A setting stored by an older version that no longer validates falls back to the defaults.
  return parsed.success ? parsed.data : deliverySettingsSchema.parse({});
}

/** Validates and stores the workspace's delivery settings; bad fields are named in the error. */
export async function setDeliverySettings(
  storage: Storage,
  ws: string,
  input: unknown,
): Promise<DeliverySettings> {
  const parsed = deliverySettingsSchema.safeParse(input);
  if (!parsed.success) {
    const issues = parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`);
    throw new TenureError("validation", `Invalid delivery settings: ${issues.join("; ")}`);
  }
  await storage.workspaceSettings.set(ws, DELIVERY_SETTINGS_KEY, parsed.data);
  return parsed.data;
}

/** SMTP from the environment (TENURE_SMTP_URL, TENURE_SMTP_FROM), used when a workspace sets none. */
export interface SmtpEnv {
  smtpUrl?: string | undefined;
  smtpFrom?: string | undefined;
}

/** The SMTP server for a workspace: its own settings, else the environment's, else null (not set up). */
export function resolveSmtp(settings: DeliverySettings, env: SmtpEnv): SmtpSettings | null {
  if (settings.smtp !== null) return settings.smtp;
  if (env.smtpUrl !== undefined && env.smtpFrom !== undefined)
    return { url: env.smtpUrl, from: env.smtpFrom };
  return null;
}

/** An SMTP URL with its password replaced, safe to show. */
export function maskSmtpUrl(url: string): string {
  return url.replace(/^(smtps?:\/\/[^:/@]+:)[^@]*@/, "$1****@");
}
