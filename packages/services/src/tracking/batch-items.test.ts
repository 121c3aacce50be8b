import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { batchItemTexts } from "./batch-items";

describe("batchItemTexts", () => {
  it("should give each batch element's source text when bodies have any JSON, spacing and key order", () => {
    fc.assert(
      fc.property(
        fc.array(fc.jsonValue(), { maxLength: 8 }),
        fc.dictionary(
          fc.string().filter((k) => k !== "batch"),
          fc.jsonValue(),
          { maxKeys: 3 },
        ),
        fc.constantFrom(undefined, 1, 2, "\t"),
        fc.boolean(),
        (batch, other, space, batchFirst) => {
          const body = batchFirst ? { batch, ...other } : { ...other, batch };
          const text = JSON.stringify(body, null, space);
          const parsed = JSON.parse(text) as { batch: unknown[] };
          const items = batchItemTexts(text);
          expect(items?.map((t) => JSON.parse(t))).toEqual(parsed.batch);
        },
      ),
      { numRuns: 300 },
    );
  });

  it("should follow JSON.parse when batch repeats or is spelled with escapes", () => {
    expect(batchItemTexts('{"batch":[1],"batch":[ {"a":"]"} , 2 ]}')).toEqual(['{"a":"]"}', "2"]);
    expect(batchItemTexts('{"batch":[1],"batch":"x"}')).toBeNull();
    expect(batchItemTexts('{"b\\u0061tch":[1],"x\\"":2}')).toEqual(["1"]);
    expect(batchItemTexts("[1,2]")).toBeNull();
    expect(batchItemTexts('{"batch":["a\\"],b",{"c":[{}]}]}')).toEqual(['"a\\"],b"', '{"c":[{}]}']);
  });
});
