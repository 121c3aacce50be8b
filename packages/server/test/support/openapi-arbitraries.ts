import fc from "fast-check";

/** The subset of OpenAPI 3.0 schema objects that zod-openapi writes. */
export interface SchemaObject {
  $ref?: string;
  type?: "string" | "number" | "integer" | "boolean" | "array" | "object";
  enum?: unknown[];
  nullable?: boolean;
  properties?: Record<string, SchemaObject>;
  required?: string[];
  additionalProperties?: SchemaObject | boolean;
  items?: SchemaObject;
  anyOf?: SchemaObject[];
  oneOf?: SchemaObject[];
  allOf?: SchemaObject[];
  minimum?: number;
  maximum?: number;
  exclusiveMinimum?: boolean | number;
  exclusiveMaximum?: boolean | number;
  minLength?: number;
  maxLength?: number;
  minItems?: number;
  maxItems?: number;
  pattern?: string;
  format?: string;
}

export interface OpenApiDocument {
  paths: Record<string, Record<string, Operation>>;
  components?: { schemas?: Record<string, SchemaObject> };
}

export interface Operation {
  parameters?: { name: string; in: "path" | "query" | "header"; required?: boolean; schema: SchemaObject }[];
  requestBody?: { content: Record<string, { schema: SchemaObject }>; required?: boolean };
}

/** Values no route may accept whatever its schema: NUL, unusual Unicode, huge and odd numbers. */
export const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom("\u0000", "a\u0000b", "", " ", "\ud800", "💥", "%00", "../..", "null", "1e309"),
  fc.constantFrom(1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, -0, 0.1, -1, 2 ** 31),
  fc.constantFrom(null, true, [], {}, [[[[[]]]]]),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 10 }),
  fc.jsonValue({ maxDepth: 3 }),
);

const dateLike = fc.oneof(
  fc
    .date({ min: new Date("1990-01-01"), max: new Date("2035-12-31"), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  fc.constantFrom("2024-02-30", "9999-12-31", "+099999-01-01", "2024-13-01", "0000-00-00"),
);

/**
 * Values of `schema`: mostly valid ones (so that routes get past validation and write), with
 * strings, numbers and dates at and past their bounds.
 */
export function schemaValue(schema: SchemaObject, doc: OpenApiDocument, depth = 0): fc.Arbitrary<unknown> {
  if (schema.$ref !== undefined) {
    const name = schema.$ref.split("/").pop() ?? "";
    const target = doc.components?.schemas?.[name];
    return target === undefined ? fc.jsonValue({ maxDepth: 2 }) : schemaValue(target, doc, depth);
  }
  const base = schemaValueOfType(schema, doc, depth);
  return schema.nullable ? fc.option(base, { nil: null, freq: 5 }) : base;
}

function schemaValueOfType(schema: SchemaObject, doc: OpenApiDocument, depth: number): fc.Arbitrary<unknown> {
  if (schema.enum !== undefined) return fc.constantFrom(...schema.enum);
  const alternatives = schema.anyOf ?? schema.oneOf;
  if (alternatives !== undefined) return fc.oneof(...alternatives.map((s) => schemaValue(s, doc, depth)));
  if (schema.allOf !== undefined && schema.allOf[0] !== undefined)
    return schemaValue(schema.allOf[0], doc, depth);
  switch (schema.type) {
    case "string": {
      if (schema.pattern?.includes("\\d{4}-\\d{2}-\\d{2}") || schema.format === "date") return dateLike;
      if (schema.pattern?.includes("\\d{4}-(0[1-9]")) {
        return fc.oneof(
          dateLike.map((d) => d.slice(0, 7)),
          fc.constantFrom("2026-00", "2026-13"),
        );
      }
      if (schema.format === "date-time") {
        return fc
          .date({ min: new Date("1990-01-01"), max: new Date("2035-12-31"), noInvalidDate: true })
          .map((d) => d.toISOString());
      }
      const max = Math.min(schema.maxLength ?? 40, 40);
      return fc.oneof(
        {
          weight: 4,
          arbitrary: fc.string({ minLength: Math.min(schema.minLength ?? 0, max), maxLength: max }),
        },
        { weight: 1, arbitrary: fc.constant("x".repeat((schema.maxLength ?? 200) + 1)) },
      );
    }
    case "integer":
    case "number": {
      const min = schema.minimum ?? -1e6;
      const max = schema.maximum ?? 1e6;
      const inRange =
        schema.type === "integer"
          ? fc.integer({ min: Math.ceil(min), max: Math.floor(max) })
          : fc.double({ min, max, noNaN: true, noDefaultInfinity: true });
      return fc.oneof(
        { weight: 5, arbitrary: inRange },
        { weight: 1, arbitrary: fc.constantFrom(min - 1, max + 1) },
      );
    }
    case "boolean":
      return fc.boolean();
    case "array": {
      const item =
        depth > 4 || schema.items === undefined
          ? fc.jsonValue({ maxDepth: 1 })
          : schemaValue(schema.items, doc, depth + 1);
      return fc.array(item, {
        minLength: schema.minItems ?? 0,
        maxLength: Math.min(schema.maxItems ?? 4, 4),
      });
    }
    case "object": {
      const props = schema.properties ?? {};
      const model: Record<string, fc.Arbitrary<unknown>> = {};
      for (const [k, s] of Object.entries(props))
        model[k] = depth > 4 ? fc.jsonValue({ maxDepth: 1 }) : schemaValue(s, doc, depth + 1);
      const record = fc.record(model, { requiredKeys: schema.required ?? [] });
      const extra = schema.additionalProperties;
      if (extra === undefined || extra === false || Object.keys(props).length > 0) return record;
      const values = extra === true ? fc.jsonValue({ maxDepth: 2 }) : schemaValue(extra, doc, depth + 1);
      return fc.dictionary(fc.string({ maxLength: 12 }), values, { maxKeys: 4 });
    }
    default:
      // z.unknown(): any JSON.
      return fc.jsonValue({ maxDepth: 3 });
  }
}

/** A valid-looking value, or one with a field replaced, dropped or added with a hostile value. */
export function mutated(schema: SchemaObject, doc: OpenApiDocument): fc.Arbitrary<unknown> {
  const valid = schemaValue(schema, doc);
  return fc.oneof(
    { weight: 4, arbitrary: valid },
    {
      weight: 3,
      arbitrary: fc
        .tuple(valid, fc.string({ maxLength: 8 }), hostileValue, fc.boolean())
        .map(([v, key, bad, replace]) => {
          if (typeof v !== "object" || v === null || Array.isArray(v)) return bad;
          const keys = Object.keys(v);
          const target = replace && keys.length > 0 ? keys[key.length % keys.length] : key;
          return { ...v, [target as string]: bad };
        }),
    },
    {
      weight: 1,
      arbitrary: fc.tuple(valid, fc.nat()).map(([v, n]) => {
        if (typeof v !== "object" || v === null || Array.isArray(v)) return v;
        const keys = Object.keys(v);
        if (keys.length === 0) return v;
        const { [keys[n % keys.length] as string]: _dropped, ...rest } = v as Record<string, unknown>;
        return rest;
      }),
    },
    { weight: 1, arbitrary: hostileValue },
  );
}

/** JSON text of a value, sometimes broken the ways clients break it: cut short, 1e309, deep. */
export function jsonText(value: fc.Arbitrary<unknown>): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 8, arbitrary: value.map((v) => JSON.stringify(v) ?? "null") },
    {
      weight: 1,
      arbitrary: value.map((v) => (JSON.stringify(v) ?? "null").replace(/-?\d+(\.\d+)?/, "1e309")),
    },
    { weight: 1, arbitrary: value.map((v) => (JSON.stringify(v) ?? "null").slice(0, -1)) },
    {
      weight: 1,
      arbitrary: fc.integer({ min: 11, max: 5000 }).map((n) => `{"data":${"[".repeat(n)}${"]".repeat(n)}}`),
    },
  );
}

/** A query-string value for a parameter: from its schema, or text that is not what it expects. */
export function paramText(schema: SchemaObject, doc: OpenApiDocument): fc.Arbitrary<string> {
  return fc.oneof(
    {
      weight: 4,
      arbitrary: schemaValue(schema, doc).map((v) => (typeof v === "string" ? v : (JSON.stringify(v) ?? ""))),
    },
    { weight: 1, arbitrary: fc.constantFrom("\u0000", "1e309", "-1", "NaN", "abc", "", "9".repeat(400)) },
    { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
  );
}
