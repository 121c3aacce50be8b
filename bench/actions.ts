/**
 * `npm run bench -- actions [part ...] [flags]`: the action loop's performance targets (issue 15,
 * section 15), each measured against its baseline in the same run. Parts live in bench/actions/
 * (parts.ts lists them); with no part named every part runs.
 */

import { ACTIONS_PARTS } from "./actions/parts";
import { assertKnownFlags } from "./lib/args";
import type { BenchSuite } from "./lib/suite";

async function run(args: readonly string[]): Promise<number> {
  // Part names are the bare words that are not a flag's value (`--jobs 1000`; `--jobs=1000` has none).
  const isValue = (i: number) => {
    const previous = args[i - 1];
    return previous?.startsWith("--") === true && !previous.includes("=");
  };
  const names = args.filter((a, i) => !a.startsWith("--") && !isValue(i));
  const flags = args.filter((a) => !names.includes(a));
  const unknown = names.filter((n) => !ACTIONS_PARTS.some((p) => p.name === n));
  if (unknown.length > 0) {
    console.error(
      `unknown actions part(s): ${unknown.join(", ")}; known: ${ACTIONS_PARTS.map((p) => p.name).join(", ")}`,
    );
    return 1;
  }
  const parts = names.length === 0 ? ACTIONS_PARTS : ACTIONS_PARTS.filter((p) => names.includes(p.name));
  assertKnownFlags(
    flags,
    parts.flatMap((p) => p.flags),
  );
  let ok = true;
  for (const part of parts) {
    console.log(`\n## actions: ${part.name} (${part.description})`);
    if (!(await part.run(flags))) ok = false;
  }
  return ok ? 0 : 1;
}

export const actionsSuite: BenchSuite = {
  name: "actions",
  description: "action loop: job queue vs graphile-worker, automations, task queries, effect report",
  run,
};
