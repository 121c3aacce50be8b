import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  HASH_WORDS,
  HashSet96,
  hashesFromBytes,
  hashesToBytes,
  hashMessageId,
  hashMessageIdBytes,
} from "./usage-id-index";

describe("HashSet96", () => {
  it("should find every added id and no other when it grows far past its first capacity", () => {
    const set = new HashSet96(16);
    const h = new Uint32Array(HASH_WORDS);
    for (let i = 0; i < 50_000; i++) {
      hashMessageId(`id-${i}`, h, 0);
      expect(set.add(h, 0)).toBe(true);
    }
    expect(set.size).toBe(50_000);
    let found = 0;
    for (let i = 0; i < 50_000; i++) {
      hashMessageId(`id-${i}`, h, 0);
      if (set.has(h, 0)) found++;
      expect(set.add(h, 0)).toBe(false);
    }
    expect(found).toBe(50_000);
    let strangers = 0;
    for (let i = 0; i < 50_000; i++) {
      hashMessageId(`other-${i}`, h, 0);
      if (set.has(h, 0)) strangers++;
    }
    expect(strangers).toBe(0);
  });

  it("should give ids differing in one character different hashes and round-trip them as bytes", () => {
    const packed = new Uint32Array(2 * HASH_WORDS);
    hashMessageId("0b7e6a1c-5f2d-4e1a-8c3b-9d0e1f2a3b4c", packed, 0);
    hashMessageId("0b7e6a1c-5f2d-4e1a-8c3b-9d0e1f2a3b4d", packed, HASH_WORDS);
    for (let w = 0; w < HASH_WORDS; w++) expect(packed[w]).not.toBe(packed[HASH_WORDS + w]);
    expect(packed[0]).not.toBe(0);
    expect(hashesFromBytes(hashesToBytes(packed, packed.length))).toEqual(packed);
  });

  it("should hash an ASCII id's bytes exactly as its string when bulk import hashes without decoding", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary-ascii", maxLength: 80 }), fc.nat(5), (id, pad) => {
        const fromString = new Uint32Array(HASH_WORDS);
        const fromBytes = new Uint32Array(HASH_WORDS + 1);
        hashMessageId(id, fromString, 0);
        const bytes = Buffer.from(`${"x".repeat(pad)}${id}`, "latin1");
        hashMessageIdBytes(bytes, pad, bytes.length, fromBytes, 1);
        expect(fromBytes.subarray(1)).toEqual(fromString);
      }),
    );
  });
});
