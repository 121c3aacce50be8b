import { isMonth } from "../../lib/months";

/** Revenue dashboard URL state. Absent values mean "server default" (last 12 months, all accounts). */
export interface RevenueSearch {
  from?: string;
  to?: string;
  /** "attribute=value" */
  segment?: string;
}

/** Keeps only well-formed search params so a hand-edited URL cannot break the page. */
export function parseRevenueSearch(raw: Record<string, unknown>): RevenueSearch {
  const search: RevenueSearch = {};
  if (isMonth(raw.from)) search.from = raw.from;
  if (isMonth(raw.to)) search.to = raw.to;
  if (typeof raw.segment === "string" && /^[^=]+=.+$/.test(raw.segment)) search.segment = raw.segment;
  return search;
}

/** Splits "attr=value" at the first "=". */
export function splitSegment(segment: string | undefined): { attribute: string; value: string } | null {
  if (!segment) return null;
  const at = segment.indexOf("=");
  if (at <= 0) return null;
  return { attribute: segment.slice(0, at), value: segment.slice(at + 1) };
}
