import type { Contact, ContactRole } from "@tenure/core";
import { addDays, type DayKey, keyToDays, keyToIso } from "./calendar";
import type { Rng } from "./prng";
import type { Tier } from "./profiles";
import { FIRST_NAMES, LAST_NAMES, TITLES_BY_ROLE } from "./word-lists";

// Larger accounts have the whole buying committee on record; small ones often only a champion.
const ROLES_BY_TIER: Readonly<Record<Tier, readonly ContactRole[]>> = {
  enterprise: ["decision_maker", "champion", "admin", "billing", "user", "user"],
  "mid-market": ["champion", "decision_maker", "admin", "user", "billing"],
  smb: ["champion", "billing", "user"],
};
const COUNT_RANGE: Readonly<Record<Tier, readonly [number, number]>> = {
  enterprise: [3, 6],
  "mid-market": [2, 5],
  smb: [1, 3],
};
const TOUCH_WINDOW_DAYS: Readonly<Record<Tier, number>> = { enterprise: 45, "mid-market": 90, smb: 200 };
/** Champions are the relationship a CSM keeps warm: touched within a tighter window than others. */
const CHAMPION_TOUCH_DAYS: Readonly<Record<Tier, number>> = { enterprise: 30, "mid-market": 40, smb: 60 };

export interface ContactInput {
  accountId: string;
  domain: string;
  tier: Tier;
  acquired: DayKey;
  /** Last day the account was a customer (asOf when still active). */
  lastActive: DayKey;
  nextContactId: () => string;
}

/** Draws 1-6 contacts with roles, titles and a last-touch date between acquisition and `lastActive`. */
export function drawContacts(input: ContactInput, rng: Rng): Contact[] {
  const [min, max] = COUNT_RANGE[input.tier];
  const count = rng.int(min, max);
  const roles = ROLES_BY_TIER[input.tier];
  const used: string[] = [];
  const contacts: Contact[] = [];
  for (let i = 0; i < count; i++) {
    // Some accounts lost (or never had) a champion: a people-health gap for the scorecard to find.
    let role: ContactRole | null = roles[i] ?? "user";
    if (role === "champion" && rng.chance(0.15)) role = "user";
    if (rng.chance(0.03)) role = null;
    let first = rng.pick(FIRST_NAMES);
    let last = rng.pick(LAST_NAMES);
    while (used.includes(`${first}.${last}`)) {
      first = rng.pick(FIRST_NAMES);
      last = rng.pick(LAST_NAMES);
    }
    used.push(`${first}.${last}`);
    const span = Math.max(
      0,
      Math.min(
        role === "champion" ? CHAMPION_TOUCH_DAYS[input.tier] : TOUCH_WINDOW_DAYS[input.tier] * (i + 1),
        keyToDays(input.lastActive) - keyToDays(input.acquired),
      ),
    );
    const touched =
      input.tier === "smb" && rng.chance(0.25) ? null : addDays(input.lastActive, -rng.int(0, span));
    contacts.push({
      id: input.nextContactId(),
      accountId: input.accountId,
      name: `${first} ${last}`,
      email: `${first}.${last}@${input.domain}`.toLowerCase(),
      role,
      title: rng.pick(TITLES_BY_ROLE[role ?? "user"] ?? ["Employee"]),
      lastTouchAt: touched === null ? null : keyToIso(touched),
      leftAt: null,
    });
  }
  return contacts;
}
