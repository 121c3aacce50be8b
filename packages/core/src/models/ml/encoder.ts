import { type Cell, type DataRow, isBlank, toCategory, toNumber } from "./table";

/** How one model feature is computed from a row. */
export type FeatureDef =
  | { kind: "numeric"; name: string; column: string; median: number; mean: number; std: number }
  | { kind: "missing"; name: string; column: string }
  | { kind: "level"; name: string; column: string; level: string }
  | { kind: "log"; name: string; column: string; median: number; mean: number; std: number }
  | { kind: "product"; name: string; columns: [string, string]; mean: number; std: number };

/** Feature layout learnt on training rows. Trees use the `base` features; the linear model uses all. */
export interface FeatureEncoder {
  features: FeatureDef[];
  /** Indices (into `features`) of the features the tree model sees: no logs or products. */
  base: number[];
}

export interface EncoderOptions {
  /** Add log1p of skewed non-negative numerics (linear model only). Default true. */
  logSkewed?: boolean;
  /** Add pairwise products (and squares) of up to this many numerics, most label-correlated first. Default 3. */
  interactionTop?: number;
  /** Levels seen fewer times than this are dropped (the row then has no level set). Default 1. */
  minLevelCount?: number;
  /** Columns whose effect must be monotone: they get no products (a square is not monotone). */
  monotone?: Readonly<Record<string, number>>;
}

/**
 * The sign each encoded feature's coefficient may take under `monotone` (column → +1 rising / −1
 * falling): the column's standardised value and its log share the column's sign; everything else
 * (missing flags, levels, products) is free (0).
 */
export function featureSigns(
  encoder: FeatureEncoder,
  monotone: Readonly<Record<string, number>> | undefined,
): Int8Array {
  return Int8Array.from(encoder.features, (d) =>
    monotone !== undefined && (d.kind === "numeric" || d.kind === "log")
      ? Math.sign(monotone[d.column] ?? 0)
      : 0,
  );
}

/** A design matrix: `n` rows × `p` columns, row-major. */
export interface Matrix {
  n: number;
  p: number;
  data: Float64Array;
}

function median(sorted: number[]): number {
  if (sorted.length === 0) return 0;
  const m = sorted.length >> 1;
  return sorted.length % 2 ? sorted[m]! : (sorted[m - 1]! + sorted[m]!) / 2;
}

function meanStd(values: ArrayLike<number>): { mean: number; std: number } {
  let s = 0;
  for (let i = 0; i < values.length; i++) s += values[i]!;
  const mean = values.length ? s / values.length : 0;
  let v = 0;
  for (let i = 0; i < values.length; i++) v += (values[i]! - mean) ** 2;
  const std = values.length ? Math.sqrt(v / values.length) : 0;
  return { mean, std: std > 1e-12 ? std : 1 };
}

function correlation(x: ArrayLike<number>, y: ArrayLike<number>): number {
  const a = meanStd(x);
  const b = meanStd(y);
  let s = 0;
  for (let i = 0; i < x.length; i++) s += (x[i]! - a.mean) * (y[i]! - b.mean);
  return x.length ? s / x.length / (a.std * b.std) : 0;
}

/** A column is numeric when every non-blank cell parses as a number (and at least one is present). */
function isNumericColumn(rows: readonly DataRow[], column: string): boolean {
  let seen = 0;
  for (const r of rows) {
    const v: Cell = r[column];
    if (isBlank(v)) continue;
    if (typeof v === "boolean" || Number.isNaN(toNumber(v))) return false;
    seen++;
  }
  return seen > 0;
}

/**
 * Learns the feature layout from training rows: numerics are standardised (blanks → training median,
 * plus a "was missing" indicator), categoricals are one-hot (blank is its own level).
 */
export function fitEncoder(
  rows: readonly DataRow[],
  columns: readonly string[],
  labels: ArrayLike<number>,
  options: EncoderOptions = {},
): FeatureEncoder {
  const { logSkewed = true, interactionTop = 3, minLevelCount = 1, monotone = {} } = options;
  const features: FeatureDef[] = [];
  const base: number[] = [];
  const numericCols: { column: string; imputed: Float64Array; median: number; distinct: number }[] = [];
  const extra: FeatureDef[] = [];
  for (const column of columns) {
    if (isNumericColumn(rows, column)) {
      const raw = rows.map((r) => toNumber(r[column]));
      const present = raw.filter((v) => !Number.isNaN(v)).sort((a, b) => a - b);
      const med = median(present);
      const imputed = Float64Array.from(raw, (v) => (Number.isNaN(v) ? med : v));
      const { mean, std } = meanStd(imputed);
      base.push(features.length);
      features.push({ kind: "numeric", name: column, column, median: med, mean, std });
      if (present.length < raw.length) {
        base.push(features.length);
        features.push({ kind: "missing", name: `${column} (missing)`, column });
      }
      const distinct = new Set(present).size;
      numericCols.push({ column, imputed, median: med, distinct });
      if (logSkewed && distinct > 10 && (present[0] ?? -1) >= 0 && skewness(imputed) > 0.75) {
        const logs = imputed.map((v) => Math.log1p(v));
        extra.push({ kind: "log", name: `log1p(${column})`, column, median: med, ...meanStd(logs) });
      }
    } else {
      const counts = new Map<string, number>();
      for (const r of rows) {
        const c = toCategory(r[column]);
        counts.set(c, (counts.get(c) ?? 0) + 1);
      }
      const levels = [...counts.entries()]
        .filter(([, n]) => n >= minLevelCount)
        .map(([l]) => l)
        .sort();
      for (const level of levels) {
        base.push(features.length);
        features.push({ kind: "level", name: `${column}=${level}`, column, level });
      }
    }
  }
  // Products of the numerics most correlated with the label: a cheap, generic non-linearity.
  const ranked = numericCols
    .filter((c) => c.distinct > 10 && !monotone[c.column])
    .map((c) => ({ ...c, score: Math.abs(correlation(c.imputed, labels)) }))
    .sort((a, b) => b.score - a.score || a.column.localeCompare(b.column))
    .slice(0, interactionTop);
  for (let i = 0; i < ranked.length; i++) {
    for (let j = i; j < ranked.length; j++) {
      const a = ranked[i]!;
      const b = ranked[j]!;
      const sa = meanStd(a.imputed);
      const sb = meanStd(b.imputed);
      const prod = a.imputed.map((v, k) => ((v - sa.mean) / sa.std) * ((b.imputed[k]! - sb.mean) / sb.std));
      const name = i === j ? `${a.column}²` : `${a.column} × ${b.column}`;
      extra.push({
        kind: "product",
        name,
        columns: [a.column, b.column],
        ...meanStd(prod),
      });
    }
  }
  features.push(...extra);
  return { features, base };
}

function skewness(values: Float64Array): number {
  const { mean, std } = meanStd(values);
  let s = 0;
  for (const v of values) s += ((v - mean) / std) ** 3;
  return values.length ? s / values.length : 0;
}

function numericValue(row: DataRow, column: string, med: number): number {
  const v = toNumber(row[column]);
  return Number.isNaN(v) ? med : v;
}

/** The value of every feature for one row (unseen categories simply set no level). */
export function encodeRow(encoder: FeatureEncoder, row: DataRow, out?: Float64Array): Float64Array {
  const f = encoder.features;
  const x = out ?? new Float64Array(f.length);
  const numeric = new Map<string, { median: number; mean: number; std: number }>();
  for (let j = 0; j < f.length; j++) {
    const d = f[j]!;
    switch (d.kind) {
      case "numeric":
        numeric.set(d.column, d);
        x[j] = (numericValue(row, d.column, d.median) - d.mean) / d.std;
        break;
      case "missing":
        x[j] = Number.isNaN(toNumber(row[d.column])) ? 1 : 0;
        break;
      case "level":
        x[j] = toCategory(row[d.column]) === d.level ? 1 : 0;
        break;
      case "log":
        x[j] = (Math.log1p(Math.max(0, numericValue(row, d.column, d.median))) - d.mean) / d.std;
        break;
      case "product": {
        const na = numeric.get(d.columns[0])!;
        const nb = numeric.get(d.columns[1])!;
        const za = (numericValue(row, d.columns[0], na.median) - na.mean) / na.std;
        const zb = (numericValue(row, d.columns[1], nb.median) - nb.mean) / nb.std;
        x[j] = (za * zb - d.mean) / d.std;
        break;
      }
    }
  }
  return x;
}

/** Encodes rows into the full (linear) design matrix. */
export function encodeRows(encoder: FeatureEncoder, rows: readonly DataRow[]): Matrix {
  const p = encoder.features.length;
  const data = new Float64Array(rows.length * p);
  for (let i = 0; i < rows.length; i++) encodeRow(encoder, rows[i]!, data.subarray(i * p, (i + 1) * p));
  return { n: rows.length, p, data };
}

/** Keeps the given columns of a matrix (the tree model's base features). */
export function selectColumns(m: Matrix, cols: readonly number[]): Matrix {
  const p = cols.length;
  const data = new Float64Array(m.n * p);
  for (let i = 0; i < m.n; i++) {
    const src = i * m.p;
    const dst = i * p;
    for (let j = 0; j < p; j++) data[dst + j] = m.data[src + cols[j]!]!;
  }
  return { n: m.n, p, data };
}
