import { createRequire } from "node:module";
import path from "node:path";

/** What `LineParser.run` stopped at. */
export const RUN = {
  /** The piece is read. */
  end: 0,
  /** The line at `out[0]` is one JavaScript must read (JSON.parse). */
  needsJs: 1,
  /** The block holds `blockSize` calls: finish it, then run on from `out[0]`. */
  full: 2,
} as const;

/** A finished version 3 block (see packages/storage/src/repositories/usage-event-block.ts). */
export interface NativeBlock {
  count: number;
  payload: Uint8Array;
  hashes: Uint32Array;
  columns: Int32Array;
}

/** The native line reader of the bulk import (src/event_lines.cc); one per import. */
export interface NativeLineParser {
  /**
   * Reads lines of `bytes` (whole lines, valid UTF-8) from `pos`; `out` gets the position it stopped
   * at, the lines and the calls it read. Returns a `RUN` value.
   */
  run(bytes: Uint8Array, pos: number, out: Int32Array): number;
  /** Adds a call JavaScript read; `properties` is JSON text of an object. */
  addEvent(
    type: string,
    event: string | null,
    userKey: string,
    userId: string | null,
    anonymousId: string | null,
    day: string,
    receivedAt: string,
    messageId: string,
    timestamp: string,
    properties: string,
  ): void;
  /** Calls in the current block. */
  count(): number;
  /** The names (ids of `NativeBlock.columns`) from id `from` on. */
  names(from: number): string[];
  finish(): NativeBlock;
}

/** A set of 96-bit messageId hashes, as `HashSet96` (packages/storage/src/repositories/usage-id-index.ts). */
export interface NativeIdSet {
  /** Adds the hashes (3 words each); `out[i]` = 1 when hash i was new, 0 when already there. Returns the new ones. */
  addAll(hashes: Uint32Array, out: Uint8Array): number;
}

/**
 * Rollup counts per (user key, day, event) of stored calls, keyed by a line parser's name ids, and the
 * users first seen in stored calls (src/tables.cc).
 */
export interface NativeCellCounter {
  /**
   * Counts a block's calls flagged 1 in `fresh` (all when null) whose type id is one of `usageTypes`;
   * returns (userKey, userId, anonymousId) name ids of the users first seen in them.
   */
  count(columns: Int32Array, fresh: Uint8Array | null, usageTypes: Int32Array): Int32Array;
  /** The distinct user, day and event name ids counted since the last `take`. */
  lists(): [users: Int32Array, days: Int32Array, events: Int32Array];
  /**
   * The counted cells with each id replaced by its rank (`userRank[k]` for the k-th id of `lists()`),
   * sorted by (user, day); then starts counting afresh. Call right after `lists()`.
   */
  take(
    userRank: Int32Array,
    dayRank: Int32Array,
    eventRank: Int32Array,
  ): [user: Int32Array, day: Int32Array, event: Int32Array, count: Float64Array];
}

export interface NativeModule {
  /** `hashIds` false: finished blocks have an empty `hashes` (see `hashMessageIds`). */
  LineParser: new (
    receivedAt: string,
    blockSize: number,
    hashIds?: boolean,
  ) => NativeLineParser;
  /**
   * The messageId hashes (`hashMessageId`, 3 words per call) of a version 3 block, read from its bytes;
   * throws when they are not a whole version 3 block. For blocks this process built.
   */
  hashMessageIds(payload: Uint8Array): Uint32Array;
  IdSet: new (capacity: number) => NativeIdSet;
  CellCounter: new () => NativeCellCounter;
}

let loaded: NativeModule | null | undefined;

/**
 * The compiled module (built by node-gyp when the package is installed), or null when it is not
 * there: callers then use the TypeScript implementation, which gives the same blocks.
 */
export function nativeModule(): NativeModule | null {
  if (loaded !== undefined) return loaded;
  try {
    const require = createRequire(import.meta.url);
    const dir = path.dirname(require.resolve("@tenure/native/package.json"));
    loaded = require(path.join(dir, "build", "Release", "tenure_native.node")) as NativeModule;
  } catch {
    loaded = null;
  }
  return loaded;
}
