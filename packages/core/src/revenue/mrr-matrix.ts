import { TenureError } from "../errors";
import { assertIsoDate, assertMonth, monthFromIndex, monthIndex } from "../month";
import type { ExchangeRate, IsoDate, Month, Subscription } from "../types";
import { createRateLookup } from "./exchange-rates";
import { monthlyMrrOfSubscription, validateSubscription } from "./subscription-mrr";

/**
 * Account MRR by month, the base of every revenue report.
 *
 * - A row (one service period) is active on day d when startDate <= d and (endDate null or d < endDate);
 *   endDate is exclusive.
 * - The snapshot date of month M is its last day, or `asOf` when asOf falls inside M. Account MRR in M
 *   is the sum of its rows active at that date, in the reporting currency. This matches dbt's
 *   mrr-playbook (rows starting and ending on the 1st) and puts a mid-month churn in the month the
 *   subscription stops covering.
 * - Each row is converted at the rate in force on its startDate (see exchange-rates.ts).
 * - Months run from the first row's start month through `to`; by default through the month of
 *   `asOf` while any row is open-ended or ends after it, else (and without asOf) through the month of
 *   the last start or end date, so a history that ended years ago is not padded with empty months.
 *
 * Storage is one Float64Array, account-major: values[a * months.length + m]. Values are never negative.
 */

/** Account × month MRR in the reporting currency. */
export interface MrrMatrix {
  currency: string;
  months: Month[];
  accountIds: string[];
  /** values[a * months.length + m] = MRR of accountIds[a] in months[m]. */
  values: Float64Array;
}

export interface BuildMrrOptions {
  reportingCurrency: string;
  asOf?: IsoDate;
  to?: Month;
  accountIds?: ReadonlySet<string>;
}

/** Values below this are float dust, treated as zero everywhere in the engine. */
export const MRR_EPSILON = 1e-9;

/** Builds the account × month MRR matrix from subscription rows (see the file comment for the rules). */
export function buildMrrMatrix(
  subs: readonly Subscription[],
  rates: readonly ExchangeRate[],
  opts: BuildMrrOptions,
): MrrMatrix {
  const currency = opts.reportingCurrency.toUpperCase();
  const asOf = opts.asOf === undefined ? null : assertIsoDate(opts.asOf, "asOf");
  const asOfIdx = asOf === null ? -1 : monthIndex(asOf);
  const rateOf = createRateLookup(rates, currency);
  const filter = opts.accountIds;

  // One pass over the rows into typed arrays: account index, first/last active month, MRR.
  // Each row object is read once here: at a million accounts the rows are scattered over a heap of
  // gigabytes, so every further pass over them would cost a cache miss per row.
  const count = subs.length;
  const rowAccount = new Int32Array(count);
  const rowFrom = new Int32Array(count);
  const rowTo = new Int32Array(count);
  const rowMrr = new Float64Array(count);
  const index = new AccountIndex();
  // Rows usually come in runs of one account: the previous row's id is checked before the table.
  let lastId: string | undefined;
  let lastAccount = -1;
  let firstIdx = Number.POSITIVE_INFINITY;
  let lastIdx = Number.NEGATIVE_INFINITY;
  let anyOpen = false;
  let n = 0;
  for (let r = 0; r < count; r++) {
    const sub = subs[r]!;
    const id = sub.accountId;
    if (filter && !filter.has(id)) continue;
    validateSubscription(sub);
    if (id !== lastId) {
      lastAccount = index.intern(id);
      lastId = id;
    }
    const a = lastAccount;
    const start = sub.startDate;
    const end = sub.endDate;
    const s = monthIndex(start);
    const e = end === null ? -1 : monthIndex(end);
    if (s < firstIdx) firstIdx = s;
    if (s > lastIdx) lastIdx = s;
    if (e > lastIdx) lastIdx = e;
    if (e === -1) anyOpen = true;
    const own = monthlyMrrOfSubscription(sub);
    if (own === 0) continue;
    // First month whose snapshot date is on or after the start.
    rowFrom[n] = s === asOfIdx && asOf! < start ? s + 1 : s;
    // Last month whose snapshot date is before the (exclusive) end.
    rowTo[n] = end === null ? 2147483647 : e === asOfIdx && asOf! < end ? e : e - 1;
    rowMrr[n] = own * rateOf(sub.currency, start);
    rowAccount[n] = a;
    n++;
  }
  if (opts.to !== undefined) lastIdx = monthIndex(assertMonth(opts.to, "to"));
  // With asOf: run to asOf while anything is still (or yet to be) running, else stop at the last change.
  else if (asOf !== null) lastIdx = anyOpen || n === 0 || lastIdx > asOfIdx ? asOfIdx : lastIdx;
  const accounts = index.size;
  if (accounts === 0) firstIdx = lastIdx;

  const nMonths = Number.isFinite(firstIdx) && lastIdx >= firstIdx ? lastIdx - firstIdx + 1 : 0;
  const months: Month[] = new Array(nMonths);
  for (let i = 0; i < nMonths; i++) months[i] = monthFromIndex(firstIdx + i);

  // Sorted account ids make every report independent of the input row order.
  const { sortedIds, position } = sortAccountIds(index.keys);

  const values = new Float64Array(accounts * nMonths);
  if (nMonths > 0) {
    // Each account's span of touched cells, so only those are cleaned of float dust below.
    const spanFrom = new Int32Array(accounts).fill(nMonths);
    const spanTo = new Int32Array(accounts).fill(-1);
    for (let r = 0; r < n; r++) {
      const from = Math.max(rowFrom[r]!, firstIdx) - firstIdx;
      const to = Math.min(rowTo[r]!, lastIdx) - firstIdx;
      if (from > to) continue;
      const p = position[rowAccount[r]!]!;
      const mrr = rowMrr[r]!;
      const base = p * nMonths;
      for (let m = from; m <= to; m++) values[base + m]! += mrr;
      if (from < spanFrom[p]!) spanFrom[p] = from;
      if (to > spanTo[p]!) spanTo[p] = to;
    }
    for (let p = 0; p < accounts; p++) {
      const base = p * nMonths;
      const to = base + spanTo[p]!;
      for (let i = base + spanFrom[p]!; i <= to; i++) if (values[i]! < MRR_EPSILON) values[i] = 0;
    }
  }

  return { currency, months, accountIds: sortedIds, values };
}

/** The FNV-1a basis, varied per process: slot positions depend on it, results never do. */
const HASH_BASIS = (0x811c9dc5 ^ Math.floor(Math.random() * 0x7fffffff)) | 0;

/**
 * Account ids in first-seen order with their dense index: an open-addressing table over an Int32Array
 * that keeps each key's hash, so growing never rehashes a string. At a million accounts a Map costs
 * about three times as much (its entries and rehashes miss the cache).
 */
class AccountIndex {
  readonly keys: string[] = [];
  private hashes = new Int32Array(0);
  private slots = new Int32Array(1024).fill(-1);
  private mask = 1023;

  get size(): number {
    return this.keys.length;
  }

  /** The index of `id`, added at the end when new. */
  intern(id: string): number {
    // FNV-1a over UTF-16 code units; the basis varies per process, so colliding ids are harder to prepare.
    let h = HASH_BASIS;
    for (let k = 0; k < id.length; k++) h = Math.imul(h ^ id.charCodeAt(k), 0x01000193);
    const slots = this.slots;
    const mask = this.mask;
    let s = h & mask;
    for (;;) {
      const v = slots[s]!;
      if (v === -1) break;
      if (this.hashes[v] === h && this.keys[v] === id) return v;
      s = (s + 1) & mask;
    }
    const a = this.keys.length;
    this.keys.push(id);
    if (a >= this.hashes.length) {
      const grown = new Int32Array(Math.max(1024, a * 2));
      grown.set(this.hashes);
      this.hashes = grown;
    }
    this.hashes[a] = h;
    slots[s] = a;
    // Load factor at most one half keeps the probes short.
    if ((a + 1) * 2 > mask + 1) this.grow();
    return a;
  }

  private grow(): void {
    const size = (this.mask + 1) * 2;
    const slots = new Int32Array(size).fill(-1);
    const mask = size - 1;
    for (let a = 0; a < this.keys.length; a++) {
      let s = this.hashes[a]! & mask;
      while (slots[s] !== -1) s = (s + 1) & mask;
      slots[s] = a;
    }
    this.slots = slots;
    this.mask = mask;
  }
}

/**
 * The ids in code-unit order (as `Array.prototype.sort` orders strings) and, for each id's first-seen
 * index, its position in that order. Ids that arrive sorted, as they do from the demo, cost one
 * comparison each; others are radix-sorted, linear in their length where a comparison sort of a million
 * ids takes seconds.
 */
function sortAccountIds(ids: readonly string[]): { sortedIds: string[]; position: Int32Array } {
  const count = ids.length;
  const position = new Int32Array(count);
  let sorted = true;
  for (let i = 1; i < count; i++) {
    if (!(ids[i - 1]! < ids[i]!)) {
      sorted = false;
      break;
    }
  }
  if (sorted) {
    for (let i = 0; i < count; i++) position[i] = i;
    return { sortedIds: ids.slice(), position };
  }
  const order =
    radixOrder(ids) ??
    Array.from({ length: count }, (_, i) => i).sort((x, y) =>
      ids[x]! < ids[y]! ? -1 : ids[x]! > ids[y]! ? 1 : 0,
    );
  const sortedIds: string[] = new Array(count);
  for (let p = 0; p < count; p++) {
    sortedIds[p] = ids[order[p]!]!;
    position[order[p]!] = p;
  }
  return { sortedIds, position };
}

/** Longer ids make too many radix passes; they fall back to a comparison sort. */
const MAX_RADIX_LENGTH = 64;

/**
 * Code-unit order of `ids` (that of `<`) as a permutation of their indices: an LSD radix sort whose
 * digits are runs of characters, ranked densely over the code units present, with rank 0 past the end
 * of an id so that a prefix sorts first. Null when an id is longer than MAX_RADIX_LENGTH.
 */
function radixOrder(ids: readonly string[]): Int32Array | null {
  const count = ids.length;
  let maxLength = 0;
  for (let i = 0; i < count; i++) maxLength = Math.max(maxLength, ids[i]!.length);
  if (maxLength > MAX_RADIX_LENGTH) return null;
  const rank = new Uint16Array(65536);
  for (let i = 0; i < count; i++) {
    const id = ids[i]!;
    for (let k = 0; k < id.length; k++) rank[id.charCodeAt(k)] = 1;
  }
  let base = 1;
  for (let c = 0; c < 65536; c++) if (rank[c] !== 0) rank[c] = base++;
  // As many characters per digit as keep the buckets at most 65,536.
  let perDigit = 1;
  while (base ** (perDigit + 1) <= 65536) perDigit++;
  const digits = Math.max(1, Math.ceil(maxLength / perDigit));
  // Keys digit-major, computed in one read of each id: keys[d * count + i] = digit d of ids[i].
  const keys = new Int32Array(digits * count);
  for (let i = 0; i < count; i++) {
    const id = ids[i]!;
    for (let d = 0; d < digits; d++) {
      let v = 0;
      for (let k = d * perDigit; k < (d + 1) * perDigit; k++)
        v = v * base + (k < id.length ? rank[id.charCodeAt(k)]! : 0);
      keys[d * count + i] = v;
    }
  }
  let order = new Int32Array(count);
  for (let i = 0; i < count; i++) order[i] = i;
  let next = new Int32Array(count);
  const buckets = new Int32Array(base ** perDigit + 1);
  for (let d = digits - 1; d >= 0; d--) {
    const offset = d * count;
    buckets.fill(0);
    for (let j = 0; j < count; j++) buckets[keys[offset + order[j]!]! + 1]!++;
    for (let b = 1; b < buckets.length; b++) buckets[b]! += buckets[b - 1]!;
    for (let j = 0; j < count; j++) next[buckets[keys[offset + order[j]!]!]!++] = order[j]!;
    [order, next] = [next, order];
  }
  return order;
}

/** Inclusive range of matrix month positions; empty when start > end. */
export interface MonthSpan {
  start: number;
  end: number;
}

/** Resolves an optional { from, to } window to matrix positions, clipped to the matrix months. */
export function resolveWindow(m: MrrMatrix, window?: { from?: Month; to?: Month }): MonthSpan {
  const n = m.months.length;
  if (n === 0) return { start: 0, end: -1 };
  const first = monthIndex(m.months[0]!);
  let start = 0;
  let end = n - 1;
  if (window?.from !== undefined)
    start = Math.max(start, monthIndex(assertMonth(window.from, "from")) - first);
  if (window?.to !== undefined) end = Math.min(end, monthIndex(assertMonth(window.to, "to")) - first);
  if (window?.from !== undefined && window.to !== undefined && window.from > window.to) {
    throw new TenureError("validation", `Window "from" (${window.from}) is after "to" (${window.to})`);
  }
  return { start, end };
}

/** Position of each account's first paying month (MRR > 0), or −1 when it never paid. */
export function firstPaidMonths(m: MrrMatrix): Int32Array {
  const n = m.months.length;
  const out = new Int32Array(m.accountIds.length).fill(-1);
  for (let a = 0; a < m.accountIds.length; a++) {
    const base = a * n;
    for (let i = 0; i < n; i++) {
      if (m.values[base + i]! > 0) {
        out[a] = i;
        break;
      }
    }
  }
  return out;
}

/** One account's MRR by month (all matrix months); empty when the account is not in the matrix. */
export function accountMrrHistory(m: MrrMatrix, accountId: string): { month: Month; mrr: number }[] {
  const a = m.accountIds.indexOf(accountId);
  if (a < 0) return [];
  const n = m.months.length;
  return m.months.map((month, i) => ({ month, mrr: m.values[a * n + i]! }));
}

/** Total MRR of each matrix month. */
export function totalMrrByMonth(m: MrrMatrix): Float64Array {
  const n = m.months.length;
  const out = new Float64Array(n);
  for (let a = 0; a < m.accountIds.length; a++) {
    const base = a * n;
    for (let i = 0; i < n; i++) out[i]! += m.values[base + i]!;
  }
  return out;
}

/**
 * An account's MRR in the month of `day` (rounded to cents), 0 outside the matrix or for an account
 * it does not hold. `row` is the account's index in `matrix.accountIds` (pass it when reading many).
 */
export function mrrOnDay(matrix: MrrMatrix, accountId: string, day: IsoDate, row?: number): number {
  const a = row ?? matrix.accountIds.indexOf(accountId);
  const first = matrix.months[0];
  if (first === undefined || a < 0) return 0;
  const n = matrix.months.length;
  const col = monthIndex(day.slice(0, 7)) - monthIndex(first);
  if (col < 0 || col >= n) return 0;
  return Math.round((matrix.values[a * n + col] ?? 0) * 100) / 100;
}
