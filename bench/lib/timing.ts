import { readFileSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";

/**
 * Wall-clock measurements: repeated runs, their median, min and max, plus this process's CPU time
 * (user + system), which stays meaningful when other processes compete for the cores.
 */

export interface Timing {
  /** Seconds of each measured run, in run order. */
  runs: number[];
  median: number;
  min: number;
  max: number;
  /** Median CPU seconds of this process per run (not including child processes). */
  cpuMedian: number;
}

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

/** Full garbage collection, run outside the clock so one run's garbage is not billed to the next. */
export function collectGarbage(): void {
  gc();
}

/** Median of a non-empty list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Summarises measured run times (seconds) and CPU times (seconds). */
export function summarise(runs: readonly number[], cpu: readonly number[]): Timing {
  return {
    runs: [...runs],
    median: median(runs),
    min: Math.min(...runs),
    max: Math.max(...runs),
    cpuMedian: median(cpu),
  };
}

/**
 * CPU seconds of this process's main thread alone (Linux /proc; NaN elsewhere). The process figure also
 * counts the collector's helper threads, which run beside the main thread: on an idle machine the
 * main thread's time is what the wall clock shows, whatever the load on the machine that measured it.
 */
export function mainThreadCpuSeconds(): number {
  try {
    const stat = readFileSync(`/proc/self/task/${process.pid}/stat`, "utf8");
    // Fields after the parenthesised command name: utime and stime are the 12th and 13th.
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** USER_HZ: Linux reports thread times in ticks of 1/100 s on every architecture Node runs on. */
const CLOCK_TICKS_PER_SECOND = 100;

/** Times `fn` once, in wall and CPU seconds, returning its result too. */
export async function timeOnce<T>(
  fn: () => T | Promise<T>,
): Promise<{ seconds: number; cpu: number; result: T }> {
  const cpuStart = process.cpuUsage();
  const start = performance.now();
  const result = await fn();
  const seconds = (performance.now() - start) / 1000;
  const used = process.cpuUsage(cpuStart);
  return { seconds, cpu: (used.user + used.system) / 1e6, result };
}

/**
 * Runs `fn` `warmups` times unmeasured, then `runs` times measured; `before` and a full GC run outside
 * the clock. `showCpu: false` for work done by another process (its CPU is not ours to measure).
 */
export async function timeRuns(
  fn: () => unknown,
  opts: { runs: number; warmups?: number; before?: () => unknown; label?: string; showCpu?: boolean },
): Promise<Timing> {
  for (let i = 0; i < (opts.warmups ?? 0); i++) {
    await opts.before?.();
    await fn();
  }
  const runs: number[] = [];
  const cpu: number[] = [];
  for (let i = 0; i < opts.runs; i++) {
    await opts.before?.();
    collectGarbage();
    const t = await timeOnce(fn);
    runs.push(t.seconds);
    cpu.push(t.cpu);
    if (opts.label) {
      const cpuNote = opts.showCpu === false ? "" : ` (cpu ${formatSeconds(t.cpu)})`;
      console.log(`  ${opts.label} run ${i + 1}/${opts.runs}: ${formatSeconds(t.seconds)}${cpuNote}`);
    }
  }
  return summarise(runs, cpu);
}

/** "0.412 s" / "12.3 s": three significant-ish decimals for short times. */
export function formatSeconds(s: number): string {
  return s < 10 ? `${s.toFixed(3)} s` : `${s.toFixed(1)} s`;
}

/** "median 0.412 s (min 0.401 s, max 0.430 s, 5 runs; cpu median 0.398 s)". */
export function formatTiming(t: Timing, withCpu = true): string {
  const cpu = withCpu ? `; cpu median ${formatSeconds(t.cpuMedian)}` : "";
  return `median ${formatSeconds(t.median)} (min ${formatSeconds(t.min)}, max ${formatSeconds(t.max)}, ${t.runs.length} runs${cpu})`;
}

/** "23.4×". */
export function formatRatio(r: number): string {
  return `${r >= 100 ? r.toFixed(0) : r.toFixed(1)}×`;
}
