import { signalDedupKey } from "../format";
import { signalTextEn } from "../signal-messages";
import type { DetectedSignal, SignalContext, SignalEvidence } from "../types";
import type { SignalCondition, SignalMetricCondition, SignalRule } from "./condition";

type Metrics = Readonly<Record<string, number | null>>;

function metricValue(metrics: Metrics, name: string): number | null {
  // Own properties only: a metric named "constructor" must not read the prototype.
  if (!Object.hasOwn(metrics, name)) return null;
  const v = metrics[name];
  return typeof v === "number" && !Number.isNaN(v) ? v : null;
}

function testLeaf(c: SignalMetricCondition, metrics: Metrics): boolean {
  const v = metricValue(metrics, c.metric);
  if (c.op === "is_null") return v === null;
  if (c.op === "not_null") return v !== null;
  // A missing value or threshold makes a comparison false, never an error.
  if (v === null || c.value === undefined) return false;
  switch (c.op) {
    case "gt":
      return v > c.value;
    case "gte":
      return v >= c.value;
    case "lt":
      return v < c.value;
    case "lte":
      return v <= c.value;
    case "eq":
      return v === c.value;
    case "neq":
      return v !== c.value;
    case "between":
      return c.value2 !== undefined && v >= c.value && v <= c.value2;
    default:
      return false;
  }
}

/** Evaluates a condition tree over metric values: a plain recursive interpreter, no code evaluation. */
export function evaluateSignalCondition(cond: SignalCondition, metrics: Metrics): boolean {
  if ("all" in cond) {
    for (const c of cond.all) if (!evaluateSignalCondition(c, metrics)) return false;
    return true;
  }
  if ("any" in cond) {
    for (const c of cond.any) if (evaluateSignalCondition(c, metrics)) return true;
    return false;
  }
  if ("not" in cond) return !evaluateSignalCondition(cond.not, metrics);
  return testLeaf(cond, metrics);
}

/** Metric names a condition reads, in first-seen order. */
export function signalConditionMetrics(cond: SignalCondition, out: string[] = []): string[] {
  if ("all" in cond) for (const c of cond.all) signalConditionMetrics(c, out);
  else if ("any" in cond) for (const c of cond.any) signalConditionMetrics(c, out);
  else if ("not" in cond) signalConditionMetrics(cond.not, out);
  else if (!out.includes(cond.metric)) out.push(cond.metric);
  return out;
}

const OP_TEXT: Record<string, string> = { gt: ">", gte: "≥", lt: "<", lte: "≤", eq: "=", neq: "≠" };

/** Human-readable form of a condition, e.g. "seats_pct > 90 and not (nps is empty)". */
export function describeSignalCondition(cond: SignalCondition): string {
  if ("all" in cond) return describeGroup(cond.all, " and ");
  if ("any" in cond) return describeGroup(cond.any, " or ");
  if ("not" in cond) return `not ${describeSignalCondition(cond.not)}`;
  if (cond.op === "is_null") return `${cond.metric} is empty`;
  if (cond.op === "not_null") return `${cond.metric} is set`;
  if (cond.op === "between") return `${cond.metric} between ${cond.value} and ${cond.value2}`;
  return `${cond.metric} ${OP_TEXT[cond.op] ?? cond.op} ${cond.value}`;
}

function describeGroup(parts: readonly SignalCondition[], joiner: string): string {
  if (parts.length === 1 && parts[0]) return describeSignalCondition(parts[0]);
  return `(${parts.map(describeSignalCondition).join(joiner)})`;
}

// Per rule object: the metric list does not change between accounts.
const ruleMetricsCache = new WeakMap<SignalRule, string[]>();

function ruleMetrics(rule: SignalRule): string[] {
  let metrics = ruleMetricsCache.get(rule);
  if (metrics === undefined) {
    metrics = signalConditionMetrics(rule.when);
    ruleMetricsCache.set(rule, metrics);
  }
  return metrics;
}

/** The signal a user rule raises on this context, or null when its condition does not hold. */
export function evaluateSignalRule(rule: SignalRule, ctx: SignalContext): DetectedSignal | null {
  if (!evaluateSignalCondition(rule.when, ctx.metrics)) return null;
  const evidence: SignalEvidence = {};
  for (const m of ruleMetrics(rule)) {
    const v = metricValue(ctx.metrics, m);
    evidence[m] = v;
  }
  return {
    type: `rule:${rule.id}`,
    kind: rule.kind,
    severity: rule.severity,
    ...signalTextEn(`rule:${rule.id}`, evidence, rule.name),
    evidence,
    dedupKey: signalDedupKey(`rule:${rule.id}`, ctx.accountId),
  };
}
