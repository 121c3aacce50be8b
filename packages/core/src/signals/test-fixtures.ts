import type { SignalContact, SignalContext } from "./types";

/** A healthy, quiet account at 2024-07-01: no detector fires on it. Tests override what they need. */
export function quietContext(overrides: Partial<SignalContext> = {}): SignalContext {
  return {
    accountId: "acc-1",
    asOf: "2024-07-01",
    weeklyActiveUsers: [10, 10, 10, 10, 10, 10, 10, 10],
    weeklyActiveDepartments: [4, 4, 4, 4, 4, 4, 4, 4],
    weeklyEvents: [1000, 1000, 1000, 1000, 1100, 1100, 1100, 1100],
    newDataDays: 0,
    contacts: [],
    daysSinceLastLogin: 1,
    quota: null,
    seats: null,
    contractEnd: null,
    renewalDate: null,
    newStakeholders: [],
    newDepartments: [],
    healthScore: { score: 75, band: "green" },
    discountPct: 0,
    ticketsPerWeek: [1, 1, 1, 1, 1, 1, 1, 1, 1],
    npsResponses: [],
    mrr: 1000,
    metrics: {},
    ...overrides,
  };
}

/** A contact with defaults (a current, recently touched non-champion). */
export function contact(overrides: Partial<SignalContact> & { id: string }): SignalContact {
  return {
    name: `Person ${overrides.id}`,
    role: "user",
    lastTouchAt: "2024-06-25",
    isChampion: false,
    leftAt: null,
    ...overrides,
  };
}
