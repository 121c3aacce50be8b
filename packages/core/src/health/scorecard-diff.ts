import type { Dimension, Measure, MeasureScoring, Profile, Scorecard } from "./scorecard-types";

/** What one change touched: a person reads `where` (labels, outermost first) and `property`. */
export interface ScorecardChange {
  /** JSON path of the changed field, e.g. `profiles[0].dimensions[1].measures[2].weight`. */
  path: string;
  /** Labels from the profile down to the measure, e.g. ["Enterprise", "Product", "Active users"]. */
  where: string[];
  property:
    | "name"
    | "redBelow"
    | "yellowBelow"
    | "weight"
    | "scoring"
    | "label"
    | "metric"
    | "appliesTo"
    | "added"
    | "removed";
  before: string | number | null;
  after: string | number | null;
}

/**
 * A scoring rule as one language-neutral line: "linear 0 → 10" (worst → best) or "<5: 0 · 5–10: 50 · ≥10: 100".
 * @example describeScoring({ type: "linear", worst: 0, best: 10 }) // "linear 0 → 10"
 */
export function describeScoring(s: MeasureScoring): string {
  if (s.type === "linear") return `linear ${s.worst} → ${s.best}`;
  return s.steps
    .map((x) => {
      const range =
        x.min === undefined && x.max === undefined
          ? "any"
          : x.min === undefined
            ? `<${x.max}`
            : x.max === undefined
              ? `≥${x.min}`
              : `${x.min}–${x.max}`;
      return `${range}: ${x.score}`;
    })
    .join(" · ");
}

const filters = (p: Profile) => p.appliesTo.map((f) => `${f.attribute}=${f.value}`).join(", ");

/**
 * Every difference between two scorecards that changes what a person configured (the version number
 * is not a change). Profiles, dimensions and measures are matched by id/key, so a rename of a label
 * is a label change and a new key is an addition.
 */
export function diffScorecards(before: Scorecard, after: Scorecard): ScorecardChange[] {
  const out: ScorecardChange[] = [];
  const push = (c: ScorecardChange) => {
    if (c.before !== c.after) out.push(c);
  };
  push({ path: "name", where: [], property: "name", before: before.name, after: after.name });
  push({
    path: "bands.red",
    where: [],
    property: "redBelow",
    before: before.bands.red,
    after: after.bands.red,
  });
  push({
    path: "bands.yellow",
    where: [],
    property: "yellowBelow",
    before: before.bands.yellow,
    after: after.bands.yellow,
  });
  const oldProfiles = new Map(before.profiles.map((p) => [p.id, p]));
  after.profiles.forEach((p, pi) => {
    const path = `profiles[${pi}]`;
    const old = oldProfiles.get(p.id);
    if (old === undefined) {
      out.push({ path, where: [p.name], property: "added", before: null, after: p.name });
      return;
    }
    push({ path: `${path}.name`, where: [old.name], property: "label", before: old.name, after: p.name });
    push({
      path: `${path}.appliesTo`,
      where: [p.name],
      property: "appliesTo",
      before: filters(old),
      after: filters(p),
    });
    diffDimensions(old.dimensions, p.dimensions, path, [p.name], out, push);
  });
  const kept = new Set(after.profiles.map((p) => p.id));
  for (const p of before.profiles)
    if (!kept.has(p.id))
      out.push({ path: "profiles", where: [p.name], property: "removed", before: p.name, after: null });
  return out;
}

function diffDimensions(
  before: readonly Dimension[],
  after: readonly Dimension[],
  base: string,
  where: string[],
  out: ScorecardChange[],
  push: (c: ScorecardChange) => void,
): void {
  const old = new Map(before.map((d) => [d.key, d]));
  after.forEach((d, di) => {
    const path = `${base}.dimensions[${di}]`;
    const o = old.get(d.key);
    const at = [...where, d.label];
    if (o === undefined) {
      out.push({ path, where: at, property: "added", before: null, after: d.label });
      return;
    }
    push({
      path: `${path}.label`,
      where: [...where, o.label],
      property: "label",
      before: o.label,
      after: d.label,
    });
    push({ path: `${path}.weight`, where: at, property: "weight", before: o.weight, after: d.weight });
    diffMeasures(o.measures, d.measures, path, at, out, push);
  });
  const kept = new Set(after.map((d) => d.key));
  for (const d of before)
    if (!kept.has(d.key))
      out.push({
        path: `${base}.dimensions`,
        where: [...where, d.label],
        property: "removed",
        before: d.label,
        after: null,
      });
}

function diffMeasures(
  before: readonly Measure[],
  after: readonly Measure[],
  base: string,
  where: string[],
  out: ScorecardChange[],
  push: (c: ScorecardChange) => void,
): void {
  const old = new Map(before.map((m) => [m.key, m]));
  after.forEach((m, mi) => {
    const path = `${base}.measures[${mi}]`;
    const o = old.get(m.key);
    const at = [...where, m.label];
    if (o === undefined) {
      out.push({ path, where: at, property: "added", before: null, after: m.label });
      return;
    }
    push({
      path: `${path}.label`,
      where: [...where, o.label],
      property: "label",
      before: o.label,
      after: m.label,
    });
    push({ path: `${path}.metric`, where: at, property: "metric", before: o.metric, after: m.metric });
    push({ path: `${path}.weight`, where: at, property: "weight", before: o.weight, after: m.weight });
    push({
      path: `${path}.scoring`,
      where: at,
      property: "scoring",
      before: describeScoring(o.scoring),
      after: describeScoring(m.scoring),
    });
  });
  const kept = new Set(after.map((m) => m.key));
  for (const m of before)
    if (!kept.has(m.key))
      out.push({
        path: `${base}.measures`,
        where: [...where, m.label],
        property: "removed",
        before: m.label,
        after: null,
      });
}

/** True when two scorecards differ in anything but their version. */
export function scorecardChanged(before: Scorecard, after: Scorecard): boolean {
  return JSON.stringify({ ...before, version: 0 }) !== JSON.stringify({ ...after, version: 0 });
}
