import { type Contact, type Principal, TenureError } from "@tenure/core";
import type { Storage } from "@tenure/storage";
import { guardAccountEdit } from "../access/book-scope";
import { isCalendarDate } from "../import/fields";
import { requireAccount } from "./account-overview";

/**
 * Records that a contact of the account left the customer company on `leftAt` (YYYY-MM-DD), or
 * clears it with null. The next health recompute raises champion_left for a champion.
 */
export async function setContactLeft(
  storage: Storage,
  ws: string,
  accountId: string,
  contactId: string,
  leftAt: string | null,
  /** Who asks (book scoping); omitted = the operator's own process. */
  principal?: Principal,
): Promise<Contact> {
  await requireAccount(storage, ws, accountId);
  await guardAccountEdit(storage, ws, principal, accountId);
  if (leftAt !== null && !isCalendarDate(leftAt))
    throw new TenureError("validation", `leftAt must be a date as YYYY-MM-DD, got "${leftAt}"`);
  const contact = await storage.contacts.get(ws, contactId);
  if (contact === null || contact.accountId !== accountId)
    throw new TenureError("not_found", `No contact with id "${contactId}" at account "${accountId}"`);
  await storage.contacts.setLeftAt(ws, contactId, leftAt);
  return { ...contact, leftAt };
}
