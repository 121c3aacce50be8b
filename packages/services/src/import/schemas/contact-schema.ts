import { CONTACT_ROLES, type Contact } from "@tenure/core";
import { z } from "zod";
import { cellText, field, oneOf, optionalDate, optionalText, requiredText } from "../fields";
import type { KindDefinition } from "../kind-definition";

const emailFormat = z.email();

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
    }),
  );

/** Contacts: people at accounts; role "decision maker" is read as decision_maker. */
export const contactKind: KindDefinition<Contact> = {
  kind: "contacts",
  columns: ["contact_id", "account_id", "name", "email", "role", "title", "last_touch_at"],
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
  },
  extraColumns: "ignore",
  schema: row,
  keyOf: (c) => c.id,
  keyColumn: "contact_id",
  accountIdOf: (c) => c.accountId,
  write: (tx, ws, rows, onProgress) => tx.contacts.upsertMany(ws, rows, { onProgress }),
};
