import type { Band } from "../../api/account-types";
import { parseBook } from "../../auth/book-chips";
import type { BookScope } from "../../auth/permissions";

export const SORT_KEYS = ["name", "score", "arr", "renewalDate", "openSignals", "churnProbability"] as const;
export type SortKey = (typeof SORT_KEYS)[number];
export type SortOrder = "asc" | "desc";

export const BANDS: readonly Band[] = ["red", "yellow", "green", "none"];
export const SIGNAL_FILTERS = ["any", "risk", "opportunity", "none"] as const;
export type SignalFilter = (typeof SIGNAL_FILTERS)[number];
export const RENEWAL_WINDOWS = ["30", "60", "90", "180", "365"] as const;

/** Accounts list URL state; absent = no filter / server default sort (ARR, descending). */
export interface AccountsSearch {
  q?: string;
  owner?: string;
  stage?: string;
  band?: Band;
  tier?: string;
  /** "attribute=value" */
  segment?: string;
  /** Renewal within this many days (client-side). */
  renewal?: string;
  /** Open-signal filter (client-side). */
  signals?: SignalFilter;
  sort?: SortKey;
  order?: SortOrder;
  /** The saved view the filters came from. */
  view?: string;
  /** Whose accounts: the user's own book, their teams' or all (absent: the role's default). */
  book?: BookScope;
}

const text = (value: unknown): string | undefined =>
  typeof value === "string" && value.trim() !== "" ? value : undefined;

function oneOf<T extends string>(list: readonly T[], value: unknown): T | undefined {
  return list.find((item) => item === value);
}

/** Keeps only well-formed params so a hand-edited URL cannot break the page. */
export function parseAccountsSearch(raw: Record<string, unknown>): AccountsSearch {
  const search: AccountsSearch = {};
  const q = text(raw.q);
  if (q) search.q = q;
  const owner = text(raw.owner);
  if (owner) search.owner = owner;
  const stage = text(raw.stage);
  if (stage) search.stage = stage;
  const tier = text(raw.tier);
  if (tier) search.tier = tier;
  const band = oneOf(BANDS, raw.band);
  if (band) search.band = band;
  if (typeof raw.segment === "string" && /^[^=]+=.+$/.test(raw.segment)) search.segment = raw.segment;
  const renewal = oneOf(RENEWAL_WINDOWS, String(raw.renewal ?? ""));
  if (renewal) search.renewal = renewal;
  const signals = oneOf(SIGNAL_FILTERS, raw.signals);
  if (signals) search.signals = signals;
  const sort = oneOf(SORT_KEYS, raw.sort);
  if (sort) search.sort = sort;
  const order = oneOf(["asc", "desc"] as const, raw.order);
  if (order) search.order = order;
  const view = text(raw.view);
  if (view) search.view = view;
  const book = parseBook(raw.book);
  if (book) search.book = book;
  return search;
}

/** The filter part of the search (what a saved view stores). */
export function filtersOf(search: AccountsSearch): Record<string, string> {
  const filters: Record<string, string> = {};
  for (const key of ["q", "owner", "stage", "band", "tier", "segment", "renewal", "signals"] as const) {
    const value = search[key];
    if (value) filters[key] = value;
  }
  return filters;
}

/** Milliseconds in a day. */
const DAY = 86_400_000;

/** True when a row passes the client-side filters (renewal window, signals). */
export function matchesClientFilters(
  row: { renewalDate: string | null; openSignals: number; riskSignals: number; opportunitySignals: number },
  search: AccountsSearch,
  now: number,
): boolean {
  if (search.renewal) {
    if (!row.renewalDate) return false;
    const at = Date.parse(row.renewalDate);
    if (!(at >= now - DAY && at <= now + Number(search.renewal) * DAY)) return false;
  }
  switch (search.signals) {
    case "any":
      return row.openSignals > 0;
    case "risk":
      return row.riskSignals > 0;
    case "opportunity":
      return row.opportunitySignals > 0;
    case "none":
      return row.openSignals === 0;
    default:
      return true;
  }
}
