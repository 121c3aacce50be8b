import type { Contact } from "@tenure/core";
import { addDays, type DayKey, keyToDays, keyToIso } from "./calendar";
import type { Rng } from "./prng";

/** Share of champions at a current customer (tenure ≥ 120 days) who left in the last 80 days. */
const DEPARTURE_RATE = 0.02;

/**
 * Marks some champions of a current customer as having left the customer company recently (seed 004's
 * story of the champion who moves on): leftAt 5-80 days before asOf, last touch no later than that.
 * Returns new records; other contacts are returned as they are.
 */
export function championDepartures(
  contacts: readonly Contact[],
  input: { active: boolean; acquired: DayKey; asOf: DayKey },
  rng: Rng,
): Contact[] {
  if (!input.active || keyToDays(input.asOf) - keyToDays(input.acquired) < 120) return [...contacts];
  return contacts.map((c) => {
    if (c.role !== "champion" || !rng.chance(DEPARTURE_RATE)) return c;
    const left = addDays(input.asOf, -rng.int(5, 80));
    const leftAt = keyToIso(left);
    const lastTouchAt =
      c.lastTouchAt !== null && c.lastTouchAt <= leftAt
        ? c.lastTouchAt
        : keyToIso(addDays(left, -rng.int(1, 20)));
    return { ...c, leftAt, lastTouchAt: lastTouchAt < keyToIso(input.acquired) ? null : lastTouchAt };
  });
}
