/** Latency samples (milliseconds) and their percentiles, for benches that time many small requests. */

import { cpus, loadavg } from "node:os";

/** The p-th percentile (0-100) of samples, nearest rank: p99 of 300 samples is the 297th smallest. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) throw new Error("percentile of no samples");
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1] as number;
}

/** p50 and p99 of samples. */
export interface Latency {
  n: number;
  p50: number;
  p99: number;
}

export function latency(samples: readonly number[]): Latency {
  return { n: samples.length, p50: percentile(samples, 50), p99: percentile(samples, 99) };
}

/** "1.23 ms" (two decimals under 10 ms, one above). */
export function formatMs(ms: number): string {
  return ms < 10 ? `${ms.toFixed(2)} ms` : `${ms.toFixed(1)} ms`;
}

/** The machine's load, printed with the figures: on a shared machine it explains a slow run. */
export function loadNote(): string {
  const [one, five] = loadavg();
  return `load average ${one?.toFixed(2)} (1 min), ${five?.toFixed(2)} (5 min) on ${cpus().length} cores`;
}
