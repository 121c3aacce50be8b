import { teamKind } from "../team/team-import";
import type { KindDefinition } from "./kind-definition";
import { accountKind } from "./schemas/account-schema";
import { contactKind } from "./schemas/contact-schema";
import { entitlementKind } from "./schemas/entitlement-schema";
import { exchangeRateKind } from "./schemas/exchange-rate-schema";
import { planKind } from "./schemas/plan-schema";
import { productKind } from "./schemas/product-schema";
import { spendKind } from "./schemas/spend-schema";
import { subscriptionKind } from "./schemas/subscription-schema";
import type { ImportKind } from "./types";

/** Calls `use` with the definition of `kind`, keeping each kind's row type intact. */
export function withKind<R>(kind: ImportKind, use: <T>(def: KindDefinition<T>) => R): R {
  switch (kind) {
    case "accounts":
      return use(accountKind);
    case "contacts":
      return use(contactKind);
    case "products":
      return use(productKind);
    case "plans":
      return use(planKind);
    case "subscriptions":
      return use(subscriptionKind);
    case "spend":
      return use(spendKind);
    case "exchange-rates":
      return use(exchangeRateKind);
    case "entitlements":
      return use(entitlementKind);
    case "team":
      return use(teamKind);
  }
}

/** Canonical columns and aliases of a kind, e.g. for help text. */
export function importColumns(kind: ImportKind): {
  columns: readonly string[];
  aliases: Record<string, string>;
} {
  return withKind(kind, (def) => ({ columns: def.columns, aliases: { ...def.aliases } }));
}
