import { readFile } from "node:fs/promises";
import path from "node:path";
import { type EffectEstimate, type EffectSample, estimateEffect, TenureError } from "@tenure/core";
import { openRecords } from "../import/parse-records";

/** Options of `estimateEffectFromCsv`: which columns hold the group, pre and post, and who is treated. */
export interface EstimateCsvOptions {
  file: string;
  /** Column naming each row's group. */
  group: string;
  /** Value of the group column that marks a treated row; every other value is control. */
  treated: string;
  /** Column of the metric at the start of the window; needed only with CUPED. */
  pre?: string;
  /** Column of the metric at the end of the window. */
  post: string;
  /** Default true. */
  cuped?: boolean;
}

/** The estimate plus the control group's values of the group column, as read from the file. */
export interface EstimateCsvResult extends EffectEstimate {
  file: string;
  cuped: boolean;
  controlValues: string[];
}

/** A number as written in a CSV cell: plain decimal or exponent notation, nothing else. */
function parseNumber(raw: unknown): number | null {
  const text = typeof raw === "string" ? raw.trim() : "";
  if (text === "" || !/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return null;
  const n = Number(text);
  return Number.isFinite(n) ? n : null;
}

/**
 * Reads a CSV of units (one row each, header first) and estimates the effect of the treated group
 * against every other row. Errors name the file's missing column, or the row (line) and column of a
 * value that is not a number; groups of fewer than 2 rows are refused by the estimator.
 */
export async function estimateEffectFromCsv(options: EstimateCsvOptions): Promise<EstimateCsvResult> {
  const cuped = options.cuped ?? true;
  const name = path.basename(options.file);
  if (cuped && !options.pre) {
    throw new TenureError("validation", "--pre is required with CUPED (give the pre column, or --no-cuped)", {
      field: "pre",
    });
  }
  let content: Uint8Array;
  try {
    content = await readFile(options.file);
  } catch (err) {
    throw new TenureError("not_found", `cannot read ${options.file}: ${(err as Error).message}`, {
      file: options.file,
    });
  }
  const records = openRecords(name, content, "csv");
  const treated: EffectSample[] = [];
  const control: EffectSample[] = [];
  const controlValues = new Set<string>();
  const groupValues = new Set<string>();
  let checkedColumns = false;
  for (const chunk of records.chunks()) {
    for (const { row, values } of chunk) {
      if (!checkedColumns) {
        checkColumns(name, Object.keys(values), options, cuped);
        checkedColumns = true;
      }
      const group = String(values[options.group] ?? "").trim();
      if (group === "") {
        throw new TenureError(
          "validation",
          `${name} row ${row}, column "${options.group}": the group is empty`,
          {
            row,
            column: options.group,
          },
        );
      }
      const number = (column: string): number => {
        const n = parseNumber(values[column]);
        if (n === null) {
          throw new TenureError(
            "validation",
            `${name} row ${row}, column "${column}": "${String(values[column] ?? "")}" is not a number`,
            { row, column, value: values[column] },
          );
        }
        return n;
      };
      const sample = {
        pre: cuped && options.pre ? number(options.pre) : Number.NaN,
        post: number(options.post),
      };
      groupValues.add(group);
      if (group === options.treated) treated.push(sample);
      else {
        control.push(sample);
        controlValues.add(group);
      }
    }
  }
  const issue = records.issues[0];
  if (issue) {
    throw new TenureError(
      "validation",
      issue.row > 0 ? `${name} row ${issue.row}: ${issue.reason}` : issue.reason,
      {
        row: issue.row,
      },
    );
  }
  if (treated.length === 0) {
    const seen = [...groupValues].slice(0, 10).join(", ");
    throw new TenureError(
      "validation",
      `no row of ${name} has "${options.treated}" in column "${options.group}" (values seen: ${seen})`,
      { column: options.group, value: options.treated },
    );
  }
  const estimate = estimateEffect({ treated, control, cuped });
  return { ...estimate, file: options.file, cuped, controlValues: [...controlValues].sort() };
}

function checkColumns(file: string, header: string[], options: EstimateCsvOptions, cuped: boolean): void {
  const wanted: [string, string | undefined][] = [
    ["--group", options.group],
    ["--post", options.post],
    ["--pre", cuped ? options.pre : undefined],
  ];
  for (const [flag, column] of wanted) {
    if (column !== undefined && !header.includes(column)) {
      throw new TenureError(
        "validation",
        `${file} has no column "${column}" (${flag}); its columns are: ${header.join(", ")}`,
        { column, field: flag },
      );
    }
  }
}
