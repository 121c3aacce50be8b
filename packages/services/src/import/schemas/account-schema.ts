import { type Account, type CustomFieldValue, LIFECYCLE_STAGES } from "@tenure/core";
import { z } from "zod";
import { reviewAccountOwners, writeAccountsWithOwners } from "../../team/account-owners";
import { cellNumber, field, NUL_REASON, oneOf, optionalText, requiredText } from "../fields";
import type { KindDefinition } from "../kind-definition";

type Parsed<T> = { ok: true; value: T } | { ok: false; reason: string };

const tags = field((raw): Parsed<string[]> => {
  if (raw === undefined || raw === null) return { ok: true, value: [] };
  if (Array.isArray(raw)) {
    if (!raw.every((t) => typeof t === "string")) return { ok: false, reason: "tags must be text" };
    if (raw.some((t) => t.includes("\u0000"))) return { ok: false, reason: NUL_REASON };
    return { ok: true, value: raw.map((t) => t.trim()).filter((t) => t !== "") };
  }
  if (typeof raw !== "string") return { ok: false, reason: "tags must be text separated by ; or |" };
  if (raw.includes("\u0000")) return { ok: false, reason: NUL_REASON };
  const value = raw
    .split(/[;|]/)
    .map((t) => t.trim())
    .filter((t) => t !== "");
  return { ok: true, value };
});

const NUMERIC = /^[-+]?(\d+\.?\d*|\.\d+)$/;

/** Extra columns become custom fields: numbers parsed, empty cells left out. */
const customFields = z.unknown().transform((raw, ctx): Record<string, CustomFieldValue> => {
  const out: Record<string, CustomFieldValue> = {};
  if (raw === undefined) return out;
  for (const [key, value] of Object.entries(raw as Record<string, unknown>)) {
    if (value === null || value === undefined) continue;
    if (typeof value === "number" && !Number.isFinite(value))
      ctx.addIssue({ code: "custom", path: [key], message: "must be a finite number" });
    else if (typeof value === "number" || typeof value === "boolean") out[key] = value;
    else if (typeof value === "string") {
      if (value.includes("\u0000") || key.includes("\u0000")) {
        ctx.addIssue({ code: "custom", path: [key], message: NUL_REASON });
        continue;
      }
      const text = value.trim();
      if (text === "") continue;
      const n = NUMERIC.test(text) ? cellNumber(text) : null;
      out[key] = n?.ok && n.value !== null ? n.value : text;
    } else {
      ctx.addIssue({
        code: "custom",
        path: [key],
        message: "custom fields must be text, numbers or booleans",
      });
    }
  }
  return out;
});

const row = z
  .object({
    account_id: requiredText("account_id"),
    name: optionalText(),
    crm_id: optionalText(),
    billing_id: optionalText(),
    tier: optionalText(),
    segment: optionalText(),
    industry: optionalText(),
    region: optionalText(),
    owner: optionalText(),
    lifecycle_stage: oneOf(LIFECYCLE_STAGES, "lifecycle_stage"),
    channel: optionalText(),
    utm_source: optionalText(),
    utm_medium: optionalText(),
    utm_campaign: optionalText(),
    tags,
    custom_fields: customFields,
  })
  .transform(
    (r): Account => ({
      id: r.account_id,
      // A nameless account shows its id, like the minimal accounts created by other imports.
      name: r.name ?? r.account_id,
      crmId: r.crm_id,
      billingId: r.billing_id,
      tier: r.tier,
      segment: r.segment,
      industry: r.industry,
      region: r.region,
      owner: r.owner,
      lifecycleStage: r.lifecycle_stage,
      channel: r.channel,
      utmSource: r.utm_source,
      utmMedium: r.utm_medium,
      utmCampaign: r.utm_campaign,
      tags: r.tags,
      customFields: r.custom_fields,
    }),
  );

/** Accounts: any column not listed becomes a custom field. */
export const accountKind: KindDefinition<Account> = {
  kind: "accounts",
  columns: [
    "account_id",
    "name",
    "crm_id",
    "billing_id",
    "tier",
    "segment",
    "industry",
    "region",
    "owner",
    "lifecycle_stage",
    "channel",
    "utm_source",
    "utm_medium",
    "utm_campaign",
    "tags",
  ],
  aliases: {
    id: "account_id",
    customer_id: "account_id",
    external_id: "account_id",
    account_name: "name",
    company: "name",
    stage: "lifecycle_stage",
    acquisition_channel: "channel",
    source: "channel",
  },
  extraColumns: "custom_fields",
  schema: row,
  keyOf: (a) => a.id,
  keyColumn: "account_id",
  // Owners name team members once the workspace has them (see team/account-owners).
  review: reviewAccountOwners,
  listedAccounts: async (_tx, _ws, rows) => rows.map((a) => a.id),
  write: writeAccountsWithOwners,
};
