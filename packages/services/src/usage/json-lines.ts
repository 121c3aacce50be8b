/** Lines decoded from one chunk of a JSON-lines stream. */
export interface LineChunk {
  /** Complete lines (without "\n"); blank lines included so line numbers stay right. */
  lines: string[];
  /** Bytes consumed so far, for progress. */
  bytesRead: number;
  /** True (and no lines) when the stream is not valid UTF-8. */
  invalidUtf8: boolean;
}

/**
 * Splits a byte stream into lines, one array per chunk (not one promise per line, which would cost
 * more than parsing them). A line split across chunks is carried to the next one.
 */
export async function* jsonLineChunks(source: AsyncIterable<Uint8Array>): AsyncGenerator<LineChunk> {
  const decoder = new TextDecoder("utf-8", { fatal: true });
  let carry = "";
  let bytesRead = 0;
  for await (const bytes of source) {
    bytesRead += bytes.length;
    let text: string;
    try {
      text = carry + decoder.decode(bytes, { stream: true });
    } catch {
      yield { lines: [], bytesRead, invalidUtf8: true };
      return;
    }
    const lines = text.split("\n");
    carry = lines.pop() ?? "";
    yield { lines, bytesRead, invalidUtf8: false };
  }
  let tail: string;
  try {
    tail = carry + decoder.decode();
  } catch {
    yield { lines: [], bytesRead, invalidUtf8: true };
    return;
  }
  yield { lines: tail === "" ? [] : [tail], bytesRead, invalidUtf8: false };
}
