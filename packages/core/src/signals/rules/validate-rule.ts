import { z } from "zod";
import { TenureError } from "../../errors";
import { SIGNAL_KINDS, SIGNAL_SEVERITIES } from "../types";
import {
  MAX_SIGNAL_CONDITION_DEPTH,
  MAX_SIGNAL_CONDITIONS,
  SIGNAL_CONDITION_OPS,
  type SignalCondition,
  type SignalRule,
} from "./condition";

export interface SignalRuleIssue {
  /** Dotted path into the rule, e.g. "when.all[1].metric". */
  path: string;
  message: string;
}

export type SignalRuleCheck = { ok: true; rule: SignalRule } | { ok: false; issues: SignalRuleIssue[] };

const envelopeSchema = z
  .object({
    id: z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/, "must be 1-64 letters, digits, '_' or '-'"),
    name: z.string().trim().min(1, "must not be empty").max(200),
    kind: z.enum(SIGNAL_KINDS as [string, ...string[]]),
    severity: z.enum(SIGNAL_SEVERITIES as [string, ...string[]]),
    when: z.unknown(),
  })
  .strict();

const groupSchemas = {
  all: z.object({ all: z.array(z.unknown()).min(1, "needs at least one condition") }).strict(),
  any: z.object({ any: z.array(z.unknown()).min(1, "needs at least one condition") }).strict(),
};
const notSchema = z.object({ not: z.unknown() }).strict();

const leafSchema = z
  .object({
    metric: z.string().min(1, "must not be empty"),
    op: z.enum(SIGNAL_CONDITION_OPS as [string, ...string[]]),
    value: z.number().finite().optional(),
    value2: z.number().finite().optional(),
  })
  .strict()
  .superRefine((c, ctx) => {
    if (c.op === "is_null" || c.op === "not_null") {
      if (c.value !== undefined)
        ctx.addIssue({ code: "custom", path: ["value"], message: `not allowed with "${c.op}"` });
      if (c.value2 !== undefined)
        ctx.addIssue({ code: "custom", path: ["value2"], message: `not allowed with "${c.op}"` });
      return;
    }
    if (c.value === undefined)
      ctx.addIssue({ code: "custom", path: ["value"], message: `required with "${c.op}"` });
    if (c.op === "between") {
      if (c.value2 === undefined)
        ctx.addIssue({ code: "custom", path: ["value2"], message: 'required with "between"' });
      else if (c.value !== undefined && c.value2 < c.value)
        ctx.addIssue({ code: "custom", path: ["value2"], message: "must be ≥ value" });
    } else if (c.value2 !== undefined) {
      ctx.addIssue({ code: "custom", path: ["value2"], message: 'only allowed with "between"' });
    }
  });

type Path = (string | number)[];

function formatPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else out += out === "" ? String(p) : `.${String(p)}`;
  }
  return out || "(root)";
}

interface WalkState {
  issues: SignalRuleIssue[];
  count: number;
  known: ReadonlySet<string> | null;
}

function addZodIssues(state: WalkState, base: Path, error: z.ZodError): void {
  for (const i of error.issues)
    state.issues.push({ path: formatPath([...base, ...i.path]), message: i.message });
}

function walk(node: unknown, path: Path, depth: number, state: WalkState): void {
  state.count++;
  if (state.count === MAX_SIGNAL_CONDITIONS + 1) {
    state.issues.push({
      path: formatPath(path),
      message: `too many conditions (at most ${MAX_SIGNAL_CONDITIONS})`,
    });
  }
  if (depth > MAX_SIGNAL_CONDITION_DEPTH) {
    state.issues.push({
      path: formatPath(path),
      message: `nested too deep (at most ${MAX_SIGNAL_CONDITION_DEPTH} levels)`,
    });
    return;
  }
  if (typeof node !== "object" || node === null || Array.isArray(node)) {
    state.issues.push({ path: formatPath(path), message: "expected a condition object" });
    return;
  }
  for (const key of ["all", "any"] as const) {
    if (key in node) {
      const r = groupSchemas[key].safeParse(node);
      if (!r.success) {
        addZodIssues(state, path, r.error);
        return;
      }
      const children = (r.data as Record<string, unknown[]>)[key] ?? [];
      children.forEach((child, i) => {
        walk(child, [...path, key, i], depth + 1, state);
      });
      return;
    }
  }
  if ("not" in node) {
    const r = notSchema.safeParse(node);
    if (!r.success) {
      addZodIssues(state, path, r.error);
      return;
    }
    walk(r.data.not, [...path, "not"], depth + 1, state);
    return;
  }
  if (!("metric" in node)) {
    state.issues.push({ path: formatPath(path), message: 'expected one of "all", "any", "not" or "metric"' });
    return;
  }
  const r = leafSchema.safeParse(node);
  if (!r.success) {
    addZodIssues(state, path, r.error);
    return;
  }
  if (state.known !== null && !state.known.has(r.data.metric)) {
    state.issues.push({
      path: formatPath([...path, "metric"]),
      message: `unknown metric "${r.data.metric}"`,
    });
  }
}

/**
 * Checks a user rule (untrusted JSON) and lists every problem with its path. `knownMetrics` are the
 * metric keys the workspace's contexts carry; pass null to skip that check.
 */
export function checkSignalRule(input: unknown, knownMetrics: readonly string[] | null): SignalRuleCheck {
  const env = envelopeSchema.safeParse(input);
  const state: WalkState = {
    issues: [],
    count: 0,
    known: knownMetrics === null ? null : new Set(knownMetrics),
  };
  if (!env.success) addZodIssues(state, [], env.error);
  const when =
    typeof input === "object" && input !== null ? (input as Record<string, unknown>).when : undefined;
  if (when !== undefined) walk(when, ["when"], 1, state);
  if (state.issues.length > 0) return { ok: false, issues: state.issues };
  return { ok: true, rule: input as SignalRule };
}

/** Validates a user rule, throwing TenureError("validation") whose message names the first bad path. */
export function parseSignalRule(input: unknown, knownMetrics: readonly string[] | null): SignalRule {
  const r = checkSignalRule(input, knownMetrics);
  if (r.ok) return structuredCloneRule(r.rule);
  const first = r.issues[0];
  const more = r.issues.length > 1 ? ` (and ${r.issues.length - 1} more)` : "";
  throw new TenureError("validation", `Invalid signal rule: ${first?.path}: ${first?.message}${more}`, {
    issues: r.issues,
  });
}

/** Zod schema for HTTP bodies and stored rows: the same checks as checkSignalRule, issues at their paths. */
export function signalRuleSchema(knownMetrics: readonly string[] | null): z.ZodType<SignalRule> {
  return z.unknown().transform((input, ctx) => {
    const r = checkSignalRule(input, knownMetrics);
    if (r.ok) return structuredCloneRule(r.rule);
    for (const i of r.issues) ctx.addIssue({ code: "custom", message: `${i.path}: ${i.message}` });
    return z.NEVER;
  }) as unknown as z.ZodType<SignalRule>;
}

// A copy with only known keys, so later mutation of the input cannot change a validated rule.
function structuredCloneRule(rule: SignalRule): SignalRule {
  return {
    id: rule.id,
    name: rule.name.trim(),
    kind: rule.kind,
    severity: rule.severity,
    when: cloneCondition(rule.when),
  };
}

function cloneCondition(c: SignalCondition): SignalCondition {
  if ("all" in c) return { all: c.all.map(cloneCondition) };
  if ("any" in c) return { any: c.any.map(cloneCondition) };
  if ("not" in c) return { not: cloneCondition(c.not) };
  const out: SignalCondition = { metric: c.metric, op: c.op };
  if (c.value !== undefined) out.value = c.value;
  if (c.value2 !== undefined) out.value2 = c.value2;
  return out;
}
