/**
 * In-memory dedup index of messageIds: 96-bit hashes in an open-addressing table of typed arrays.
 * A lookup or insert costs one hash of the id and (nearly always) one probe, instead of a B-tree
 * insert of a random text key, which was most of the ingest time once the id table outgrew the page
 * cache. Two different ids share a hash with probability about n² / 2^97 (1e-11 at a billion ids);
 * such a collision would drop the second event as a duplicate, never count one twice.
 */

/** Words per hash (3 × 32 bits). */
export const HASH_WORDS = 3;

/** Writes the 96-bit hash of `id` to `out[at..at+2]`; never all zero (zero marks an empty slot). */
export function hashMessageId(id: string, out: Uint32Array, at: number): void {
  // Three independent multiplicative streams over the UTF-16 code units, each finished with
  // murmur3's avalanche, so ids that differ in one character differ in every word.
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ id.length;
  let c = 0x1b873593;
  for (let i = 0; i < id.length; i++) {
    const ch = id.charCodeAt(i);
    a = Math.imul(a ^ ch, 0x01000193);
    b = Math.imul(b ^ ch, 0x5bd1e995);
    b ^= b >>> 13;
    c = Math.imul((c + ch) | 0, 0xcc9e2d51);
    c = (c << 15) | (c >>> 17);
  }
  out[at] = fmix(a) || 1;
  out[at + 1] = fmix(b ^ a);
  out[at + 2] = fmix(c ^ Math.imul(a, 0x85ebca6b));
}

/**
 * `hashMessageId` of an ASCII id given as bytes `bytes[start..end)` (one byte per UTF-16 code unit, so
 * the result is the same as hashing the decoded string). Bulk import hashes ids without decoding them.
 */
export function hashMessageIdBytes(
  bytes: Uint8Array,
  start: number,
  end: number,
  out: Uint32Array,
  at: number,
): void {
  let a = 0x811c9dc5;
  let b = 0x9747b28c ^ (end - start);
  let c = 0x1b873593;
  for (let i = start; i < end; i++) {
    const ch = bytes[i] as number;
    a = Math.imul(a ^ ch, 0x01000193);
    b = Math.imul(b ^ ch, 0x5bd1e995);
    b ^= b >>> 13;
    c = Math.imul((c + ch) | 0, 0xcc9e2d51);
    c = (c << 15) | (c >>> 17);
  }
  out[at] = fmix(a) || 1;
  out[at + 1] = fmix(b ^ a);
  out[at + 2] = fmix(c ^ Math.imul(a, 0x85ebca6b));
}

function fmix(h: number): number {
  let x = h;
  x ^= x >>> 16;
  x = Math.imul(x, 0x85ebca6b);
  x ^= x >>> 13;
  x = Math.imul(x, 0xc2b2ae35);
  x ^= x >>> 16;
  return x >>> 0;
}

/** A set of 96-bit hashes (linear probing, grows past 3/4 full). */
export class HashSet96 {
  private slots: Uint32Array;
  private mask: number;
  private count = 0;

  constructor(capacity = 1 << 12) {
    let size = 1 << 4;
    while (size < capacity) size <<= 1;
    this.slots = new Uint32Array(size * HASH_WORDS);
    this.mask = size - 1;
  }

  get size(): number {
    return this.count;
  }

  /** True when the hash at `h[at..]` is in the set. */
  has(h: Uint32Array, at: number): boolean {
    const s = this.slots;
    const a = h[at] as number;
    const b = h[at + 1] as number;
    const c = h[at + 2] as number;
    for (let i = a & this.mask; ; i = (i + 1) & this.mask) {
      const p = i * HASH_WORDS;
      const x = s[p] as number;
      if (x === 0) return false;
      if (x === a && s[p + 1] === b && s[p + 2] === c) return true;
    }
  }

  /** Adds the hash at `h[at..]`; false when it was already there. */
  add(h: Uint32Array, at: number): boolean {
    if ((this.count + 1) * 4 > (this.mask + 1) * 3) this.grow();
    const s = this.slots;
    const a = h[at] as number;
    const b = h[at + 1] as number;
    const c = h[at + 2] as number;
    for (let i = a & this.mask; ; i = (i + 1) & this.mask) {
      const p = i * HASH_WORDS;
      const x = s[p] as number;
      if (x === 0) {
        s[p] = a;
        s[p + 1] = b;
        s[p + 2] = c;
        this.count++;
        return true;
      }
      if (x === a && s[p + 1] === b && s[p + 2] === c) return false;
    }
  }

  /** Adds every hash of a packed array (3 words each). */
  addAll(hashes: Uint32Array): void {
    for (let at = 0; at + HASH_WORDS <= hashes.length; at += HASH_WORDS) this.add(hashes, at);
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Uint32Array(old.length * 2);
    this.mask = this.mask * 2 + 1;
    this.count = 0;
    for (let p = 0; p < old.length; p += HASH_WORDS) if (old[p] !== 0) this.add(old, p);
  }
}

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Packed hashes of a block as bytes (little-endian words), the form stored with the block. */
export function hashesToBytes(hashes: Uint32Array, words: number): Buffer {
  // On a little-endian machine the words are already in that layout: one copy.
  if (LITTLE_ENDIAN) return Buffer.from(new Uint8Array(hashes.buffer, hashes.byteOffset, words * 4));
  const out = Buffer.allocUnsafe(words * 4);
  for (let i = 0; i < words; i++) out.writeUInt32LE(hashes[i] as number, i * 4);
  return out;
}

/** The inverse of `hashesToBytes`. */
export function hashesFromBytes(bytes: Uint8Array): Uint32Array {
  const words = Math.floor(bytes.length / 4);
  const out = new Uint32Array(words);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  for (let i = 0; i < words; i++) out[i] = view.getUint32(i * 4, true);
  return out;
}
