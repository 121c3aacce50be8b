/**
 * Finds the source text of each element of a tracking body's top-level `batch` array, so that a
 * call's size (the 32 KB limit) and, without a messageId, its content hash come from the bytes the
 * client sent instead of re-serialising every parsed call. `text` must already be valid JSON (it
 * was parsed). Null when there is no batch array (callers then serialise the parsed calls).
 */
export function batchItemTexts(text: string): string[] | null {
  let i = skipSpace(text, 0);
  if (text.charCodeAt(i) !== OPEN_OBJECT) return null;
  i++;
  let items: string[] | null = null;
  for (;;) {
    i = skipSpace(text, i);
    const c = text.charCodeAt(i);
    if (c === CLOSE_OBJECT || Number.isNaN(c)) return items;
    if (c === COMMA) {
      i++;
      continue;
    }
    const keyStart = i;
    i = skipString(text, i);
    const raw = text.slice(keyStart, i);
    const key = raw.includes("\\") ? (JSON.parse(raw) as string) : raw.slice(1, -1);
    i = skipSpace(text, i) + 1; // the colon
    i = skipSpace(text, i);
    if (key === "batch") {
      // JSON.parse keeps the last of repeated keys: so does this.
      items = null;
      if (text.charCodeAt(i) === OPEN_ARRAY) {
        items = [];
        i++;
        for (;;) {
          i = skipSpace(text, i);
          const d = text.charCodeAt(i);
          if (d === CLOSE_ARRAY || Number.isNaN(d)) {
            i++;
            break;
          }
          if (d === COMMA) {
            i++;
            continue;
          }
          const start = i;
          i = skipValue(text, i);
          items.push(text.slice(start, i));
        }
        continue;
      }
    }
    i = skipValue(text, i);
  }
}

const OPEN_OBJECT = 123;
const CLOSE_OBJECT = 125;
const OPEN_ARRAY = 91;
const CLOSE_ARRAY = 93;
const COMMA = 44;
const QUOTE = 34;
const BACKSLASH = 92;

function skipSpace(text: string, from: number): number {
  let i = from;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 10 || c === 13 || c === 9) i++;
    else return i;
  }
}

/** `from` is at the opening quote; returns the index after the closing one. */
function skipString(text: string, from: number): number {
  let i = from + 1;
  for (;;) {
    const c = text.charCodeAt(i);
    if (c === BACKSLASH) i += 2;
    else if (c === QUOTE || Number.isNaN(c)) return i + 1;
    else i++;
  }
}

/** Returns the index after the value starting at `from`. */
function skipValue(text: string, from: number): number {
  const c = text.charCodeAt(from);
  if (c === QUOTE) return skipString(text, from);
  if (c === OPEN_OBJECT || c === OPEN_ARRAY) {
    let depth = 0;
    let i = from;
    for (;;) {
      const d = text.charCodeAt(i);
      if (Number.isNaN(d)) return i;
      if (d === QUOTE) {
        i = skipString(text, i);
        continue;
      }
      if (d === OPEN_OBJECT || d === OPEN_ARRAY) depth++;
      else if (d === CLOSE_OBJECT || d === CLOSE_ARRAY) {
        depth--;
        if (depth === 0) return i + 1;
      }
      i++;
    }
  }
  // A number, true, false or null: up to the next delimiter.
  let i = from;
  for (;;) {
    const d = text.charCodeAt(i);
    if (
      Number.isNaN(d) ||
      d === COMMA ||
      d === CLOSE_OBJECT ||
      d === CLOSE_ARRAY ||
      d === 32 ||
      d === 10 ||
      d === 13 ||
      d === 9
    )
      return i;
    i++;
  }
}
