import type { KindDefinition } from "./kind-definition";

/** A row keyed by canonical column, with the file's own name for each column (for error messages). */
export interface MappedRecord {
  values: Record<string, unknown>;
  sourceOf: Record<string, string>;
}

/** Lower case, spaces and dashes as "_": "Customer ID" → "customer_id". */
export function normalizeColumn(name: string): string {
  return name
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, "_");
}

/** Maps a file's column names onto a kind's canonical columns; results are cached per name. */
export function createColumnMapper<T>(
  def: KindDefinition<T>,
): (raw: Record<string, unknown>) => MappedRecord {
  const canonical = new Set(def.columns);
  type Hit = { column: string; exact: boolean; implied?: { column: string; value: string } };
  const cache = new Map<string, Hit | null>();
  const resolve = (name: string): Hit | null => {
    let hit = cache.get(name);
    if (hit === undefined) {
      const key = normalizeColumn(name);
      const alias = def.aliases[key];
      const implied = def.implies?.[key];
      if (canonical.has(key)) hit = { column: key, exact: true, implied };
      else if (alias !== undefined) hit = { column: alias, exact: false, implied };
      else hit = null;
      cache.set(name, hit);
    }
    return hit;
  };

  // zod 4 rejects an absent key even when its schema accepts undefined: list every column explicitly.
  const blank: Record<string, unknown> = {};
  for (const column of def.columns) blank[column] = undefined;
  if (def.extraColumns === "custom_fields") blank.custom_fields = undefined;

  return (raw) => {
    const values: Record<string, unknown> = { ...blank };
    const sourceOf: Record<string, string> = {};
    const exact = new Set<string>();
    let custom: Record<string, unknown> | undefined;
    for (const name of Object.keys(raw)) {
      const hit = resolve(name);
      if (hit === null) {
        if (def.extraColumns === "custom_fields" && name.trim() !== "") {
          const key = normalizeColumn(name);
          custom ??= {};
          custom[key] = raw[name];
          sourceOf[`custom_fields.${key}`] = name;
        }
        continue;
      }
      // The canonical column wins over an alias of it when a file has both.
      if (exact.has(hit.column)) continue;
      if (hit.exact) exact.add(hit.column);
      values[hit.column] = raw[name];
      sourceOf[hit.column] = name;
      if (hit.implied !== undefined) values[hit.implied.column] = hit.implied.value;
    }
    if (custom !== undefined) values.custom_fields = custom;
    return { values, sourceOf };
  };
}
