import { nativeModule } from "@tenure/native";
import { HASH_WORDS, HashSet96 } from "@tenure/storage/event-log";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { EventLineParser } from "./event-lines";
import { blockHashes, createImportCounter, firstIds, type ImportCounter } from "./import-parser";

// The native tables (packages/native/src/tables.cc) must give what the TypeScript ones give.

/** A string table as a parser builds it: types first, then users, days and events, in arrival order. */
const NAMES = [
  "track",
  "identify",
  "page",
  "group",
  "screen",
  ...Array.from({ length: 60 }, (_, i) => `u${(i * 37) % 61}`),
  ...Array.from(
    { length: 30 },
    (_, i) => `2026-0${1 + (i % 9)}-${String(10 + ((i * 7) % 19)).padStart(2, "0")}`,
  ),
  ...Array.from({ length: 12 }, (_, i) => `Event ${11 - i}`),
];
const USERS = 5;
const DAYS = USERS + 60;
const EVENTS = DAYS + 30;

/** A call: type, user, day and event (-1 = none) as indexes into their part of NAMES, and whether stored. */
const call = fc.record({
  type: fc.nat(4),
  user: fc.nat(59),
  day: fc.nat(29),
  event: fc.integer({ min: -1, max: 11 }),
  userId: fc.boolean(),
  fresh: fc.boolean(),
});

type Call = { type: number; user: number; day: number; event: number; userId: boolean; fresh: boolean };

function columnsOf(calls: readonly Call[]): Int32Array {
  const columns = new Int32Array(calls.length * 7).fill(-1);
  calls.forEach((c, i) => {
    const at = i * 7;
    columns[at] = c.type;
    columns[at + 1] = c.event === -1 ? -1 : EVENTS + c.event;
    columns[at + 2] = USERS + c.user;
    columns[at + 3] = c.userId ? USERS + c.user : -1;
    columns[at + 4] = c.userId ? -1 : USERS + ((c.user + 1) % 60);
    columns[at + 5] = DAYS + c.day;
  });
  return columns;
}

/** Cells as sorted strings (events are in any order within a day, so compare as a set per take). */
function cellsOf(counter: ImportCounter): string[] {
  const c = counter.takeCounts();
  const out: string[] = [];
  for (let k = 0; k < c.size; k++)
    out.push(
      `${c.userKeys[c.user[k] as number]}|${c.days[c.day[k] as number]}|${c.events[c.event[k] as number]}|${c.count[k]}`,
    );
  return out;
}

/** (user, day) of each cell in order: both counters must sort cells by user, then day. */
function orderOf(counter: ImportCounter): string[] {
  const c = counter.takeCounts();
  return Array.from(
    { length: c.size },
    (_, k) => `${c.userKeys[c.user[k] as number]}|${c.days[c.day[k] as number]}`,
  );
}

describe("native import tables vs TypeScript", () => {
  it("loads the native module (else these tests would compare the TypeScript tables with themselves)", () => {
    expect(nativeModule()).not.toBeNull();
  });

  it("should count the same cells, in the same (user, day) order, and find the same new users", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(call, { maxLength: 300 }), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 0, max: 5 }),
        (blocks, takeAfter) => {
          const native = createImportCounter();
          const script = createImportCounter({ native: false });
          // Names arrive in two pieces, as parsers send them.
          for (const counter of [native, script]) {
            counter.addNames(NAMES.slice(0, 40));
            counter.addNames(NAMES.slice(40));
          }
          const takes: Array<[string[], string[]]> = [];
          const users: Array<[number[], number[]]> = [];
          blocks.forEach((calls, order) => {
            const columns = columnsOf(calls);
            const fresh = order % 2 === 0 ? null : Uint8Array.from(calls, (c) => (c.fresh ? 1 : 0));
            native.count(columns, fresh, order);
            script.count(columns, fresh, order);
            if (order === takeAfter) takes.push([cellsOf(native).sort(), cellsOf(script).sort()]);
            users.push([Array.from(native.takeUsers().users), Array.from(script.takeUsers().users)]);
          });
          takes.push([cellsOf(native).sort(), cellsOf(script).sort()]);
          for (const [a, b] of takes) expect(a).toEqual(b);
          for (const [a, b] of users) expect(a).toEqual(b);
        },
      ),
      { numRuns: 150 },
    );
  });

  it("should sort cells by user, then day, as the TypeScript counter does", () => {
    fc.assert(
      fc.property(fc.array(call, { minLength: 1, maxLength: 2_000 }), (calls) => {
        const native = createImportCounter();
        const script = createImportCounter({ native: false });
        for (const counter of [native, script]) {
          counter.addNames(NAMES);
          counter.count(columnsOf(calls), null, 0);
        }
        expect(orderOf(native)).toEqual(orderOf(script));
      }),
      { numRuns: 100 },
    );
  });

  it("should tell the first call of each messageId as HashSet96 does, across blocks and growth", () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.nat(400), { maxLength: 500 }), { minLength: 1, maxLength: 5 }),
        fc.integer({ min: 0, max: 64 }),
        (blocks, capacity) => {
          const native = firstIds(capacity);
          const script = new HashSet96(capacity);
          for (const ids of blocks) {
            // Hashes as hashMessageId gives them: three words, the first never 0.
            const hashes = new Uint32Array(ids.length * HASH_WORDS);
            ids.forEach((id, i) => {
              hashes[i * 3] = Math.imul(id + 1, 0x9e3779b1) >>> 0 || 1;
              hashes[i * 3 + 1] = id % 7;
              hashes[i * 3 + 2] = id;
            });
            const expected = Uint8Array.from(ids, (_, i) => (script.add(hashes, i * HASH_WORDS) ? 1 : 0));
            expect(native.firstOf(hashes, ids.length)).toEqual(expected);
          }
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe("messageId hashes read from a block (hashMessageIds) vs hashed while parsing", () => {
  const id = fc.oneof(
    fc.uuid(),
    fc.uuid().map((u) => u.toUpperCase()),
    fc.string({ minLength: 1, maxLength: 40 }),
    fc.string({ unit: "grapheme", minLength: 1, maxLength: 12 }),
  );
  const line = (messageId: string, i: number) =>
    JSON.stringify({
      type: i % 3 === 0 ? "page" : "track",
      messageId,
      userId: `u${i % 5}`,
      event: `e${i % 4}`,
      timestamp: "2026-11-02T10:00:00.000Z",
      properties: { i },
    });

  it("should give the hashes each parser computes, for every kind of messageId", () => {
    fc.assert(
      fc.property(
        fc.array(id, { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 60 }),
        (ids, size) => {
          const text = new TextEncoder().encode(ids.map(line).join("\n"));
          const opts = { receivedAt: "2026-11-02T10:00:00.000Z", blockSize: size, maxErrors: 10 };
          const script = new EventLineParser({ native: false }).parse(text, opts).blocks;
          const hashed = new EventLineParser().parse(text, opts).blocks;
          const unhashed = new EventLineParser().parse(text, { ...opts, hashIds: false }).blocks;
          expect(unhashed.map((b) => b.hashes.length)).toEqual(unhashed.map(() => 0));
          expect(unhashed.map((b) => Array.from(blockHashes(b)))).toEqual(
            hashed.map((b) => Array.from(b.hashes)),
          );
          // The TypeScript blocks decode the same, so their own bytes give their own hashes too.
          expect(script.map((b) => Array.from(blockHashes({ ...b, hashes: new Uint32Array(0) })))).toEqual(
            script.map((b) => Array.from(b.hashes)),
          );
        },
      ),
      { numRuns: 150 },
    );
  });

  it("should refuse bytes that are not a whole version 3 block", () => {
    const text = new TextEncoder().encode(line("m-1", 1));
    const [block] = new EventLineParser().parse(text, {
      receivedAt: "2026-11-02T10:00:00.000Z",
      blockSize: 10,
      maxErrors: 10,
    }).blocks;
    const payload = (block as { payload: Uint8Array }).payload;
    const native = nativeModule();
    expect(() => native?.hashMessageIds(payload.subarray(0, payload.length - 20))).toThrow(
      "not a whole version 3 event block",
    );
    expect(() => native?.hashMessageIds(new Uint8Array([2, 1, 0]))).toThrow(
      "not a whole version 3 event block",
    );
  });
});
