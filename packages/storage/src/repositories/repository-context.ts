import { randomUUID } from "node:crypto";
import { type CompiledQuery, type Kysely, type RawBuilder, sql } from "kysely";
import type { ArrayReader, DialectAdapter, PreparedWriter } from "../dialects/dialect-adapter";
import type { Database } from "../schema";

/** What every repository is built from: a Kysely handle (maybe a transaction) and the dialect adapter. */
export interface RepositoryContext {
  db: Kysely<Database>;
  adapter: DialectAdapter;
  /** Fast read path for large reads (see ArrayReader); not transactional. */
  readArrays: ArrayReader;
  /** Synchronous prepared statements (SQLite only); use only inside a transaction, see PreparedWriter. */
  writer?: PreparedWriter;
}

/**
 * Rows of a large read as arrays in select order (no per-row objects) through the array reader;
 * inside a transaction that reader would not see uncommitted rows, so there the normal path is used.
 */
export async function readRows(ctx: RepositoryContext, query: CompiledQuery): Promise<unknown[][]> {
  if (!ctx.db.isTransaction) return ctx.readArrays(query.sql, query.parameters);
  const res = await ctx.db.executeQuery<Record<string, unknown>>(query);
  return res.rows.map((r) => Object.values(r));
}

/** The prepared-statement writer when `ctx` is a transaction on a dialect that has one, else null. */
export function transactionWriter(ctx: RepositoryContext): PreparedWriter | null {
  return ctx.db.isTransaction && ctx.writer !== undefined ? ctx.writer : null;
}

/** Counts returned by every `upsertMany`. */
export interface UpsertResult {
  inserted: number;
  updated: number;
  unchanged: number;
}

/** Options accepted by every `upsertMany`. */
export interface UpsertOptions {
  /** Called after each written chunk with rows written so far and rows to write. */
  onProgress?: (done: number, total: number) => void;
}

/** Runs `fn` in the current transaction, or opens one so that a multi-statement write is atomic. */
export function atomically<T>(
  ctx: Pick<RepositoryContext, "db">,
  fn: (db: Kysely<Database>) => Promise<T>,
): Promise<T> {
  return ctx.db.isTransaction ? fn(ctx.db) : ctx.db.transaction().execute(fn);
}

/** Huge statements cost more to prepare than they save in round trips. */
const MAX_ROWS_PER_STATEMENT = 1_000;

/** Splits `rows` into chunks small enough to stay under the dialect's parameter limit. */
export function chunksFor<T>(adapter: DialectAdapter, rows: readonly T[], columnsPerRow: number): T[][] {
  const size = Math.max(
    1,
    Math.min(MAX_ROWS_PER_STATEMENT, Math.floor(adapter.maxParameters / columnsPerRow)),
  );
  const chunks: T[][] = [];
  for (let i = 0; i < rows.length; i += size) chunks.push(rows.slice(i, i + size));
  return chunks;
}

/** `SET col = excluded.col` for an upsert's conflict clause. */
export function excluded<C extends string>(columns: readonly C[]): Record<C, RawBuilder<never>> {
  const set = {} as Record<C, RawBuilder<never>>;
  for (const column of columns) set[column] = sql.ref(`excluded.${column}`) as RawBuilder<never>;
  return set;
}

/** JSON with sorted object keys, so that `{a,b}` and `{b,a}` compare equal. */
export function stableStringify(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== "object" || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) sorted[k] = (v as Record<string, unknown>)[k];
    return sorted;
  });
}

/** The outcome of comparing incoming records with the stored ones. */
export interface Diff<T> {
  inserted: T[];
  updated: Array<{ next: T; previous: T }>;
  unchanged: number;
}

/** Field-by-field equality of two flat records; object fields (JSON columns) compare by content. */
export function sameRecord<T extends object>(a: T, b: T): boolean {
  const left = a as Record<string, unknown>;
  const right = b as Record<string, unknown>;
  for (const key of Object.keys(left)) {
    const x = left[key];
    const y = right[key];
    if (x === y) continue;
    if (typeof x !== "object" || typeof y !== "object" || x === null || y === null) return false;
    if (stableStringify(x) !== stableStringify(y)) return false;
  }
  return true;
}

/**
 * Compares incoming records (already normalised through the row codec) with existing ones by key.
 * A key repeated in `incoming` keeps its last record, as a sequence of single upserts would.
 */
export function diffByKey<T extends object>(
  incoming: readonly T[],
  existing: ReadonlyMap<string, T>,
  keyOf: (t: T) => string,
): Diff<T> {
  const last = new Map<string, T>();
  for (const row of incoming) last.set(keyOf(row), row);
  const diff: Diff<T> = { inserted: [], updated: [], unchanged: incoming.length - last.size };
  for (const [key, next] of last) {
    const previous = existing.get(key);
    if (previous === undefined) diff.inserted.push(next);
    else if (sameRecord(previous, next)) diff.unchanged++;
    else diff.updated.push({ next, previous });
  }
  return diff;
}

/** Above this many ids, reading the whole workspace is cheaper than many `IN (...)` queries. */
const WHOLE_WORKSPACE_THRESHOLD = 5_000;

/**
 * Loads existing records whose single `id` is among `ids`: by parameter-safe `IN` chunks for small
 * batches, or the whole workspace (`load(null)`) for bulk imports.
 */
export async function loadByIds<T>(
  ctx: Pick<RepositoryContext, "db" | "adapter">,
  ids: readonly string[],
  load: (ids: string[] | null) => Promise<T[]>,
): Promise<T[]> {
  const unique = [...new Set(ids)];
  // Extra rows are harmless: callers only look records up by key.
  if (unique.length > WHOLE_WORKSPACE_THRESHOLD) return load(null);
  const out: T[] = [];
  for (const chunk of chunksFor(ctx.adapter, unique, 1)) out.push(...(await load(chunk)));
  return out;
}

/** How a simple `upsertMany` finds, compares and writes its records (see `upsertByDiff`). */
export interface DiffUpsert<T> {
  /** Incoming records, already normalised through the row codec so they compare with stored ones. */
  incoming: readonly T[];
  keyOf: (t: T) => string;
  /** Stored records that may share a key with `incoming` (extra ones are harmless). */
  loadExisting: (db: Kysely<Database>) => Promise<T[]>;
  /** Bound parameters per written row, to size the chunks under the dialect's limit. */
  columnsPerRow: number;
  /** Writes one chunk of new or changed records (an insert ... on conflict do update). */
  writeChunk: (db: Kysely<Database>, chunk: T[]) => Promise<unknown>;
}

/**
 * The load, diff, chunked insert-on-conflict loop behind the simple repositories' `upsertMany`:
 * atomic, writes only new or changed records, reports progress per chunk.
 */
export function upsertByDiff<T extends object>(
  ctx: RepositoryContext,
  spec: DiffUpsert<T>,
  options: UpsertOptions = {},
): Promise<UpsertResult> {
  return atomically(ctx, async (db) => {
    const existing = await spec.loadExisting(db);
    const diff = diffByKey(spec.incoming, new Map(existing.map((t) => [spec.keyOf(t), t])), spec.keyOf);
    const toWrite = [...diff.inserted, ...diff.updated.map((u) => u.next)];
    let done = 0;
    for (const chunk of chunksFor(ctx.adapter, toWrite, spec.columnsPerRow)) {
      await spec.writeChunk(db, chunk);
      done += chunk.length;
      options.onProgress?.(done, toWrite.length);
    }
    return { inserted: diff.inserted.length, updated: diff.updated.length, unchanged: diff.unchanged };
  });
}

let lastMs = 0;
let sequence = 0;

/**
 * An id that sorts after every id this process made before it (time, then a counter), so rows written
 * in the same millisecond keep their order; the random tail keeps ids from different processes apart.
 */
export function monotonicId(): string {
  const ms = Date.now();
  if (ms > lastMs) {
    lastMs = ms;
    sequence = 0;
  } else sequence++;
  return `${lastMs.toString(36).padStart(9, "0")}${sequence.toString(36).padStart(5, "0")}-${randomUUID()}`;
}

/** Current time as an ISO timestamp. */
export function nowIso(): string {
  return new Date().toISOString();
}

/** Orders rows by `id` the way the databases' binary/C collations do, for small lists sorted in memory. */
export const byId = (a: { id: string }, b: { id: string }): number =>
  a.id < b.id ? -1 : a.id > b.id ? 1 : 0;
