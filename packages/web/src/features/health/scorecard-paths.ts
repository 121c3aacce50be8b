import type { Scorecard } from "../../api/account-types";

type Translate = (key: string, options?: Record<string, unknown>) => string;

/** `profiles[0].dimensions[1].weight` → ["profiles", 0, "dimensions", 1, "weight"]. */
export function pathParts(path: string): (string | number)[] {
  const out: (string | number)[] = [];
  for (const m of path.matchAll(/([^.[\]]+)|\[(\d+)\]/g)) {
    if (m[2] !== undefined) out.push(Number(m[2]));
    else if (m[1] !== undefined) out.push(m[1]);
  }
  return out;
}

const PROPERTY_KEYS: Record<string, string> = {
  name: "scorecard.fields.name",
  weight: "scorecard.fields.weight",
  worst: "scorecard.fields.worst",
  best: "scorecard.fields.best",
  min: "scorecard.fields.min",
  max: "scorecard.fields.max",
  score: "scorecard.fields.score",
  steps: "scorecard.fields.steps",
  label: "scorecard.fields.label",
  metric: "scorecard.fields.metric",
  key: "scorecard.fields.key",
  appliesTo: "scorecard.fields.appliesTo",
  red: "scorecard.redBelow",
  yellow: "scorecard.yellowBelow",
  version: "scorecard.version",
  id: "scorecard.fields.key",
  type: "scorecard.fields.scoringType",
};

/**
 * A validation path in words a person reads, from the labels of the scorecard being edited:
 * `profiles[0].dimensions[1].measures[2].scoring.steps[1].max` → "Enterprise › Product › Seats › step 2 › up to".
 */
export function describePath(draft: Scorecard | null, path: string, t: Translate): string {
  const parts = pathParts(path);
  const words: string[] = [];
  let node: unknown = draft;
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i] as string | number;
    const next = parts[i + 1];
    const child = (node as Record<string | number, unknown> | undefined)?.[part];
    if (typeof next === "number") {
      const item = (child as unknown[] | undefined)?.[next] as Record<string, unknown> | undefined;
      if (part === "profiles")
        words.push(String(item?.name ?? t("scorecard.fields.profileN", { n: next + 1 })));
      else if (part === "dimensions" || part === "measures")
        words.push(String(item?.label ?? t(`scorecard.fields.${part}N`, { n: next + 1 })));
      else if (part === "steps") words.push(t("scorecard.fields.stepN", { n: next + 1 }));
      else words.push(`${part} ${next + 1}`);
      node = item;
      i++;
      continue;
    }
    if (part === "scoring" || part === "bands") {
      node = child;
      continue;
    }
    const key = PROPERTY_KEYS[part];
    words.push(key ? t(key) : String(part));
    node = child;
  }
  return words.length > 0 ? words.join(" › ") : t("scorecard.fields.whole");
}

/** True when an issue at `issuePath` concerns the input at `inputPath` (the field itself or inside it). */
export function pathHits(issuePaths: ReadonlySet<string>, inputPath: string): boolean {
  if (issuePaths.has(inputPath)) return true;
  for (const p of issuePaths) if (p.startsWith(`${inputPath}[`) || p.startsWith(`${inputPath}.`)) return true;
  return false;
}
