import type { Account, Subscription } from "../types";

/** Test-only builders (not exported from the package). */

let seq = 0;

/** A monthly, USD, quantity-1 subscription row, overridable field by field. */
export function sub(
  partial: Partial<Subscription> & Pick<Subscription, "accountId" | "startDate">,
): Subscription {
  seq++;
  return {
    id: `s${seq}`,
    plan: "basic",
    endDate: null,
    amount: 100,
    currency: "USD",
    interval: "month",
    quantity: 1,
    discountPct: 0,
    trial: false,
    ...partial,
  };
}

/** An account with every optional attribute null. */
export function account(partial: Partial<Account> & Pick<Account, "id">): Account {
  return {
    name: partial.id,
    crmId: null,
    billingId: null,
    tier: null,
    segment: null,
    industry: null,
    region: null,
    owner: null,
    lifecycleStage: null,
    channel: null,
    utmSource: null,
    utmMedium: null,
    utmCampaign: null,
    tags: [],
    customFields: {},
    ...partial,
  };
}
