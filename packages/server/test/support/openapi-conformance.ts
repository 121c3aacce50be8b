import type { OpenApiDocument, SchemaObject } from "./openapi-arbitraries";

/**
 * Where `value` departs from `schema` of `doc` (OpenAPI 3.0 as zod-openapi writes it): a wrong type, a
 * missing required property, or a property the schema does not declare. Empty when it conforms.
 * Undeclared properties count so that the generated web types cannot miss a field the server sends.
 */
export function departures(value: unknown, schema: SchemaObject, doc: OpenApiDocument, at = "$"): string[] {
  if (schema.$ref !== undefined) {
    const name = schema.$ref.replace("#/components/schemas/", "");
    const target = doc.components?.schemas?.[name];
    return target ? departures(value, target, doc, at) : [`${at}: unknown schema ${schema.$ref}`];
  }
  if (value === null) {
    if (schema.nullable === true) return [];
    if ((schema.anyOf ?? schema.oneOf ?? []).some(isBare)) return [];
    const members = [...(schema.allOf ?? [])];
    // zod-openapi writes `.extend(..).nullable()` with the nullable on the extension.
    return members.some((m) => m.nullable === true) ? [] : [`${at}: null where the schema allows none`];
  }
  if (schema.anyOf ?? schema.oneOf) {
    const options = (schema.anyOf ?? schema.oneOf) as SchemaObject[];
    const fits = options.some((o) =>
      isBare(o) ? value === null : departures(value, o, doc, at).length === 0,
    );
    return fits ? [] : [`${at}: ${JSON.stringify(value)?.slice(0, 60)} matches no option`];
  }
  if (schema.allOf) {
    // Each part checks its own properties; an undeclared one is one that no part declares.
    const declared = new Set(schema.allOf.flatMap((p) => Object.keys(resolve(p, doc).properties ?? {})));
    const out = schema.allOf.flatMap((p) =>
      departures(value, { ...resolve(p, doc), additionalProperties: true }, doc, at),
    );
    if (isRecord(value)) out.push(...undeclared(value, declared, at));
    return out;
  }
  if (schema.enum && !schema.enum.includes(value)) return [`${at}: ${JSON.stringify(value)} not in enum`];
  switch (schema.type) {
    case "string":
      return typeof value === "string" ? [] : [`${at}: expected a string`];
    case "boolean":
      return typeof value === "boolean" ? [] : [`${at}: expected a boolean`];
    case "number":
      return typeof value === "number" && Number.isFinite(value) ? [] : [`${at}: expected a finite number`];
    case "integer":
      return Number.isInteger(value) ? [] : [`${at}: expected an integer`];
    case "array":
      return Array.isArray(value)
        ? value.flatMap((v, i) => (schema.items ? departures(v, schema.items, doc, `${at}[${i}]`) : []))
        : [`${at}: expected an array`];
    case "object": {
      if (!isRecord(value)) return [`${at}: expected an object`];
      const props = schema.properties ?? {};
      const out = (schema.required ?? []).filter((k) => !(k in value)).map((k) => `${at}.${k}: missing`);
      for (const [k, v] of Object.entries(value)) {
        const p = props[k];
        if (p) out.push(...departures(v, p, doc, `${at}.${k}`));
        else if (typeof schema.additionalProperties === "object")
          out.push(...departures(v, schema.additionalProperties, doc, `${at}.${k}`));
        else if (schema.additionalProperties !== true) out.push(`${at}.${k}: not in the schema`);
      }
      return out;
    }
    default:
      return []; // z.unknown(): anything
  }
}

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

/** `{ nullable: true }` alone: z.null() in a union. */
const isBare = (s: SchemaObject) => s.nullable === true && Object.keys(s).length === 1;

function resolve(s: SchemaObject, doc: OpenApiDocument): SchemaObject {
  if (s.$ref === undefined) return s;
  return doc.components?.schemas?.[s.$ref.replace("#/components/schemas/", "")] ?? {};
}

function undeclared(value: Record<string, unknown>, declared: Set<string>, at: string): string[] {
  return Object.keys(value)
    .filter((k) => !declared.has(k))
    .map((k) => `${at}.${k}: not in the schema`);
}
