/** Fills `into` from `offset` with the next bytes of the input; returns how many (0 at the end). */
export type ReadInto = (into: Uint8Array, offset: number) => Promise<number>;

/**
 * Whole lines of the input, about `pieceBytes` at a time, each piece in its own buffer (so it can be
 * transferred to a worker thread) and without its last newline. Cutting at a newline byte never
 * splits a multi-byte character, so each piece can be checked as UTF-8 on its own.
 */
export async function* linePieces(
  read: ReadInto,
  pieceBytes: number,
  /** A buffer of an earlier piece to fill again, if one is free (fresh memory costs page faults). */
  reuse: () => Uint8Array | undefined = () => undefined,
): AsyncGenerator<{ bytes: Uint8Array; bytesRead: number }> {
  let carry = new Uint8Array(0);
  let bytesRead = 0;
  let first = true;
  for (;;) {
    const size = Math.max(pieceBytes, carry.length * 2);
    const free = reuse();
    const buf = free !== undefined && free.length === size ? free : new Uint8Array(size);
    buf.set(carry);
    let len = carry.length;
    let n = 0;
    // Fill the buffer (a read may return less than asked).
    do {
      n = await read(buf, len);
      len += n;
      bytesRead += n;
    } while (n > 0 && len < buf.length);
    let from = 0;
    if (first && (len >= 3 || n === 0)) {
      first = false;
      // A UTF-8 byte order mark is not part of the first line (TextDecoder drops it too).
      if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf && len >= 3) from = 3;
    }
    if (n === 0) {
      if (len > from) yield { bytes: buf.subarray(from, len), bytesRead };
      return;
    }
    const cut = buf.subarray(0, len).lastIndexOf(10);
    if (cut < from) {
      // No newline yet: a line longer than the buffer; read on with a larger one.
      carry = buf.slice(from, len);
      continue;
    }
    carry = buf.slice(cut + 1, len);
    yield { bytes: buf.subarray(from, cut), bytesRead };
  }
}
