import { readFile } from "node:fs/promises";
import path from "node:path";
import {
  type DataRow,
  type DataTable,
  type EvaluationReport,
  evaluateTable,
  TenureError,
} from "@tenure/core";
import { parse } from "csv-parse/sync";

/** Options of `evaluateCsvFile`: a labelled CSV, its label and id columns, and an optional split file. */
export interface EvaluateCsvOptions {
  csvPath: string;
  label: string;
  id: string;
  /** CSV of `id,split` with split = train | test; without it a seeded stratified 80/20 split. */
  splitPath?: string;
  seed?: number;
}

/** The evaluation report plus how long training and evaluation took. */
export interface EvaluateCsvResult extends EvaluationReport {
  file: string;
  seconds: number;
}

async function readCsv(file: string): Promise<string[][]> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch (err) {
    throw new TenureError("not_found", `cannot read ${file}: ${(err as Error).message}`, { file });
  }
  try {
    return parse(text, { bom: true, skip_empty_lines: true, relax_column_count: false }) as string[][];
  } catch (err) {
    throw new TenureError(
      "validation",
      `${path.basename(file)} is not a readable CSV file: ${(err as Error).message}`,
      {
        file,
      },
    );
  }
}

/** Reads a CSV with a header row into an in-memory table of strings. */
export async function readCsvTable(file: string): Promise<DataTable> {
  const [header, ...body] = await readCsv(file);
  if (!header || header.length === 0)
    throw new TenureError("validation", `${file} has no header row`, { file });
  const rows: DataRow[] = body.map((cells) => {
    const row: Record<string, string> = {};
    header.forEach((c, j) => {
      row[c] = cells[j] ?? "";
    });
    return row;
  });
  return { columns: header, rows };
}

/** Reads an `id,split` file (header row first; split is train or test, any case). */
export async function readSplitFile(file: string): Promise<Map<string, "train" | "test">> {
  const [header, ...body] = await readCsv(file);
  if (!header || header.length < 2)
    throw new TenureError("validation", `${file} must have two columns: id,split`, { file });
  const splitCol = Math.max(
    0,
    header.findIndex((h) => h.trim().toLowerCase() === "split"),
  );
  const idCol = splitCol === 0 ? 1 : 0;
  const split = new Map<string, "train" | "test">();
  body.forEach((cells, i) => {
    const line = i + 2;
    const id = (cells[idCol] ?? "").trim();
    const s = (cells[splitCol] ?? "").trim().toLowerCase();
    if (s !== "train" && s !== "test")
      throw new TenureError(
        "validation",
        `${path.basename(file)} line ${line}: split must be train or test, got "${cells[splitCol] ?? ""}"`,
        { file, row: line },
      );
    if (split.has(id))
      throw new TenureError("validation", `${path.basename(file)} line ${line}: id "${id}" appears twice`, {
        file,
        row: line,
      });
    split.set(id, s);
  });
  return split;
}

/** Trains and tests a churn-style classifier on a labelled CSV file (see `evaluateTable`). */
export async function evaluateCsvFile(options: EvaluateCsvOptions): Promise<EvaluateCsvResult> {
  const table = await readCsvTable(options.csvPath);
  const split = options.splitPath ? await readSplitFile(options.splitPath) : undefined;
  const started = performance.now();
  const report = evaluateTable({ table, label: options.label, id: options.id, split, seed: options.seed });
  return { file: options.csvPath, ...report, seconds: (performance.now() - started) / 1000 };
}
