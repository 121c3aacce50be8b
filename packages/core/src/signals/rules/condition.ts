import type { SignalKind, SignalSeverity } from "../types";

/** Comparison of one metric. `between` is inclusive; `is_null`/`not_null` take no value. */
export type SignalConditionOp =
  | "gt"
  | "gte"
  | "lt"
  | "lte"
  | "eq"
  | "neq"
  | "between"
  | "is_null"
  | "not_null";
export const SIGNAL_CONDITION_OPS: readonly SignalConditionOp[] = [
  "gt",
  "gte",
  "lt",
  "lte",
  "eq",
  "neq",
  "between",
  "is_null",
  "not_null",
];

export interface SignalMetricCondition {
  metric: string;
  op: SignalConditionOp;
  value?: number;
  value2?: number;
}

/** A user rule's condition tree, built in the UI's condition builder (data, never code). */
export type SignalCondition =
  | { all: SignalCondition[] }
  | { any: SignalCondition[] }
  | { not: SignalCondition }
  | SignalMetricCondition;

/** A workspace-defined signal: when `when` holds on the account's metrics, raise a signal. */
export interface SignalRule {
  id: string;
  name: string;
  kind: SignalKind;
  severity: SignalSeverity;
  when: SignalCondition;
}

export const MAX_SIGNAL_CONDITION_DEPTH = 5;
export const MAX_SIGNAL_CONDITIONS = 50;
