import { z } from "@hono/zod-openapi";

/**
 * What every value a route accepts must satisfy, whatever its schema says, so that SQLite and
 * PostgreSQL behave alike (PostgreSQL refuses NUL in text and JSON) and no Infinity is stored.
 */
export const NUL_MESSAGE = "must not contain a NUL character (\\u0000)";
/** Nesting any request body may have (scorecards need about 6). */
export const MAX_BODY_DEPTH = 32;
/** Timeline `data`: free-form observation fields, small and flat. */
export const TIMELINE_DATA_MAX_BYTES = 64 * 1024;
export const TIMELINE_DATA_MAX_DEPTH = 10;

export interface UnsafeValue {
  /** Where, from the value given: keys and array indexes. */
  path: (string | number)[];
  message: string;
}

/**
 * A path as a person reads it: `data.list[1]`, and odd keys quoted: `filters[" "]`.
 * @example fieldPath(["batch", 1, "userId"]) // "batch[1].userId"
 */
export function fieldPath(path: readonly PropertyKey[]): string {
  let out = "";
  for (const p of path) {
    if (typeof p === "number") out += `[${p}]`;
    else if (typeof p === "string" && /^[A-Za-z_$][\w$-]*$/.test(p)) out += out === "" ? p : `.${p}`;
    else out += `[${JSON.stringify(String(p))}]`;
  }
  return out;
}

interface Node {
  value: unknown;
  depth: number;
  parent: Node | null;
  key: string | number | null;
}

const pathOf = (node: Node): (string | number)[] => {
  const out: (string | number)[] = [];
  for (let n: Node | null = node; n !== null && n.key !== null; n = n.parent) out.push(n.key);
  return out.reverse();
};

/**
 * The first value no route may accept: a string or key with a NUL, a number that is not finite
 * (JSON `1e309` parses as Infinity), or objects nested more than `maxDepth` levels (the value
 * itself, if an object, is level 1). Iterative, so 50,000 levels cost no stack. Null when all is well.
 * @example findUnsafeValue({ a: ["x\u0000"] }) // { path: ["a", 0], message: NUL_MESSAGE }
 */
export function findUnsafeValue(value: unknown, maxDepth = MAX_BODY_DEPTH): UnsafeValue | null {
  const stack: Node[] = [{ value, depth: 0, parent: null, key: null }];
  for (let node = stack.pop(); node !== undefined; node = stack.pop()) {
    const v = node.value;
    if (typeof v === "string") {
      if (v.includes("\u0000")) return { path: pathOf(node), message: NUL_MESSAGE };
    } else if (typeof v === "number") {
      if (!Number.isFinite(v)) return { path: pathOf(node), message: "must be a finite number" };
    } else if (typeof v === "object" && v !== null) {
      const depth = node.depth + 1;
      if (depth > maxDepth) return { path: [], message: `must not be nested deeper than ${maxDepth} levels` };
      if (Array.isArray(v)) {
        for (let i = v.length - 1; i >= 0; i--) stack.push({ value: v[i], depth, parent: node, key: i });
      } else {
        for (const [k, x] of Object.entries(v)) {
          if (k.includes("\u0000")) return { path: [...pathOf(node), k], message: `key ${NUL_MESSAGE}` };
          stack.push({ value: x, depth, parent: node, key: k });
        }
      }
    }
  }
  return null;
}

/**
 * Free-form JSON object (e.g. timeline `data`): at most `maxBytes` as JSON and `maxDepth` levels,
 * no NUL, finite numbers. The 400 names the field, and the key inside it when one is at fault.
 */
export const jsonObject = (opts: { maxBytes: number; maxDepth: number }) =>
  z.record(z.string(), z.unknown()).superRefine((value, ctx) => {
    const bad = findUnsafeValue(value, opts.maxDepth);
    if (bad !== null) {
      ctx.addIssue({ code: "custom", path: bad.path, message: bad.message });
      return;
    }
    const bytes = Buffer.byteLength(JSON.stringify(value));
    if (bytes > opts.maxBytes) {
      ctx.addIssue({
        code: "custom",
        message: `must be at most ${opts.maxBytes / 1024} KB as JSON (got ${Math.ceil(bytes / 1024)} KB)`,
      });
    }
  });

/** A real calendar day as YYYY-MM-DD between 1900 and 2999 (not 2024-02-30, not 9999-12-31). */
export const isoDay = () =>
  z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date as YYYY-MM-DD")
    .refine((s) => {
      const year = Number(s.slice(0, 4));
      const d = new Date(`${s}T00:00:00Z`);
      return year >= 1900 && year <= 2999 && !Number.isNaN(d.getTime()) && d.toISOString().startsWith(s);
    }, "must be a real date between 1900-01-01 and 2999-12-31");

/** A month as YYYY-MM between 1900-01 and 2999-12. */
export const isoMonth = () =>
  z
    .string()
    .regex(/^(19|2\d)\d{2}-(0[1-9]|1[0-2])$/, "must be a month as YYYY-MM between 1900-01 and 2999-12");

/**
 * A point in time as ISO 8601: a day (YYYY-MM-DD) or a UTC date-time (YYYY-MM-DDTHH:MM[:SS[.fff]]Z),
 * as paging cursors are; stored times compare as text, so any other text would page wrongly.
 */
export const isoInstant = () =>
  z
    .string()
    .regex(
      /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,9})?)?Z)?$/,
      "must be a date (YYYY-MM-DD) or a UTC time (YYYY-MM-DDTHH:MM:SS.sssZ)",
    )
    .refine((s) => !Number.isNaN(Date.parse(s)), "must be a real date and time");
