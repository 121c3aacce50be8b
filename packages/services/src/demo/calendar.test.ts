import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, addMonths, isIsoDate, keyToDays, keyToIso, toKey } from "./calendar";

const isoOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

describe("demo calendar", () => {
  it("should round-trip ISO dates when converting to keys and back", () => {
    for (const d of ["2024-02-29", "2026-11-15", "1999-12-31", "2000-01-01"])
      expect(keyToIso(toKey(d))).toBe(d);
  });

  it("should reject impossible dates when validating", () => {
    expect(isIsoDate("2025-02-29")).toBe(false);
    expect(isIsoDate("2024-13-01")).toBe(false);
    expect(isIsoDate("2024-4-01")).toBe(false);
    expect(isIsoDate("2024-02-29")).toBe(true);
  });

  it("should clamp the day when adding months to a month-end date", () => {
    expect(keyToIso(addMonths(toKey("2025-01-31"), 1))).toBe("2025-02-28");
    expect(keyToIso(addMonths(toKey("2024-03-15"), 12))).toBe("2025-03-15");
  });

  it("should agree with Date.UTC when adding days to any date", () => {
    const day = 86_400_000;
    fc.assert(
      fc.property(
        fc.integer({ min: -20000, max: 40000 }),
        fc.integer({ min: -800, max: 800 }),
        (base, delta) => {
          const start = isoOf(base * day);
          const key = toKey(start);
          expect(keyToDays(key)).toBe(base);
          expect(keyToIso(addDays(key, delta))).toBe(isoOf((base + delta) * day));
        },
      ),
    );
  });
});
