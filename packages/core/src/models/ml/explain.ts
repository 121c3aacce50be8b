import type { TrainedClassifier } from "./classifier";
import { encodeRow } from "./encoder";
import { gbtContributions } from "./gbt";
import type { Cell, DataRow } from "./table";

/** One reason behind a prediction: a column and its push on the log-odds. */
export interface PredictionReason {
  /** Column name (products of two columns are shared between them). */
  feature: string;
  /** The row's value of that column. */
  value: Cell;
  /** Contribution to the log-odds; positive raises the predicted probability. */
  contribution: number;
}

/**
 * Per-row feature contributions, grouped by source column and sorted by |contribution|.
 * Logistic: coefficient × standardised value; trees: path attribution (Saabas);
 * blends weight the two by the logistic weight. Units are log-odds (approximate for blends).
 * Example: explainPrediction(model, { tenure: "2", Contract: "Month-to-month" }, 3)
 */
export function explainPrediction(model: TrainedClassifier, row: DataRow, top = 5): PredictionReason[] {
  const { features, base } = model.encoder;
  const x = encodeRow(model.encoder, row);
  const byGroup = new Map<string, { value: Cell; contribution: number }>();
  const add = (group: string, value: Cell, c: number) => {
    const g = byGroup.get(group);
    if (g) g.contribution += c;
    else byGroup.set(group, { value, contribution: c });
  };
  const groupOf = (j: number): [string, Cell] => {
    const d = features[j]!;
    if (d.kind === "product") return [d.columns[0], row[d.columns[0]] ?? null];
    return [d.column, row[d.column] ?? null];
  };
  const w = model.gbt ? model.logisticWeight : 1;
  if (w > 0) {
    for (let j = 0; j < features.length; j++) {
      const d = features[j]!;
      const c = w * model.logistic.coefficients[j]! * x[j]!;
      // A product's push is shared by its two columns (a square's all goes to its one): a reason is
      // always one column a person can read, never "a × b".
      if (d.kind === "product" && d.columns[0] !== d.columns[1]) {
        add(d.columns[0], row[d.columns[0]] ?? null, c / 2);
        add(d.columns[1], row[d.columns[1]] ?? null, c / 2);
        continue;
      }
      const [g, v] = groupOf(j);
      add(g, v, c);
    }
  }
  if (model.gbt && w < 1) {
    const xb = Float64Array.from(base, (j) => x[j]!);
    const c = gbtContributions(model.gbt, xb, base.length);
    for (let k = 0; k < base.length; k++) {
      const [g, v] = groupOf(base[k]!);
      add(g, v, (1 - w) * c[k]!);
    }
  }
  return [...byGroup.entries()]
    .map(([feature, { value, contribution }]) => ({ feature, value, contribution }))
    .filter((r) => r.contribution !== 0)
    .sort((a, b) => Math.abs(b.contribution) - Math.abs(a.contribution) || a.feature.localeCompare(b.feature))
    .slice(0, top);
}

/** Mean |contribution| per column over rows: a global "top features" ranking. */
export function featureImportance(
  model: TrainedClassifier,
  rows: readonly DataRow[],
  top = 10,
): { feature: string; importance: number }[] {
  const sum = new Map<string, number>();
  for (const row of rows) {
    for (const r of explainPrediction(model, row, Number.POSITIVE_INFINITY)) {
      sum.set(r.feature, (sum.get(r.feature) ?? 0) + Math.abs(r.contribution));
    }
  }
  return [...sum.entries()]
    .map(([feature, s]) => ({ feature, importance: rows.length ? s / rows.length : 0 }))
    .sort((a, b) => b.importance - a.importance || a.feature.localeCompare(b.feature))
    .slice(0, top);
}
