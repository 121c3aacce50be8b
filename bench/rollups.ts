/**
 * `npm run bench -- rollups [--events N] [--runs R]`: the rollup write of a bulk import. The ingest bench's
 * events (bench/lib/events.ts: 5,000,000 calls, 20,000 users, 90 days, 25 event names) are counted in a
 * RollupCounter, then written into a fresh SQLite file in one transaction, as `importEventsFile` does.
 * Prints the write's wall and CPU seconds, and a second write of the same cells into the now full table
 * (every week read, merged and rewritten).
 */
import { rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { RollupCounter } from "@tenure/services";
import { openStorage } from "@tenure/storage";
import { assertKnownFlags, intFlag } from "./lib/args";
import { benchEvent, eventShape } from "./lib/events";
import type { BenchSuite } from "./lib/suite";
import { renderTable } from "./lib/table";
import { collectGarbage, formatSeconds, median, timeOnce } from "./lib/timing";

const REPO_ROOT = fileURLToPath(new URL("..", import.meta.url));
const DB_FILE = path.join(REPO_ROOT, "bench/.data/rollups.db");
const WORKSPACE = "default";

async function run(args: readonly string[]): Promise<number> {
  assertKnownFlags(args, ["events", "runs"]);
  const events = intFlag(args, "events", 5_000_000);
  const runs = intFlag(args, "runs", 3);
  const shape = eventShape(events);
  const counter = new RollupCounter();
  const counted = await timeOnce(() => {
    for (let i = shape.users; i < events; i++) {
      const e = benchEvent(shape, i);
      if (e.event !== null) counter.add(e.userId, e.day, e.event);
    }
  });
  console.log(`${events.toLocaleString("en-US")} events -> ${counter.size.toLocaleString("en-US")} cells`);
  const fresh: Array<{ seconds: number; cpu: number }> = [];
  const again: Array<{ seconds: number; cpu: number }> = [];
  for (let r = 0; r < runs; r++) {
    for (const suffix of ["", "-wal", "-shm"]) rmSync(DB_FILE + suffix, { force: true });
    const storage = await openStorage({ sqliteFile: DB_FILE });
    collectGarbage();
    // Handing out the cells is part of the write (the import does it in its flush).
    const write = () => storage.transaction((tx) => tx.usageRollups.addCells(WORKSPACE, counter.cells()));
    const first = await timeOnce(write);
    collectGarbage();
    const second = await timeOnce(write);
    fresh.push(first);
    again.push(second);
    console.log(
      `  run ${r + 1}/${runs}: fresh ${formatSeconds(first.seconds)} (cpu ${formatSeconds(first.cpu)}), ` +
        `into full table ${formatSeconds(second.seconds)} (cpu ${formatSeconds(second.cpu)})`,
    );
    await storage.close();
  }
  const row = (label: string, xs: Array<{ seconds: number; cpu: number }>) => [
    label,
    formatSeconds(median(xs.map((x) => x.seconds))),
    formatSeconds(median(xs.map((x) => x.cpu))),
  ];
  console.log(
    renderTable(
      ["rollup write (medians)", "wall", "cpu"],
      [
        ["count events in RollupCounter (once)", formatSeconds(counted.seconds), formatSeconds(counted.cpu)],
        row("write cells into a fresh SQLite file", fresh),
        row("add the same cells again (read-merge-write)", again),
      ],
    ),
  );
  return 0;
}

export const rollupsSuite: BenchSuite = {
  name: "rollups",
  description: "rollup write of the 5M-event bulk shape into SQLite (fresh and into existing weeks)",
  run,
};
