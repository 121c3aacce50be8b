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

  it("should count calls named by ids of a caller's string table exactly as calls named by strings", () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(fc.nat(700), fc.nat(50), fc.nat(40)), { maxLength: 4_000 }), (calls) => {
        // One table holding users, days and events in arrival order, ids shared across the three.
        const names: string[] = [];
        const ids = new Map<string, number>();
        const ref = (s: string) => {
          let id = ids.get(s);
          if (id === undefined) {
            id = names.length;
            ids.set(s, id);
            names.push(s);
          }
          return id;
        };
        const byString = new RollupCounter();
        const byId = new RollupCounter();
        for (const [u, d, e] of calls) {
          const user = `u${u}`;
          const day = `2026-03-${String(1 + (d % 28)).padStart(2, "0")}`;
          const event = e % 9 === 0 ? user : `Event ${e}`;
          byString.add(user, day, event);
          byId.addNamed(names, ref(user), ref(day), ref(event));
        }
        expect(byId.rows()).toEqual(byString.rows());
        expect(byId.size).toBe(byString.size);
      }),
      { numRuns: 60 },
    );
  });
});
