import { readFile } from "node:fs/promises";
import path from "node:path";
import { TenureError } from "@tenure/core";
import type { Storage } from "@tenure/storage";
import { refreshAccountRows } from "../accounts/account-list-store";
import { DEFAULT_IMPORT_CURRENCY } from "./currencies";
import type { KindDefinition } from "./kind-definition";
import { withKind } from "./kinds";
import { openRecords } from "./parse-records";
import {
  IMPORT_KINDS,
  type ImportDataInput,
  type ImportFileInput,
  type ImportFormat,
  type ImportIssue,
  type ImportSummary,
} from "./types";
import { createRowValidator } from "./validate-rows";

/**
 * Validates and imports one file's content in one transaction. Without `allowPartial`, any bad row
 * means nothing is written; re-importing the same content reports every row unchanged.
 */
export async function importData(storage: Storage, input: ImportDataInput): Promise<ImportSummary> {
  if (!IMPORT_KINDS.includes(input.kind)) {
    throw new TenureError(
      "validation",
      `unknown import kind "${input.kind}" (expected ${IMPORT_KINDS.join(", ")})`,
    );
  }
  return withKind(input.kind, (def) => importWith(def, storage, input));
}

/** Reads `path` and imports it; the format comes from the extension (.csv, .json, .jsonl) or the content. */
export async function importFile(storage: Storage, input: ImportFileInput): Promise<ImportSummary> {
  let content: Buffer;
  try {
    content = await readFile(input.path);
  } catch (error) {
    throw new TenureError("not_found", `cannot read ${input.path}: ${(error as Error).message}`);
  }
  const { path: filePath, ...rest } = input;
  return importData(storage, {
    ...rest,
    fileName: path.basename(filePath),
    content,
    format: input.format ?? formatFromExtension(filePath),
  });
}

/** Format implied by a file name, or undefined to sniff the content. */
export function formatFromExtension(fileName: string): ImportFormat | undefined {
  const ext = path.extname(fileName).toLowerCase();
  if (ext === ".csv") return "csv";
  if (ext === ".json" || ext === ".jsonl" || ext === ".ndjson") return "json";
  return undefined;
}

async function importWith<T>(
  def: KindDefinition<T>,
  storage: Storage,
  input: ImportDataInput,
): Promise<ImportSummary> {
  const file = input.fileName;
  const source = openRecords(file, input.content, input.format);
  const validator = createRowValidator(def, file);
  let rowsRead = 0;
  input.onProgress?.(0, source.total, "read");
  // Parse and validate 1,000 rows at a time so raw records never pile up in memory.
  for (const chunk of source.chunks()) {
    validator.add(chunk);
    rowsRead += chunk.length;
    input.onProgress?.(rowsRead, source.total, "read");
  }
  let rows = validator.rows;
  const reviewed = { errors: [] as ImportIssue[], warnings: [] as ImportIssue[] };
  if (def.review !== undefined && rows.length > 0) {
    const ctx = {
      workspaceId: input.workspaceId,
      file,
      reportingCurrency: input.reportingCurrency ?? DEFAULT_IMPORT_CURRENCY,
    };
    const columnOf = (i: number, canonical: string) => validator.sources[i]?.[canonical] ?? canonical;
    const r = await def.review(storage, ctx, rows, validator.rowNumbers, columnOf);
    reviewed.errors = r.errors;
    reviewed.warnings = r.warnings;
    if (r.errors.length > 0) {
      const badRows = new Set(r.errors.map((e) => e.row));
      rows = rows.filter((_, i) => !badRows.has(validator.rowNumbers[i] as number));
    }
  }
  const errors = [...source.issues, ...validator.issues, ...reviewed.errors].sort((a, b) => a.row - b.row);
  const summary: ImportSummary = {
    kind: def.kind,
    file,
    format: source.format,
    rowsRead,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    createdAccounts: [],
    errors,
    warnings: reviewed.warnings,
    written: false,
  };
  const canWrite = rows.length > 0 && (errors.length === 0 || input.allowPartial === true);
  if (!canWrite) return summary;

  const onWrite = (done: number, total: number) => input.onProgress?.(done, total, "write");
  const { result, createdAccounts, listed } = await storage.transaction(async (tx) => {
    const accountIdOf = def.accountIdOf;
    const created =
      accountIdOf === undefined
        ? []
        : await tx.accounts.ensureMinimal(input.workspaceId, rows.map(accountIdOf));
    const listedBefore =
      def.listedAccounts === undefined
        ? created
        : def.listedAccounts === "all"
          ? null
          : await def.listedAccounts(tx, input.workspaceId, rows);
    const result = await def.write(tx, input.workspaceId, rows, onWrite);
    return { result, createdAccounts: created, listed: listedBefore };
  });
  onWrite(rows.length, rows.length);
  await refreshAccountRows(storage, input.workspaceId, listed);
  return { ...summary, ...result, createdAccounts, written: true };
}
