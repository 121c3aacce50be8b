/**
 * Worker thread of the bulk import (see line-parser-pool.ts): parses pieces of a JSON-lines file
 * into encoded blocks and hands them back, their typed arrays transferred rather than copied.
 */
import { parentPort } from "node:worker_threads";
import { type ParseLinesOptions, parseEventLines } from "./event-lines";

/** A piece of whole lines to parse: `bytes` is transferred to the worker. */
export interface ParseRequest {
  id: number;
  bytes: Uint8Array;
  opts: ParseLinesOptions;
}

const port = parentPort;
if (port === null) throw new Error("import-worker.ts runs as a worker thread");
port.on("message", (req: ParseRequest) => {
  const result = parseEventLines(req.bytes, req.opts);
  const transfer: ArrayBuffer[] = [];
  for (const b of result.blocks)
    transfer.push(b.hashes.buffer as ArrayBuffer, b.columns.buffer as ArrayBuffer);
  port.postMessage({ id: req.id, result }, transfer);
});
