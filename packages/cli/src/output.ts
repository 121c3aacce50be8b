import type { ReportTable } from "@tenure/services";
import { SingleBar } from "cli-progress";
import type { Io } from "./io";

// The commands' output helpers; main.ts imports ./io alone so that starting the CLI loads no more.
export { type Io, processIo, writeLine } from "./io";

/** Prints a column-aligned table; numbers are right-aligned. */
export function renderTable(table: ReportTable): string {
  const cells = table.rows.map((r) =>
    r.map((v) => (v === null ? "–" : typeof v === "number" ? formatNumber(v) : v)),
  );
  const widths = table.columns.map((c, i) => Math.max(c.length, ...cells.map((r) => (r[i] ?? "").length)));
  const numeric = table.columns.map((_, i) =>
    table.rows.every((r) => r[i] === null || typeof r[i] === "number"),
  );
  const line = (values: string[]) =>
    values
      .map((v, i) => (numeric[i] ? v.padStart(widths[i] ?? 0) : v.padEnd(widths[i] ?? 0)))
      .join("  ")
      .trimEnd();
  return [
    table.title,
    line(table.columns),
    widths.map((w) => "-".repeat(w)).join("  "),
    ...cells.map((r) => line(r)),
  ].join("\n");
}

function formatNumber(n: number): string {
  return Number.isInteger(n)
    ? n.toLocaleString("en-US")
    : n.toLocaleString("en-US", { maximumFractionDigits: 2 });
}

/** A progress bar on stderr for long work; silent when not interactive. */
export function progressBar(io: Io, label: string) {
  if (!io.interactive) return { update: (_d: number, _t: number) => {}, stop: () => {} };
  const bar = new SingleBar({
    format: `${label} [{bar}] {percentage}% | {value}/{total}`,
    stream: io.err as NodeJS.WriteStream,
    hideCursor: true,
  });
  let started = false;
  return {
    update(done: number, total: number) {
      if (!started) {
        bar.start(total, done);
        started = true;
      } else {
        bar.setTotal(total);
        bar.update(done);
      }
    },
    stop() {
      if (started) bar.stop();
    },
  };
}
