// Shared by the rollup property tests: generated Segment calls and the recount every test compares with.
import type { Storage } from "@tenure/storage";
import fc from "fast-check";
import { expect } from "vitest";
import { parseTrackingMessage, type TrackingMessage } from "../tracking/tracking-message";
import { catchUpRollups } from "./deferred-rollups";
import type { RollupSources } from "./rollup-sources";

/** Generated calls with ids up to `maxId` (repeats are retries), users up to `maxUser`, days 1..`maxDay`. */
export const callArbitrary = (maxId: number, maxUser: number, maxDay: number) =>
  fc.record({
    type: fc.constantFrom("track", "track", "page", "screen", "identify", "group"),
    id: fc.integer({ min: 0, max: maxId }),
    user: fc.integer({ min: 0, max: maxUser }),
    day: fc.integer({ min: 1, max: maxDay }),
    event: fc.integer({ min: 0, max: 3 }),
  });
export type Call = { type: string; id: number; user: number; day: number; event: number };

/** A Segment call as JSON; the same `id` with the same fields always gives the same call. */
export const callJson = (c: Call): Record<string, unknown> => ({
  type: c.type,
  messageId: `m-${c.id}`,
  userId: `u${c.user}`,
  timestamp: `2026-10-0${c.day}T12:00:00.000Z`,
  ...(c.type === "track" ? { event: `e${c.event}` } : {}),
  ...(c.type === "group" ? { groupId: `acct-${c.user % 2}` } : {}),
});

/** The validated message of a call, as the tracking API hands it to the queue. */
export function callMessage(c: Call): TrackingMessage {
  const r = parseTrackingMessage(callJson(c), "", { receivedAt: "2026-10-10T00:00:00.000Z" });
  if (!r.ok) throw new Error(r.issue.message);
  return r.message;
}

/**
 * After a catch-up, the stored events are exactly the messageIds `sent`, and the rollups equal a naive
 * recount of the stored usage calls (track, page, screen). `sources`: the queues whose counts to flush first.
 */
export async function expectRollupsRecount(
  storage: Storage,
  ws: string,
  sent: Iterable<string>,
  sources?: RollupSources,
): Promise<void> {
  await catchUpRollups(storage, sources);
  const events = await storage.usageEvents.list(ws);
  expect(events.map((e) => e.messageId).sort()).toEqual([...new Set(sent)].sort());
  const naive = new Map<string, number>();
  for (const e of events)
    if (e.event !== null && e.type !== "identify" && e.type !== "group") {
      const key = `${e.userKey}|${e.day}|${e.event}`;
      naive.set(key, (naive.get(key) ?? 0) + 1);
    }
  const stored = new Map(
    (await storage.usageRollups.list(ws)).map((r) => [`${r.userKey}|${r.day}|${r.event}`, r.count]),
  );
  expect(stored).toEqual(naive);
}
