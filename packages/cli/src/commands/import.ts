import { type ImportSummary, importFile } from "@tenure/services";
import type { Storage } from "@tenure/storage";
import { type Io, progressBar, writeLine } from "../output";

/** `tenure import KIND FILE`: validates every row, writes all or nothing, prints a summary. Exit 1 on bad rows. */
export async function importCommand(
  storage: Storage,
  args: {
    workspaceId: string;
    kind: string;
    file: string;
    allowPartial: boolean;
    json: boolean;
    /** Exchange rates are checked against it (TENURE_REPORTING_CURRENCY). */
    reportingCurrency?: string;
  },
  io: Io,
): Promise<number> {
  const bar = progressBar(io, `import ${args.kind}`);
  let summary: ImportSummary;
  try {
    summary = await importFile(storage, {
      workspaceId: args.workspaceId,
      kind: args.kind as ImportSummary["kind"],
      path: args.file,
      allowPartial: args.allowPartial,
      reportingCurrency: args.reportingCurrency,
      onProgress: (done, total) => bar.update(done, total),
    });
  } finally {
    bar.stop();
  }
  if (args.json) {
    writeLine(io.out, JSON.stringify(summary, null, 2));
  } else {
    printSummary(summary, io);
  }
  return summary.errors.length > 0 ? 1 : 0;
}

function printSummary(s: ImportSummary, io: Io) {
  const head = `${s.file}: ${s.rowsRead} ${s.kind} rows read`;
  if (s.written) {
    writeLine(io.out, `${head}; ${s.inserted} inserted, ${s.updated} updated, ${s.unchanged} unchanged.`);
  } else {
    writeLine(io.out, `${head}; nothing written because of ${s.errors.length} bad row(s).`);
  }
  if (s.createdAccounts.length > 0) {
    const shown = s.createdAccounts.slice(0, 10).join(", ");
    const more = s.createdAccounts.length > 10 ? ` and ${s.createdAccounts.length - 10} more` : "";
    writeLine(
      io.out,
      `Created ${s.createdAccounts.length} minimal account(s) that did not exist: ${shown}${more}.`,
    );
  }
  const shown = s.errors.slice(0, 50);
  for (const e of shown) {
    const where = `${e.file}:${e.row}${e.column ? ` column ${e.column}` : ""}`;
    writeLine(io.err, `  ${where}: ${e.reason}${e.value !== null ? ` (value "${e.value}")` : ""}`);
  }
  if (s.errors.length > shown.length)
    writeLine(io.err, `  ... and ${s.errors.length - shown.length} more errors`);
  const warned = s.warnings.slice(0, 50);
  for (const w of warned) {
    const where = `${w.file}:${w.row}${w.column ? ` column ${w.column}` : ""}`;
    writeLine(io.err, `  warning: ${where}: ${w.reason}`);
  }
  if (s.warnings.length > warned.length)
    writeLine(io.err, `  ... and ${s.warnings.length - warned.length} more warnings`);
  if (!s.written && s.errors.length > 0) {
    writeLine(io.err, "Fix the rows above and import again, or pass --allow-partial to write the good rows.");
  }
}
