/** Minimal `--name value` flag parsing for bench suites. */

/**
 * Reads a positive integer flag (`--accounts 2000` or `--accounts=2000`); throws on a bad value.
 * `min` 0 also allows zero (e.g. `--http-runs 0` to skip a part).
 */
export function intFlag(args: readonly string[], name: string, fallback: number, min = 1): number {
  let raw: string | undefined;
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (a === `--${name}`) raw = args[i + 1];
    else if (a.startsWith(`--${name}=`)) raw = a.slice(name.length + 3);
  }
  if (raw === undefined) return fallback;
  const n = Number(raw.replaceAll("_", ""));
  if (!Number.isInteger(n) || n < min)
    throw new Error(`--${name} must be a whole number >= ${min}, got "${raw}"`);
  return n;
}

/**
 * Throws on any flag not in `known`, so a typo never silently runs the full-size bench. Flags in
 * `switches` take no value (`--engine-only`); the others take one.
 */
export function assertKnownFlags(
  args: readonly string[],
  known: readonly string[],
  switches: readonly string[] = [],
): void {
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    if (!a.startsWith("--")) throw new Error(`unexpected argument "${a}"`);
    const name = a.slice(2).split("=")[0]!;
    if (!known.includes(name) && !switches.includes(name)) {
      const all = [...known, ...switches];
      throw new Error(`unknown option --${name}; known: ${all.map((k) => `--${k}`).join(", ")}`);
    }
    if (!a.includes("=") && !switches.includes(name)) i++;
  }
}
