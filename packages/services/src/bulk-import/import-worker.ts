/**
 * Worker thread of the bulk import (see import-parser.ts): one `ImportParser` serving one import.
 * Blocks go back with their typed arrays transferred rather than copied.
 */
import { parentPort } from "node:worker_threads";
import { ImportParser, type ParserReply, type ParserRequest } from "./import-parser";

const port = parentPort;
if (port === null) throw new Error("import-worker.ts runs as a worker thread");
const parser = new ImportParser();
port.on("message", (req: ParserRequest) => {
  const piece = parser.parse(req.bytes, req.opts);
  // The input goes back too, so the reader fills it again instead of allocating a fresh megabyte.
  piece.input = new Uint8Array(req.bytes.buffer);
  const reply: ParserReply = { id: req.id, piece };
  const transfer: ArrayBuffer[] = [req.bytes.buffer as ArrayBuffer];
  for (const b of piece.blocks) {
    transfer.push(
      b.hashes.buffer as ArrayBuffer,
      b.payload.buffer as ArrayBuffer,
      b.columns.buffer as ArrayBuffer,
    );
  }
  port.postMessage(reply, transfer);
});
