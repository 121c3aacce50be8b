import { TenureError } from "../../errors";
import type { TrainedClassifier } from "../ml/classifier";

type Tagged = { $f64: Array<number | string> } | { $i32: number[] };

const num = (v: number): number | string => (Number.isFinite(v) ? v : String(v));

/** A trained classifier as plain JSON (typed arrays tagged, ±Infinity/NaN as strings). */
export function classifierToJson(model: TrainedClassifier): unknown {
  return JSON.parse(
    JSON.stringify(model, (_key, v: unknown) => {
      if (v instanceof Float64Array) return { $f64: Array.from(v, num) } satisfies Tagged;
      if (v instanceof Int32Array) return { $i32: Array.from(v) } satisfies Tagged;
      if (typeof v === "number" && !Number.isFinite(v)) return { $num: String(v) };
      return v;
    }),
  );
}

function revive(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(revive);
  if (v === null || typeof v !== "object") return v;
  const o = v as Record<string, unknown>;
  if (Array.isArray(o.$f64)) return Float64Array.from(o.$f64 as Array<number | string>, (x) => Number(x));
  if (Array.isArray(o.$i32)) return Int32Array.from(o.$i32 as number[]);
  if (typeof o.$num === "string") return Number(o.$num);
  const out: Record<string, unknown> = {};
  for (const [k, x] of Object.entries(o)) out[k] = revive(x);
  return out;
}

/** Reads a classifier written by `classifierToJson`. */
export function classifierFromJson(json: unknown): TrainedClassifier {
  const m = revive(json) as Partial<TrainedClassifier> | null;
  if (
    m === null ||
    typeof m !== "object" ||
    !m.encoder ||
    !m.logistic ||
    !(m.logistic.coefficients instanceof Float64Array)
  )
    throw new TenureError("validation", "not a stored classifier");
  return m as TrainedClassifier;
}
