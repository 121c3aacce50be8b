import { addMonths, firstDayOfMonth, type IsoDate, monthOf, type Subscription } from "@tenure/core";
import { bareUsageUser, minimalAccount, type Storage, type UsageRollup } from "@tenure/storage";
import { addDays, dayNumber } from "../health/days";

export interface PlantedChurnOptions {
  accounts: number;
  /** End of the history (two years of it). */
  asOf: IsoDate;
  /** Users per account (default 4). */
  users?: number;
  /** Days between usage days (default 4): fewer rows, same signal. */
  usageEvery?: number;
  seed?: number;
}

/**
 * Writes a synthetic workspace for tests and benchmarks of the churn model: monthly accounts over two
 * years where one in three churns, and churners' active users fall to one in the 60 days before they
 * leave (the signal a good model must find). Deterministic for a seed.
 */
export async function seedPlantedChurn(storage: Storage, ws: string, o: PlantedChurnOptions): Promise<void> {
  const every = o.usageEvery ?? 4;
  const perAccount = o.users ?? 4;
  let state = (o.seed ?? 12345) >>> 0;
  const rng = () => {
    state = (Math.imul(state, 1103515245) + 12345) >>> 0;
    return state / 4294967296;
  };
  const first = addMonths(monthOf(o.asOf), -23);
  const subs: Subscription[] = [];
  const users = [];
  const rollups: UsageRollup[] = [];
  for (let i = 0; i < o.accounts; i++) {
    const id = `a${i}`;
    const startDate = firstDayOfMonth(addMonths(first, Math.floor(rng() * 4)));
    const endDate = i % 3 === 0 ? firstDayOfMonth(addMonths(first, 8 + Math.floor(rng() * 15))) : null;
    subs.push({
      id: `s${i}`,
      accountId: id,
      plan: "pro",
      startDate,
      endDate,
      amount: 100,
      currency: "USD",
      interval: "month",
      quantity: 5,
      discountPct: 0,
      trial: false,
    });
    for (let u = 0; u < perAccount; u++)
      users.push({
        ...bareUsageUser(`${id}-u${u}`, `${id}-u${u}`, null),
        accountId: id,
        department: `d${u % 2}`,
      });
    const last = endDate === null ? o.asOf : addDays(endDate, -1);
    const declineFrom = endDate === null ? Number.POSITIVE_INFINITY : dayNumber(endDate) - 60;
    for (let day = startDate; day <= last; day = addDays(day, every)) {
      const active = dayNumber(day) >= declineFrom ? 1 : perAccount;
      for (let u = 0; u < active; u++)
        rollups.push({ userKey: `${id}-u${u}`, day, event: "Report", count: 3 });
    }
  }
  await storage.accounts.upsertMany(
    ws,
    Array.from({ length: o.accounts }, (_, i) => minimalAccount(`a${i}`)),
  );
  await storage.subscriptions.upsertMany(ws, subs);
  await storage.usageUsers.upsertMany(ws, users);
  await storage.usageRollups.addCounts(ws, rollups);
}
