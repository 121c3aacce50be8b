import type { Kysely } from "kysely";
import type { PreparedWriter } from "../dialects/dialect-adapter";
import type { PreparedWrites } from "../dialects/row-writes";
import type { Database, UsageEventTable } from "../schema";
import { atomically, chunksFor, type RepositoryContext } from "./repository-context";
import { decodeEventBlock, encodeEventBlock } from "./usage-event-block";
import type { EncodedEventBlock } from "./usage-event-block-builder";
import { HASH_WORDS, HashSet96, hashesFromBytes, hashesToBytes, hashMessageId } from "./usage-id-index";

/** Segment call types we accept; only track, page and screen are usage. */
export type TrackingCallType = "track" | "page" | "screen" | "identify" | "group" | "alias";

/** One stored tracking call, keyed by (workspace, messageId). */
export interface UsageEvent {
  messageId: string;
  type: TrackingCallType;
  /** The usage event name (track: `event`, page: "page", screen: "screen"); null for other calls. */
  event: string | null;
  /** `userId`, or `anon:<anonymousId>` when there is no userId. */
  userKey: string;
  userId: string | null;
  anonymousId: string | null;
  /** ISO timestamp of the call. */
  timestamp: string;
  /** UTC day of `timestamp` (YYYY-MM-DD): the rollup bucket. */
  day: string;
  properties: Record<string, unknown>;
  receivedAt: string;
}

export interface UsageEventRepository {
  /**
   * Inserts the events whose messageId the workspace has not seen; returns exactly those (a messageId
   * repeated inside `rows` is returned once, first occurrence), so callers roll up only new events.
   * The returned events are the objects passed in, not copies.
   */
  insertNew(workspaceId: string, rows: readonly UsageEvent[]): Promise<UsageEvent[]>;
  /**
   * `insertNew` for a writer that adds the rollup counts later (the tracking API's group commit): the
   * block is also listed in usage_rollup_pending, in the same transaction. Returns the new events and
   * their block (null when none was new).
   */
  insertNewDeferred(
    workspaceId: string,
    rows: readonly UsageEvent[],
  ): Promise<{ fresh: UsageEvent[]; blockId: number | null }>;
  /**
   * `insertNew` for calls already encoded as one block (bulk import, see `EventBlockBuilder`): stores
   * the calls whose messageId is new (a messageId repeated inside the block counts once, first
   * occurrence). Returns one flag per call, 1 for the new ones.
   */
  insertEncoded(workspaceId: string, block: StoredBlock): Promise<Uint8Array>;
  /** The events of the given blocks, by block (ids not found are absent). */
  blockEvents(blockIds: readonly number[]): Promise<Map<number, UsageEvent[]>>;
  list(workspaceId: string): Promise<UsageEvent[]>;
  count(workspaceId: string): Promise<number>;
}

/** What `insertEncoded` needs of an encoded block. */
export type StoredBlock = Pick<EncodedEventBlock, "count" | "payload" | "hashes"> & {
  /**
   * Per call, 1 when no earlier call of the transaction has its messageId, 0 when one has: the caller
   * vouches for every call it writes in the transaction (a bulk import's single parser finds them,
   * on its own thread). Without it the transaction's own id set decides.
   */
  firstInTransaction?: Uint8Array;
};

/** Tables of migrations 0004 and 0101 (the event log), typed here because only this repository uses them. */
type EventLogTables = {
  usage_rollup_pending: { block_id: number; workspace_id: string };
  usage_event_ids: { workspace_id: string; message_id: string };
  usage_event_blocks: {
    block_id: number | undefined;
    workspace_id: string;
    events: number;
    /** The block's JSON text; on SQLite, blocks of a bulk import keep the UTF-8 bytes they were built as. */
    payload: string | Uint8Array;
    /** Packed 96-bit hashes of the block's messageIds; null when they are in usage_event_ids. */
    id_hashes: Uint8Array | null;
  };
};

/** What one insert wrote: the new events and their block (null when nothing was new). */
interface Inserted {
  fresh: UsageEvent[];
  blockId: number | null;
}

/** Ids committed in one workspace, as read from the blocks up to `lastBlock`. */
interface CommittedIds {
  ids: HashSet96;
  lastBlock: number;
}

/** Per embedded database (its single connection's writer) and workspace: the committed ids. */
const committedIds = new WeakMap<PreparedWriter, Map<string, CommittedIds>>();
/**
 * Per open transaction and workspace: ids the transaction wrote. They join the committed set only by
 * being read back from their block by a later transaction, so a rolled-back write leaves no trace.
 */
const transactionIds = new WeakMap<Kysely<Database>, Map<string, HashSet96>>();

const log = (db: Kysely<Database>) => db.withTables<EventLogTables>();

/**
 * The committed ids of a workspace, brought up to date with the blocks committed since the last
 * look (by this process's earlier transactions or by another process on the same file). Called at
 * a transaction's first write of the workspace, before it has written any block of its own.
 */
async function catchUp(
  db: Kysely<Database>,
  writer: PreparedWriter,
  workspaceId: string,
): Promise<CommittedIds> {
  let byWorkspace = committedIds.get(writer);
  if (byWorkspace === undefined) {
    byWorkspace = new Map();
    committedIds.set(writer, byWorkspace);
  }
  let state = byWorkspace.get(workspaceId);
  if (state === undefined) {
    // Ids stored before migration 0101 (and of the original usage_events rows) are in the id table.
    const ids = new HashSet96();
    const legacy = await log(db)
      .selectFrom("usage_event_ids")
      .select("message_id")
      .where("workspace_id", "=", workspaceId)
      .execute();
    const h = new Uint32Array(HASH_WORDS);
    for (const r of legacy) {
      hashMessageId(r.message_id, h, 0);
      ids.add(h, 0);
    }
    state = { ids, lastBlock: 0 };
    byWorkspace.set(workspaceId, state);
  }
  const blocks = await log(db)
    .selectFrom("usage_event_blocks")
    .select(["block_id", "id_hashes"])
    .where("workspace_id", "=", workspaceId)
    .where("block_id", ">", state.lastBlock)
    .where("id_hashes", "is not", null)
    .orderBy("block_id")
    .execute();
  for (const b of blocks) {
    if (b.id_hashes !== null) state.ids.addAll(hashesFromBytes(b.id_hashes));
    state.lastBlock = Math.max(state.lastBlock, Number(b.block_id));
  }
  return state;
}

/** The ids a transaction must check against: committed ones and its own. */
async function knownIds(
  db: Kysely<Database>,
  writer: PreparedWriter,
  workspaceId: string,
): Promise<{ known: CommittedIds; written: HashSet96 }> {
  let byWorkspace = transactionIds.get(db);
  if (byWorkspace === undefined) {
    byWorkspace = new Map();
    transactionIds.set(db, byWorkspace);
  }
  let written = byWorkspace.get(workspaceId);
  const committed = written === undefined ? await catchUp(db, writer, workspaceId) : null;
  const known = committed ?? (committedIds.get(writer)?.get(workspaceId) as CommittedIds);
  if (written === undefined) {
    written = new HashSet96();
    byWorkspace.set(workspaceId, written);
  }
  return { known, written };
}

/**
 * The embedded database's insert of an encoded block: dedup by its hashes against the in-memory
 * index, then the block itself (or, when only some calls are new, a block of those).
 */
async function insertIndexedBlock(
  db: Kysely<Database>,
  writer: PreparedWriter,
  writes: PreparedWrites,
  workspaceId: string,
  block: StoredBlock,
): Promise<Uint8Array> {
  const { known, written } = await knownIds(db, writer, workspaceId);
  const { hashes, count } = block;
  const flags = new Uint8Array(count);
  let fresh = 0;
  const first = block.firstInTransaction;
  if (first !== undefined) {
    const anyKnown = known.ids.size > 0;
    for (let i = 0, at = 0; i < count; i++, at += HASH_WORDS) {
      if (first[i] !== 1 || (anyKnown && known.ids.has(hashes, at))) continue;
      flags[i] = 1;
      fresh++;
    }
  } else
    for (let i = 0, at = 0; i < count; i++, at += HASH_WORDS) {
      if (known.ids.has(hashes, at) || !written.add(hashes, at)) continue;
      flags[i] = 1;
      fresh++;
    }
  if (fresh === 0) return flags;
  let payload: string | Buffer = Buffer.from(
    block.payload.buffer,
    block.payload.byteOffset,
    block.payload.length,
  );
  let ids = hashes;
  if (fresh < count) {
    // Rare (a file repeating stored or earlier ids): re-encode the new calls alone.
    const events = decodeEventBlock(payload);
    payload = encodeEventBlock(events.filter((_, i) => flags[i] === 1));
    ids = new Uint32Array(fresh * HASH_WORDS);
    for (let i = 0, w = 0; i < count; i++)
      if (flags[i] === 1) {
        ids.set(hashes.subarray(i * HASH_WORDS, (i + 1) * HASH_WORDS), w);
        w += HASH_WORDS;
      }
  }
  writes.insertEventBlock(workspaceId, fresh, payload, hashesToBytes(ids, ids.length));
  return flags;
}

/**
 * The embedded database's insert: dedup against the in-memory index, then one block holding the new
 * calls and their id hashes. `db` must be an open transaction on the connection `writer` writes to.
 */
async function insertIndexed(
  db: Kysely<Database>,
  writer: PreparedWriter,
  writes: PreparedWrites,
  workspaceId: string,
  rows: readonly UsageEvent[],
  deferred: boolean,
): Promise<Inserted> {
  const { known, written } = await knownIds(db, writer, workspaceId);
  const hashes = new Uint32Array(rows.length * HASH_WORDS);
  let words = 0;
  const fresh: UsageEvent[] = [];
  for (const e of rows) {
    hashMessageId(e.messageId, hashes, words);
    if (known.ids.has(hashes, words) || !written.add(hashes, words)) continue;
    fresh.push(e);
    words += HASH_WORDS;
  }
  if (fresh.length === 0) return { fresh, blockId: null };
  const blockId = writes.insertEventBlock(
    workspaceId,
    fresh.length,
    encodeEventBlock(fresh),
    hashesToBytes(hashes, words),
  );
  if (deferred) writes.markRollupPending(blockId, workspaceId);
  return { fresh, blockId };
}

/**
 * Calls are stored as an append-only log: one JSON block per write in `usage_event_blocks`. The dedup
 * key is the messageId: on the embedded database each block carries its ids' hashes and an in-memory
 * index answers "seen before?"; on PostgreSQL (many writers) the ids are rows of `usage_event_ids`.
 * Rows of the original `usage_events` table (written before migration 0004) are still read.
 */
export function createUsageEventRepository(ctx: RepositoryContext): UsageEventRepository {
  const { adapter } = ctx;
  const fromRow = (r: UsageEventTable): UsageEvent => ({
    messageId: r.message_id,
    type: r.type as TrackingCallType,
    event: r.event,
    userKey: r.user_key,
    userId: r.user_id,
    anonymousId: r.anonymous_id,
    timestamp: r.timestamp,
    day: r.day,
    properties: adapter.decodeJson(r.properties) as Record<string, unknown>,
    receivedAt: r.received_at,
  });

  async function insert(
    workspaceId: string,
    rows: readonly UsageEvent[],
    deferred: boolean,
  ): Promise<Inserted> {
    if (rows.length === 0) return { fresh: [], blockId: null };
    const writer = ctx.writer;
    const writes = adapter.preparedWrites(writer);
    if (writer !== undefined && writes !== null) {
      // Embedded database: one process owns the connection, so an in-memory index replaces the id
      // table (see usage-id-index.ts); outside a transaction the insert opens its own.
      if (ctx.db.isTransaction) return insertIndexed(ctx.db, writer, writes, workspaceId, rows, deferred);
      return ctx.db
        .transaction()
        .execute((trx) => insertIndexed(trx, writer, writes, workspaceId, rows, deferred));
    }
    const first = new Map<string, UsageEvent>();
    for (const e of rows) if (!first.has(e.messageId)) first.set(e.messageId, e);
    // Inserting ids in key order touches each index page once per write instead of at random.
    const ordered = [...first.keys()].sort();
    return atomically(ctx, async (db) => {
      const isNew = new Set<string>();
      for (const chunk of chunksFor(adapter, ordered, 2)) {
        // ON CONFLICT DO NOTHING + RETURNING yields only the ids really inserted (both dialects).
        const inserted = await log(db)
          .insertInto("usage_event_ids")
          .values(chunk.map((id) => ({ workspace_id: workspaceId, message_id: id })))
          .onConflict((oc) => oc.columns(["workspace_id", "message_id"]).doNothing())
          .returning("message_id")
          .execute();
        for (const r of inserted) isNew.add(r.message_id);
      }
      const fresh = [...first.values()].filter((e) => isNew.has(e.messageId));
      if (fresh.length === 0) return { fresh, blockId: null };
      const block = await log(db)
        .insertInto("usage_event_blocks")
        .values({
          block_id: undefined,
          workspace_id: workspaceId,
          events: fresh.length,
          payload: encodeEventBlock(fresh),
          id_hashes: null,
        })
        .returning("block_id")
        .executeTakeFirstOrThrow();
      const blockId = Number(block.block_id);
      if (deferred)
        await log(db)
          .insertInto("usage_rollup_pending")
          .values({ block_id: blockId, workspace_id: workspaceId })
          .execute();
      return { fresh, blockId };
    });
  }

  return {
    async insertNew(workspaceId, rows) {
      return (await insert(workspaceId, rows, false)).fresh;
    },

    insertNewDeferred: (workspaceId, rows) => insert(workspaceId, rows, true),

    async insertEncoded(workspaceId, block) {
      const writer = ctx.writer;
      const writes = adapter.preparedWrites(writer);
      if (writer !== undefined && writes !== null) {
        if (ctx.db.isTransaction) return insertIndexedBlock(ctx.db, writer, writes, workspaceId, block);
        return ctx.db
          .transaction()
          .execute((trx) => insertIndexedBlock(trx, writer, writes, workspaceId, block));
      }
      // PostgreSQL keeps the id table: the block's calls go through the ordinary insert.
      const events = decodeEventBlock(block.payload);
      const fresh = new Set((await insert(workspaceId, events, false)).fresh);
      return Uint8Array.from(events, (e) => (fresh.has(e) ? 1 : 0));
    },

    async blockEvents(blockIds) {
      const out = new Map<number, UsageEvent[]>();
      for (const chunk of chunksFor(adapter, [...blockIds], 1)) {
        if (chunk.length === 0) continue;
        const blocks = await log(ctx.db)
          .selectFrom("usage_event_blocks")
          .select(["block_id", "payload"])
          .where("block_id", "in", chunk)
          .execute();
        for (const b of blocks) out.set(Number(b.block_id), decodeEventBlock(b.payload));
      }
      return out;
    },

    async list(workspaceId) {
      const legacy = await ctx.db
        .selectFrom("usage_events")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .execute();
      const blocks = await log(ctx.db)
        .selectFrom("usage_event_blocks")
        .select("payload")
        .where("workspace_id", "=", workspaceId)
        .orderBy("block_id")
        .execute();
      const out = legacy.map(fromRow);
      for (const b of blocks) for (const e of decodeEventBlock(b.payload)) out.push(e);
      return out.sort((a, b) =>
        a.timestamp < b.timestamp
          ? -1
          : a.timestamp > b.timestamp
            ? 1
            : a.messageId < b.messageId
              ? -1
              : a.messageId > b.messageId
                ? 1
                : 0,
      );
    },

    async count(workspaceId) {
      const ids = await log(ctx.db)
        .selectFrom("usage_event_ids")
        .select((eb) => eb.fn.countAll().as("n"))
        .where("workspace_id", "=", workspaceId)
        .executeTakeFirstOrThrow();
      // Blocks with id hashes have no id rows: their events count instead.
      const hashed = await log(ctx.db)
        .selectFrom("usage_event_blocks")
        .select((eb) => eb.fn.sum<number | string | null>("events").as("n"))
        .where("workspace_id", "=", workspaceId)
        .where("id_hashes", "is not", null)
        .executeTakeFirstOrThrow();
      return adapter.parseNumber(ids.n) + (hashed.n === null ? 0 : adapter.parseNumber(hashed.n));
    },
  };
}
