import { CONTACT_ROLES, type Contact } from "@tenure/core";
import { z } from "zod";
import { cellText, field, oneOf, optionalDate, optionalText, requiredText } from "../fields";
import type { KindDefinition } from "../kind-definition";

const emailFormat = z.email();

/** Contact status column values: "left" marks someone no longer at the customer company. */
const CONTACT_STATUSES = ["active", "left"] as const;

const email = field((raw): { ok: true; value: string | null } | { ok: false; reason: string } => {
  const text = cellText(raw);
  if (!text.ok) return text;
  if (text.value === null) return { ok: true, value: null };
  return emailFormat.safeParse(text.value).success
    ? { ok: true, value: text.value }
    : { ok: false, reason: "is not a valid email address" };
});

const row = z
  .object({
    contact_id: requiredText("contact_id"),
    account_id: requiredText("account_id"),
    name: requiredText("name"),
    email,
    role: oneOf(CONTACT_ROLES, "role"),
    title: optionalText(),
    last_touch_at: optionalDate(),
    left_at: optionalDate(),
    status: oneOf(CONTACT_STATUSES, "status"),
  })
  .superRefine((r, ctx) => {
    // A status column must agree with left_at: "left" needs the day (signals cite it), "active" has none.
    if (r.status === "left" && r.left_at === null)
      ctx.addIssue({
        code: "custom",
        path: ["left_at"],
        message: "left_at is required when status is left (the day the contact left)",
      });
    if (r.status === "active" && r.left_at !== null)
      ctx.addIssue({ code: "custom", path: ["status"], message: "status is active but left_at is set" });
  })
  .transform(
    (r): Contact => ({
      id: r.contact_id,
      accountId: r.account_id,
      name: r.name,
      email: r.email,
      role: r.role,
      title: r.title,
      lastTouchAt: r.last_touch_at,
      leftAt: r.left_at,
    }),
  );

/**
 * Contacts: people at accounts; role "decision maker" is read as decision_maker. left_at (or status
 * "left" with left_at) marks someone who left the customer company.
 */
export const contactKind: KindDefinition<Contact> = {
  kind: "contacts",
  columns: [
    "contact_id",
    "account_id",
    "name",
    "email",
    "role",
    "title",
    "last_touch_at",
    "left_at",
    "status",
  ],
  aliases: {
    id: "contact_id",
    customer_id: "account_id",
    customer: "account_id",
    account: "account_id",
    full_name: "name",
    email_address: "email",
    job_title: "title",
    last_touch: "last_touch_at",
    last_contacted_at: "last_touch_at",
    left_date: "left_at",
    left_on: "left_at",
    left_company_at: "left_at",
    departed_at: "left_at",
    departure_date: "left_at",
    contact_status: "status",
    employment_status: "status",
  },
  extraColumns: "ignore",
  schema: row,
  keyOf: (c) => c.id,
  keyColumn: "contact_id",
  accountIdOf: (c) => c.accountId,
  write: (tx, ws, rows, onProgress) => tx.contacts.upsertMany(ws, rows, { onProgress }),
};
