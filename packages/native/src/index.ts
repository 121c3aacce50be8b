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

export interface NativeModule {
  LineParser: new (receivedAt: string, blockSize: number) => NativeLineParser;
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
