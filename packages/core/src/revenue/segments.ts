import { accountMatcher } from "../account-match";
import { TenureError } from "../errors";
import type { Account, Plan, SegmentFilter, Subscription } from "../types";
import { productOfPlan } from "./bundles";

/**
 * Segments: `attribute=value` cuts of the account list (`--segment tier=enterprise`). Values match
 * case-insensitively. `tag` matches any of the account's tags; `plan` any subscription row with that plan
 * (by plan id or plan name); `product` any row whose plan belongs to that product; `custom.<key>` the
 * account's custom field.
 */

/** Account attributes a segment can use directly (besides `custom.<key>`). */
export const SEGMENT_ATTRIBUTES = [
  "tier",
  "segment",
  "industry",
  "region",
  "owner",
  "channel",
  "lifecycleStage",
  "plan",
  "product",
  "tag",
] as const;

function invalidAttribute(attribute: string): TenureError {
  return new TenureError(
    "validation",
    `Unknown segment attribute "${attribute}". Valid attributes: ${SEGMENT_ATTRIBUTES.join(", ")}, custom.<key>`,
    { attribute, valid: [...SEGMENT_ATTRIBUTES, "custom.<key>"] },
  );
}

/** True when `attribute` is a valid segment attribute. */
export function isSegmentAttribute(attribute: string): boolean {
  return (
    (SEGMENT_ATTRIBUTES as readonly string[]).includes(attribute) ||
    (attribute.startsWith("custom.") && attribute.length > "custom.".length)
  );
}

/** Parses "attribute=value" (e.g. "tier=enterprise"); throws TenureError("validation") when malformed. */
export function parseSegment(text: string): SegmentFilter {
  const eq = text.indexOf("=");
  if (eq < 0) {
    throw new TenureError(
      "validation",
      `Invalid segment "${text}": expected attribute=value, e.g. tier=enterprise`,
    );
  }
  const attribute = text.slice(0, eq).trim();
  const value = text.slice(eq + 1).trim();
  if (!isSegmentAttribute(attribute)) throw invalidAttribute(attribute);
  if (value === "") throw new TenureError("validation", `Invalid segment "${text}": the value is empty`);
  return { attribute, value };
}

/** Ids of the accounts matching a segment filter; throws TenureError("validation") for an unknown attribute. */
export function accountIdsInSegment(
  accounts: readonly Account[],
  subs: readonly Subscription[],
  plans: readonly Plan[],
  filter: SegmentFilter,
): Set<string> {
  const { attribute } = filter;
  if (!isSegmentAttribute(attribute)) throw invalidAttribute(attribute);
  const want = filter.value.trim().toLowerCase();
  const out = new Set<string>();

  if (attribute === "plan" || attribute === "product") {
    const plansById = new Map(plans.map((p) => [p.id, p]));
    const known = new Set(accounts.map((a) => a.id));
    for (const sub of subs) {
      if (!known.has(sub.accountId) || out.has(sub.accountId)) continue;
      const plan = plansById.get(sub.plan);
      const hit =
        attribute === "plan"
          ? sub.plan.toLowerCase() === want || plan?.name.toLowerCase() === want
          : productOfPlan(sub.plan, plansById).toLowerCase() === want;
      if (hit) out.add(sub.accountId);
    }
    return out;
  }

  const matches = accountMatcher(filter);
  for (const account of accounts) if (matches(account)) out.add(account.id);
  return out;
}
