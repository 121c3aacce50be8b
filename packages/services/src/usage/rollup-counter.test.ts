import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { RollupCounter } from "./rollup-counter";

describe("RollupCounter", () => {
  it("should hand out the same counts as a plain recount, unique and sorted by user, day and event", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(3_000), fc.nat(40), fc.nat(30)), { maxLength: 6_000 }),
        (calls) => {
          const counter = new RollupCounter();
          const naive = new Map<string, number>();
          for (const [u, d, e] of calls) {
            const user = `u${u}`;
            const day = `2026-${String(1 + (d % 12)).padStart(2, "0")}-${String(1 + (d % 28)).padStart(2, "0")}`;
            const event = `Event ${e}`;
            counter.add(user, day, event);
            const key = `${user}\u0000${day}\u0000${event}`;
            naive.set(key, (naive.get(key) ?? 0) + 1);
          }
          const rows = counter.rows();
          const keys = rows.map((r) => `${r.userKey}\u0000${r.day}\u0000${r.event}`);
          expect(keys).toEqual([...naive.keys()].sort());
          expect(rows.map((r) => r.count)).toEqual(keys.map((k) => naive.get(k)));
        },
      ),
      { numRuns: 60 },
    );
  });
});
