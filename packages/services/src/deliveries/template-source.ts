import { TenureError } from "@tenure/core";
import type { Storage } from "@tenure/storage";
import { accountOverview } from "../accounts/account-overview";
import type { TemplateSource } from "./template-variables";

/** Resolves an account's owner (a team member id or name) to a name and email, when members exist. */
export type OwnerLookup = (
  ws: string,
  owner: string,
) => Promise<{ name: string; email: string | null } | null>;

/** What reading template variables needs besides the storage. */
export interface TemplateSourceDeps {
  storage: Storage;
  reportingCurrency: string;
  /** Today's date (YYYY-MM-DD): the day ARR and the renewal date are read at. */
  today: () => string;
}

/**
 * The variables' values for an account (as its page shows it: ARR, renewal, health) and a contact of
 * it (or none). Throws not_found naming the account or contact.
 */
export async function loadTemplateSource(
  deps: TemplateSourceDeps,
  ws: string,
  accountId: string,
  contactId?: string,
): Promise<TemplateSource> {
  const overview = await accountOverview(deps.storage, ws, accountId, {
    asOf: deps.today(),
    reportingCurrency: deps.reportingCurrency,
  });
  let contact: TemplateSource["contact"] = null;
  if (contactId !== undefined) {
    contact = overview.contacts.find((c) => c.id === contactId) ?? null;
    if (contact === null) {
      throw new TenureError("not_found", `No contact "${contactId}" at account "${accountId}"`, {
        field: "contactId",
      });
    }
  }
  // The owner is a team member when the workspace has a team: their name and email; else free text.
  const [ownership] = await deps.storage.team.ownership(ws, [accountId]);
  const member = ownership?.ownerId == null ? null : await deps.storage.team.getMember(ws, ownership.ownerId);
  const workspace = await deps.storage.workspaces.get(ws);
  return {
    account: overview.account,
    arr: overview.arr,
    mrr: overview.mrr,
    renewalDate: overview.renewalDate,
    healthScore: overview.health?.score ?? null,
    healthBand: overview.health?.band ?? null,
    reportingCurrency: deps.reportingCurrency,
    owner: member === null ? null : { name: member.name, email: member.email },
    contact,
    workspaceName: workspace?.name ?? ws,
  };
}
