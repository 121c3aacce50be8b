import type { Readable, Writable } from "node:stream";

/** Where a command writes: injected so tests capture output in-process. */
export interface Io {
  out: Writable;
  err: Writable;
  /** Progress bars only when stderr is a terminal. */
  interactive: boolean;
  /** What `--password-stdin` reads (default: the process's stdin). */
  in?: Readable;
}

export const processIo = (): Io => ({
  out: process.stdout,
  err: process.stderr,
  interactive: Boolean(process.stderr.isTTY),
});

export const writeLine = (w: Writable, text = "") => w.write(`${text}\n`);
