import { z } from "zod";
import { isAccountAttribute } from "../account-match";
import { TenureError } from "../errors";
import { METRIC_KEYS } from "./metric-catalog";
import type { Scorecard, ScoringStep } from "./scorecard-types";

const KEY_RE = /^[A-Za-z][A-Za-z0-9_.-]*$/;
const key = z.string().regex(KEY_RE, "must start with a letter and use only letters, digits, _ . -");
const label = z.string().trim().min(1, "must not be empty");
const finite = z.number({ error: "must be a number" }).refine(Number.isFinite, "must be a finite number");
const weight = z
  .number({ error: "must be a number" })
  .gt(0, "must be > 0")
  .refine(Number.isFinite, "must be finite");
const score100 = z.number({ error: "must be a number" }).min(0, "must be >= 0").max(100, "must be <= 100");

const linearSchema = z
  .strictObject({ type: z.literal("linear"), worst: finite, best: finite })
  .refine((s) => s.worst !== s.best, { message: "worst and best must differ", path: ["best"] });

const stepSchema = z.strictObject({ min: finite.optional(), max: finite.optional(), score: score100 });

const stepsSchema = z
  .strictObject({ type: z.literal("steps"), steps: z.array(stepSchema).min(1, "needs at least one step") })
  .superRefine((s, ctx) => {
    s.steps.forEach((step, i) => {
      if (step.min !== undefined && step.max !== undefined && !(step.min < step.max)) {
        ctx.addIssue({ code: "custom", message: "min must be < max", path: ["steps", i, "max"] });
      }
    });
    const gap = coverageGap(s.steps);
    if (gap !== null) ctx.addIssue({ code: "custom", message: gap, path: ["steps"] });
  });

/** Describes the first gap when the steps' ranges do not cover every number, else null. */
function coverageGap(steps: readonly ScoringStep[]): string | null {
  const ranges = steps
    .map((s) => ({ min: s.min ?? Number.NEGATIVE_INFINITY, max: s.max ?? Number.POSITIVE_INFINITY }))
    .filter((r) => r.min < r.max)
    .sort((a, b) => a.min - b.min);
  let reach = Number.NEGATIVE_INFINITY;
  let first = true;
  for (const r of ranges) {
    if (first ? r.min !== Number.NEGATIVE_INFINITY : r.min > reach) {
      return first
        ? `steps must cover every value: nothing scores values below ${r.min}`
        : `steps must cover every value: nothing scores values from ${reach} to ${r.min}`;
    }
    first = false;
    reach = Math.max(reach, r.max);
  }
  if (first) return "steps must cover every value";
  if (reach !== Number.POSITIVE_INFINITY) {
    return `steps must cover every value: nothing scores values from ${reach} upwards`;
  }
  return null;
}

const measureSchema = z.strictObject({
  key,
  label,
  metric: z.enum(METRIC_KEYS, {
    error: (iss) => `unknown metric key ${JSON.stringify(iss.input)}; valid keys: ${METRIC_KEYS.join(", ")}`,
  }),
  weight,
  scoring: z.discriminatedUnion("type", [linearSchema, stepsSchema], {
    error: 'must have type "linear" or "steps"',
  }),
});

const dimensionSchema = z.strictObject({
  key,
  label,
  weight,
  measures: z.array(measureSchema).min(1, "needs at least one measure"),
});

const filterSchema = z.strictObject({
  attribute: z.string().refine(isAccountAttribute, {
    error: (iss) =>
      `unknown or unsupported attribute ${JSON.stringify(iss.input)}; use tier, segment, industry, region, owner, channel, lifecycleStage, tag or custom.<key>`,
  }),
  value: z.string().trim().min(1, "must not be empty"),
});

/** Cross-field checks still run when other fields are invalid, so read the value defensively. */
const isObjectPayload = (payload: { value: unknown }): boolean =>
  typeof payload.value === "object" && payload.value !== null;

const profileSchema = z
  .strictObject({
    id: key,
    name: label,
    appliesTo: z.array(filterSchema),
    dimensions: z.array(dimensionSchema).min(1, "needs at least one dimension"),
  })
  .superRefine((p, ctx) => profileIssues(p, ctx), { when: isObjectPayload });

type Ctx = z.RefinementCtx;

const arrayOf = (v: unknown): unknown[] => (Array.isArray(v) ? v : []);
const field = (v: unknown, name: string): unknown =>
  typeof v === "object" && v !== null ? (v as Record<string, unknown>)[name] : undefined;

function profileIssues(p: unknown, ctx: Ctx): void {
  const dims = arrayOf(field(p, "dimensions"));
  duplicates(
    dims.map((d) => field(d, "key")),
    (i, k) =>
      ctx.addIssue({
        code: "custom",
        message: `duplicate dimension key "${k}"`,
        path: ["dimensions", i, "key"],
      }),
  );
  // measure keys are unique across the profile so a breakdown or comparison can name them alone
  const measureKeys: { k: unknown; path: (string | number)[] }[] = [];
  dims.forEach((d, di) => {
    arrayOf(field(d, "measures")).forEach((m, mi) => {
      measureKeys.push({ k: field(m, "key"), path: ["dimensions", di, "measures", mi, "key"] });
    });
  });
  duplicates(
    measureKeys.map((m) => m.k),
    (i, k) =>
      ctx.addIssue({
        code: "custom",
        message: `duplicate measure key "${k}"`,
        path: measureKeys[i]?.path ?? [],
      }),
  );
}

/** Calls `report(index, key)` for every string key already seen earlier in the list. */
function duplicates(keys: readonly unknown[], report: (index: number, key: string) => void): void {
  const seen = new Set<string>();
  keys.forEach((k, i) => {
    if (typeof k !== "string") return;
    if (seen.has(k)) report(i, k);
    seen.add(k);
  });
}

function scorecardIssues(s: unknown, ctx: Ctx): void {
  const profiles = arrayOf(field(s, "profiles"));
  if (!Array.isArray(field(s, "profiles"))) return;
  duplicates(
    profiles.map((p) => field(p, "id")),
    (i, k) =>
      ctx.addIssue({ code: "custom", message: `duplicate profile id "${k}"`, path: ["profiles", i, "id"] }),
  );
  const defaults = profiles.flatMap((p, i) => {
    const applies = field(p, "appliesTo");
    return Array.isArray(applies) && applies.length === 0 ? [i] : [];
  });
  if (defaults.length === 0 && profiles.length > 0) {
    ctx.addIssue({
      code: "custom",
      message: "exactly one default profile (appliesTo: []) is required, found none",
      path: ["profiles"],
    });
  }
  for (const i of defaults.slice(1)) {
    ctx.addIssue({
      code: "custom",
      message: "exactly one default profile (appliesTo: []) is allowed; this is a second one",
      path: ["profiles", i, "appliesTo"],
    });
  }
}

/** zod schema of a scorecard's JSON: structure plus cross-field rules (one default, no duplicates, steps). */
export const scorecardSchema = z
  .strictObject({
    id: key,
    name: label,
    version: z.number().int("must be an integer").min(1, "must be >= 1").default(1),
    bands: z
      .strictObject({ red: score100, yellow: score100 })
      .refine((b) => b.red < b.yellow, { message: "red must be < yellow", path: ["yellow"] })
      .default({ red: 40, yellow: 70 }),
    profiles: z.array(profileSchema).min(1, "needs at least one profile"),
  })
  .superRefine((s, ctx) => scorecardIssues(s, ctx), { when: isObjectPayload });

// compile-time check that the schema's output is a Scorecard
const _check: (s: z.output<typeof scorecardSchema>) => Scorecard = (s) => s;
void _check;

export interface ScorecardIssue {
  path: string;
  message: string;
}

/** Formats a zod path as `profiles[1].dimensions[0].measures[2].weight`. */
export function formatIssuePath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const part of path) {
    if (typeof part === "number") out += `[${part}]`;
    else out += out === "" ? String(part) : `.${String(part)}`;
  }
  return out === "" ? "(root)" : out;
}

/** Every problem of a scorecard JSON (empty when valid). */
export function validateScorecard(json: unknown): ScorecardIssue[] {
  const r = scorecardSchema.safeParse(json);
  if (r.success) return [];
  return r.error.issues.map((i) => ({ path: formatIssuePath(i.path), message: i.message }));
}

/**
 * Parses and validates a scorecard JSON; throws TenureError("validation") listing every problem,
 * e.g. `profiles[1].dimensions[0].measures[2].weight: must be > 0`.
 */
export function parseScorecard(json: unknown): Scorecard {
  const r = scorecardSchema.safeParse(json);
  if (r.success) return r.data;
  const issues = r.error.issues.map((i) => ({ path: formatIssuePath(i.path), message: i.message }));
  const lines = issues.map((i) => `- ${i.path}: ${i.message}`);
  throw new TenureError(
    "validation",
    `Invalid scorecard (${issues.length} problem(s)):\n${lines.join("\n")}`,
    {
      issues,
    },
  );
}
