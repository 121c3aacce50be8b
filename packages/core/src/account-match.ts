import type { Account, SegmentFilter } from "./types";

/**
 * Segment matching on a single account (no subscriptions), case-insensitive. Revenue segments
 * (`accountIdsInSegment`) use it for every account attribute; `plan` and `product` need subscription
 * data, so health profiles and segment comparisons cannot use those.
 */

/** Attributes usable in a profile's `appliesTo` and in `compareSegments` (besides `custom.<key>`). */
export const ACCOUNT_ATTRIBUTES = [
  "tier",
  "segment",
  "industry",
  "region",
  "owner",
  "channel",
  "lifecycleStage",
  "tag",
] as const;

type AccountField = "tier" | "segment" | "industry" | "region" | "owner" | "channel" | "lifecycleStage";
const FIELDS = new Set<string>([
  "tier",
  "segment",
  "industry",
  "region",
  "owner",
  "channel",
  "lifecycleStage",
]);

/** True when `attribute` can be read from an Account alone. */
export function isAccountAttribute(attribute: string): boolean {
  return (
    (ACCOUNT_ATTRIBUTES as readonly string[]).includes(attribute) ||
    (attribute.startsWith("custom.") && attribute.length > "custom.".length)
  );
}

function customValue(account: Account, key: string): string | null {
  let v = account.customFields[key];
  if (v === undefined) {
    const lower = key.toLowerCase();
    const found = Object.keys(account.customFields).find((k) => k.toLowerCase() === lower);
    v = found === undefined ? undefined : account.customFields[found];
  }
  return v === undefined || v === null ? null : String(v);
}

/** The account's values for an attribute (several for `tag`, none when unset). */
export function accountAttributeValues(account: Account, attribute: string): string[] {
  if (attribute === "tag") return account.tags;
  if (attribute.startsWith("custom.")) {
    const v = customValue(account, attribute.slice("custom.".length));
    return v === null ? [] : [v];
  }
  if (FIELDS.has(attribute)) {
    const v = account[attribute as AccountField];
    return v === null ? [] : [v];
  }
  return [];
}

/** Builds a fast predicate for one filter; values compare case-insensitively. */
export function accountMatcher(filter: SegmentFilter): (account: Account) => boolean {
  const { attribute } = filter;
  const want = filter.value.trim().toLowerCase();
  if (attribute === "tag") return (a) => a.tags.some((t) => t.toLowerCase() === want);
  if (attribute.startsWith("custom.")) {
    const key = attribute.slice("custom.".length);
    return (a) => customValue(a, key)?.toLowerCase() === want;
  }
  if (FIELDS.has(attribute)) {
    const field = attribute as AccountField;
    return (a) => {
      const v = a[field];
      return v !== null && v.toLowerCase() === want;
    };
  }
  return () => false;
}

/** True when the account matches every filter (an empty list matches every account). */
export function accountMatchesAll(account: Account, filters: readonly SegmentFilter[]): boolean {
  return filters.every((f) => accountMatcher(f)(account));
}
