import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isTenureError } from "../errors";
import { detectSignals } from "./detect-signals";
import {
  SIGNAL_CONDITION_OPS,
  type SignalCondition,
  type SignalConditionOp,
  type SignalRule,
} from "./rules/condition";
import { describeSignalCondition, evaluateSignalCondition, evaluateSignalRule } from "./rules/evaluate-rule";
import { checkSignalRule, parseSignalRule, signalRuleSchema } from "./rules/validate-rule";
import { quietContext } from "./test-fixtures";

const KNOWN = ["seats_pct", "nps", "mrr", "tickets_4w", "active_users_4w"];

const rule = (when: unknown, extra: Record<string, unknown> = {}) => ({
  id: "big-and-unhappy",
  name: "Big and unhappy",
  kind: "risk",
  severity: "high",
  when,
  ...extra,
});

function messageOf(fn: () => unknown): string {
  try {
    fn();
  } catch (err) {
    if (isTenureError(err, "validation")) return err.message;
    throw err;
  }
  throw new Error("expected a validation error");
}

describe("parseSignalRule", () => {
  it("should accept a nested all/any/not rule over known metrics", () => {
    const r = parseSignalRule(
      rule({
        all: [
          { metric: "mrr", op: "gte", value: 5000 },
          {
            any: [
              { metric: "nps", op: "lte", value: 6 },
              { not: { metric: "tickets_4w", op: "lt", value: 10 } },
            ],
          },
        ],
      }),
      KNOWN,
    );
    expect(r.id).toBe("big-and-unhappy");
  });

  it("should name the path of an unknown metric", () => {
    const msg = messageOf(() =>
      parseSignalRule(
        rule({
          all: [
            { metric: "mrr", op: "gt", value: 1 },
            { metric: "revenue", op: "gt", value: 1 },
          ],
        }),
        KNOWN,
      ),
    );
    expect(msg).toBe('Invalid signal rule: when.all[1].metric: unknown metric "revenue"');
  });

  it("should name the path of a missing value and a bad operator", () => {
    const r = checkSignalRule(
      rule({ any: [{ metric: "mrr", op: "gt" }, { not: { metric: "nps", op: "like", value: 1 } }] }),
      KNOWN,
    );
    expect(r.ok).toBe(false);
    if (r.ok) return;
    expect(r.issues.map((i) => i.path)).toEqual(["when.any[0].value", "when.any[1].not.op"]);
    expect(r.issues[0]?.message).toBe('required with "gt"');
  });

  it("should require value2 ≥ value for between and forbid values for is_null", () => {
    const r = checkSignalRule(
      rule({
        all: [
          { metric: "mrr", op: "between", value: 10, value2: 5 },
          { metric: "nps", op: "is_null", value: 1 },
        ],
      }),
      KNOWN,
    );
    expect(r.ok ? [] : r.issues).toEqual([
      { path: "when.all[0].value2", message: "must be ≥ value" },
      { path: "when.all[1].value", message: 'not allowed with "is_null"' },
    ]);
  });

  it("should reject envelope problems with their field names", () => {
    const r = checkSignalRule(
      { id: "bad id!", name: "", kind: "doom", severity: "high", when: { all: [] } },
      KNOWN,
    );
    expect(r.ok ? [] : r.issues.map((i) => i.path)).toEqual(["id", "name", "kind", "when.all"]);
  });

  it("should reject nesting deeper than 5 levels", () => {
    let when: unknown = { metric: "mrr", op: "gt", value: 0 };
    for (let i = 0; i < 5; i++) when = { not: when };
    const msg = messageOf(() => parseSignalRule(rule(when), KNOWN));
    expect(msg).toBe("Invalid signal rule: when.not.not.not.not.not: nested too deep (at most 5 levels)");
  });

  it("should reject more than 50 conditions", () => {
    const leaves = Array.from({ length: 50 }, () => ({ metric: "mrr", op: "gt", value: 0 }));
    const msg = messageOf(() => parseSignalRule(rule({ any: leaves }), KNOWN));
    expect(msg).toContain("too many conditions (at most 50)");
    expect(() => parseSignalRule(rule({ any: leaves.slice(1) }), KNOWN)).not.toThrow();
  });

  it("should reject code-like input instead of running it", () => {
    const r = checkSignalRule(rule({ metric: "mrr", op: "gt", value: "process.exit(1)" }), KNOWN);
    expect(r.ok).toBe(false);
  });

  it("should report the same issues through the zod schema", () => {
    const res = signalRuleSchema(KNOWN).safeParse(rule({ metric: "nope", op: "gt", value: 1 }));
    expect(res.success).toBe(false);
    expect(res.error?.issues[0]?.message).toBe('when.metric: unknown metric "nope"');
    expect(signalRuleSchema(KNOWN).parse(rule({ metric: "mrr", op: "gt", value: 1 })).when).toEqual({
      metric: "mrr",
      op: "gt",
      value: 1,
    });
  });
});

describe("evaluateSignalCondition", () => {
  const metrics = { mrr: 8000, nps: 4, tickets_4w: 12, seats_pct: null };

  it("should combine all, any and not", () => {
    const when: SignalCondition = {
      all: [
        { metric: "mrr", op: "between", value: 5000, value2: 10000 },
        {
          any: [
            { metric: "nps", op: "gt", value: 8 },
            { not: { metric: "tickets_4w", op: "lt", value: 10 } },
          ],
        },
      ],
    };
    expect(evaluateSignalCondition(when, metrics)).toBe(true);
    expect(evaluateSignalCondition(when, { ...metrics, tickets_4w: 3 })).toBe(false);
  });

  it("should treat a missing or null metric as false, not an error", () => {
    expect(evaluateSignalCondition({ metric: "seats_pct", op: "gt", value: 0 }, metrics)).toBe(false);
    expect(evaluateSignalCondition({ metric: "absent", op: "lte", value: 0 }, metrics)).toBe(false);
    expect(evaluateSignalCondition({ metric: "seats_pct", op: "is_null" }, metrics)).toBe(true);
    expect(evaluateSignalCondition({ metric: "constructor", op: "not_null" }, metrics)).toBe(false);
  });

  it("should describe a condition in words", () => {
    expect(
      describeSignalCondition({
        all: [{ metric: "mrr", op: "gte", value: 5000 }, { not: { metric: "nps", op: "is_null" } }],
      }),
    ).toBe("(mrr ≥ 5000 and not nps is empty)");
  });
});

describe("user rules in detectSignals", () => {
  const r: SignalRule = {
    id: "big-and-unhappy",
    name: "Big and unhappy",
    kind: "risk",
    severity: "high",
    when: {
      all: [
        { metric: "mrr", op: "gte", value: 5000 },
        { metric: "nps", op: "lte", value: 6 },
      ],
    },
  };

  it("should raise a signal whose evidence lists the tested metric values", () => {
    const ctx = quietContext({ metrics: { mrr: 8000, nps: 4, other: 1 } });
    const [s] = detectSignals(ctx, undefined, [r]);
    expect(s).toMatchObject({
      type: "rule:big-and-unhappy",
      kind: "risk",
      severity: "high",
      title: "Big and unhappy",
      evidence: { mrr: 8000, nps: 4 },
      dedupKey: "rule:big-and-unhappy|acc-1|account",
    });
    expect(s?.summary).toBe('Rule "Big and unhappy" matched with MRR = 8,000, nps = 4.');
  });

  it("should not raise when a metric is missing", () => {
    expect(evaluateSignalRule(r, quietContext({ metrics: { mrr: 8000 } }))).toBeNull();
  });
});

describe("condition interpreter properties", () => {
  const metricNames = ["a", "b", "c", "missing"];
  const num = fc.double({ min: -1e6, max: 1e6, noNaN: true });
  const leaf: fc.Arbitrary<SignalCondition> = fc
    .record({
      metric: fc.constantFrom(...metricNames),
      op: fc.constantFrom(...SIGNAL_CONDITION_OPS),
      value: num,
      value2: num,
    })
    .map(({ metric, op, value, value2 }): SignalCondition => {
      const o: SignalConditionOp = op;
      if (o === "is_null" || o === "not_null") return { metric, op: o };
      if (o === "between")
        return { metric, op: o, value: Math.min(value, value2), value2: Math.max(value, value2) };
      return { metric, op: o, value };
    });
  const tree = fc.letrec<{ node: SignalCondition }>((tie) => ({
    node: fc.oneof(
      { depthSize: "small", withCrossShrink: true },
      leaf,
      fc.record({ all: fc.array(tie("node"), { minLength: 1, maxLength: 4 }) }),
      fc.record({ any: fc.array(tie("node"), { minLength: 1, maxLength: 4 }) }),
      fc.record({ not: tie("node") }),
    ),
  })).node;
  const metrics = fc.record({
    a: fc.option(num, { nil: null }),
    b: fc.option(num, { nil: null }),
    c: fc.option(fc.constantFrom(0, 1, -1, Number.NaN), { nil: null }),
  });

  it("should never throw and not should invert when evaluating random condition trees", () => {
    fc.assert(
      fc.property(tree, metrics, (cond, m) => {
        const v = evaluateSignalCondition(cond, m);
        expect(typeof v).toBe("boolean");
        expect(evaluateSignalCondition({ not: cond }, m)).toBe(!v);
      }),
      { numRuns: 300 },
    );
  });

  it("should accept every generated tree within the limits when validating", () => {
    fc.assert(
      fc.property(tree, (cond) => {
        const r = checkSignalRule(rule(cond), null);
        const depth = (c: SignalCondition): number =>
          "all" in c
            ? 1 + Math.max(...c.all.map(depth))
            : "any" in c
              ? 1 + Math.max(...c.any.map(depth))
              : "not" in c
                ? 1 + depth(c.not)
                : 1;
        const count = (c: SignalCondition): number =>
          "all" in c
            ? 1 + c.all.reduce((s, x) => s + count(x), 0)
            : "any" in c
              ? 1 + c.any.reduce((s, x) => s + count(x), 0)
              : "not" in c
                ? 1 + count(c.not)
                : 1;
        expect(r.ok).toBe(depth(cond) <= 5 && count(cond) <= 50);
      }),
      { numRuns: 300 },
    );
  });
});
