import { describe, expect, it } from "vitest";
import type { Scorecard } from "../../api/account-types";
import { describePath, pathHits, pathParts } from "./scorecard-paths";

const t = (key: string, o?: Record<string, unknown>) => (o ? `${key}(${JSON.stringify(o)})` : key);
const card: Scorecard = {
  id: "c",
  name: "Card",
  version: 1,
  bands: { red: 40, yellow: 70 },
  profiles: [
    {
      id: "ent",
      name: "Enterprise",
      appliesTo: [],
      dimensions: [
        {
          key: "product",
          label: "Product",
          weight: 1,
          measures: [
            {
              key: "seats",
              label: "Seats",
              metric: "seatUtilisation",
              weight: 1,
              scoring: {
                type: "steps",
                steps: [
                  { max: 1, score: 0 },
                  { min: 1, score: 100 },
                ],
              },
            },
          ],
        },
      ],
    },
  ],
};

describe("scorecard paths in words", () => {
  it("should split a zod path into keys and indexes", () => {
    expect(pathParts("profiles[0].dimensions[12].weight")).toEqual([
      "profiles",
      0,
      "dimensions",
      12,
      "weight",
    ]);
  });

  it("should name a step bound by the labels of its profile, dimension and measure", () => {
    expect(describePath(card, "profiles[0].dimensions[0].measures[0].scoring.steps[1].max", t)).toBe(
      'Enterprise › Product › Seats › scorecard.fields.stepN({"n":2}) › scorecard.fields.max',
    );
  });

  it("should name a band and a weight in words", () => {
    expect(describePath(card, "bands.yellow", t)).toBe("scorecard.yellowBelow");
    expect(describePath(card, "profiles[0].dimensions[0].weight", t)).toBe(
      "Enterprise › Product › scorecard.fields.weight",
    );
  });

  it("should fall back to positions when the draft has no such item", () => {
    expect(describePath(card, "profiles[3].name", t)).toBe(
      'scorecard.fields.profileN({"n":4}) › scorecard.fields.name',
    );
  });

  it("should hit the field itself and a container holding the issue", () => {
    const issues = new Set(["profiles[0].dimensions[0].measures[0].scoring.steps[1].max"]);
    expect(pathHits(issues, "profiles[0].dimensions[0].measures[0].scoring.steps[1].max")).toBe(true);
    expect(pathHits(issues, "profiles[0].dimensions[0].measures[0].scoring.steps")).toBe(true);
    expect(pathHits(issues, "profiles[0].dimensions[0].measures[0].weight")).toBe(false);
  });
});
