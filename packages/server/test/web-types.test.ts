import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  explicitNulls,
  serverOpenApiDocument,
  WEB_TYPES_FILE,
  webTypesSource,
} from "../../../scripts/gen-web-types";

/** Line number (1-based) and both lines of the first difference, to say where the file went stale. */
function firstDifference(committed: string, generated: string): string {
  const a = committed.split("\n");
  const b = generated.split("\n");
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    if (a[i] !== b[i])
      return `line ${i + 1}: committed ${JSON.stringify(a[i])}, generated ${JSON.stringify(b[i])}`;
  }
  return "none";
}

describe("web app API types (packages/web/src/api/generated/openapi.ts)", () => {
  it("should match the server's OpenAPI document when committed", async () => {
    const generated = await webTypesSource();
    const committed = readFileSync(WEB_TYPES_FILE, "utf8");
    if (committed !== generated) {
      expect.fail(
        `${path.basename(WEB_TYPES_FILE)} is stale: run npm run gen:web-types and commit it ` +
          `(first difference at ${firstDifference(committed, generated)})`,
      );
    }
  });

  it("should generate the same text twice from the same document", async () => {
    expect(await webTypesSource()).toBe(await webTypesSource());
  });

  it("should declare every named schema of the OpenAPI document", async () => {
    const doc = await serverOpenApiDocument();
    const names = Object.keys(doc.components?.schemas ?? {});
    expect(names).toContain("AccountListRow");
    const source = await webTypesSource();
    const missing = names.filter((n) => !new RegExp(`^ {8}"?${n}"?: `, "m").test(source));
    expect(missing).toEqual([]);
  });

  it("should type zod's null in a union as null when zod-openapi writes it as a bare nullable", () => {
    const union = { anyOf: [{ type: "number" }, { type: "string" }, { nullable: true }] };
    expect(explicitNulls(union)).toEqual({
      anyOf: [{ type: "number" }, { type: "string" }, { type: "null" }],
    });
  });

  it("should make an extended named schema nullable as a whole when its extension says nullable", () => {
    const extended = {
      allOf: [{ $ref: "#/components/schemas/QuotaPace" }, { type: "object", nullable: true, properties: {} }],
      description: "most pressing",
    };
    expect(explicitNulls(extended)).toEqual({
      allOf: [{ $ref: "#/components/schemas/QuotaPace" }, { type: "object", properties: {} }],
      description: "most pressing",
      nullable: true,
    });
  });

  it("should leave a typed nullable schema and z.unknown() outside a union as they are", () => {
    const s = { type: "string", nullable: true };
    expect(explicitNulls(s)).toEqual(s);
    const record = { type: "object", additionalProperties: { nullable: true } };
    expect(explicitNulls(record)).toEqual(record);
  });

  it("should type the usage summary's quota as nullable and signal evidence values as number, string or null", async () => {
    const source = await webTypesSource();
    expect(source).toMatch(/quota: \(components\["schemas"\]\["QuotaPace"\] & \{[^}]*\}\) \| null;/);
    expect(source).toMatch(/evidence: \{\s*\[key: string\]: number \| string \| null;/);
  });
});
