import type { Storage } from "@tenure/storage";
import { addDays } from "../health/days";
import { changeSignalStatus } from "../signals/signal-service";
import { deriveSeed, Rng } from "./prng";

const STREAM = 0x5ac4;

/** Share of the open signals of owned accounts that their owner has acknowledged. */
const ACKNOWLEDGED_SHARE = 0.12;

/**
 * Some open signals acknowledged by the account's owner in the last few days (never before the signal
 * opened), through the same service the app uses, so the account page shows "acknowledged by <member>"
 * and the timeline records who. Runs its own random stream after everything else. Returns how many.
 */
export async function seedDemoAcknowledgements(
  storage: Storage,
  ws: string,
  opts: { asOf: string; seed: number },
): Promise<number> {
  const rng = new Rng(deriveSeed(opts.seed, STREAM));
  // In a stable order (signal ids are random): the same demo acknowledges the same signals.
  const key = (x: { accountId: string; type: string; openedAt: string }) =>
    `${x.accountId} ${x.type} ${x.openedAt}`;
  const open = (await storage.signals.list(ws, { statuses: ["open"] })).sort((a, b) =>
    key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0,
  );
  const owners = new Map((await storage.team.ownership(ws)).map((o) => [o.accountId, o.ownerId]));
  let acknowledged = 0;
  for (const s of open) {
    const owner = owners.get(s.accountId);
    if (owner == null || !rng.chance(ACKNOWLEDGED_SHARE)) continue;
    const opened = s.openedAt.slice(0, 10);
    const picked = addDays(opts.asOf, -rng.int(0, 3));
    // The later of the two days (ISO days sort as text).
    const day = [opened, picked].sort()[1] as string;
    await changeSignalStatus(storage, ws, {
      id: s.id,
      status: "acknowledged",
      by: "user",
      at: `${day}T${String(rng.int(8, 17)).padStart(2, "0")}:${String(rng.int(0, 59)).padStart(2, "0")}:00.000Z`,
      actorId: owner,
    });
    acknowledged++;
  }
  return acknowledged;
}
