import { describe, expect, it } from "vitest";
import { deriveSeed, Rng } from "./prng";

describe("demo PRNG", () => {
  it("should repeat the same sequence when given the same seed", () => {
    const a = new Rng(123);
    const b = new Rng(123);
    const xs = Array.from({ length: 50 }, () => a.next());
    expect(Array.from({ length: 50 }, () => b.next())).toEqual(xs);
    expect(xs.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it("should stay within bounds when drawing integers", () => {
    const rng = new Rng(7);
    const seen = new Set<number>();
    for (let i = 0; i < 2000; i++) {
      const n = rng.int(3, 6);
      expect(n).toBeGreaterThanOrEqual(3);
      expect(n).toBeLessThanOrEqual(6);
      seen.add(n);
    }
    expect([...seen].sort()).toEqual([3, 4, 5, 6]);
  });

  it("should give different streams when deriving seeds from different stream numbers", () => {
    expect(deriveSeed(42, 1)).not.toBe(deriveSeed(42, 2));
    expect(deriveSeed(42, 1)).toBe(deriveSeed(42, 1));
    expect(new Rng(deriveSeed(42, 1)).next()).not.toBe(new Rng(deriveSeed(42, 2)).next());
  });
});
