import { describe, expect, it } from "vitest";
import { isTenureError } from "../errors";
import type { Account } from "../types";
import { compareSegments } from "./compare-segments";
import { scoreAccount } from "./score-account";
import { account, simpleScorecard } from "./test-fixtures";

/** seatUtilisation alone drives the score (product dimension) when people data is missing. */
function scored(id: string, partial: Partial<Account>, seat: number | null) {
  const a = account({ id, ...partial });
  return { account: a, score: scoreAccount(simpleScorecard(), a, { seatUtilisation: seat }) };
}

const set = [
  scored("a1", { owner: "Ann", tags: ["beta", "Strategic"] }, 0.95),
  scored("a2", { owner: "ann", tags: ["strategic"] }, 0.85),
  scored("a3", { owner: "Ann" }, 0.05),
  scored("b1", { owner: "Bob", tags: ["beta"] }, 0.3),
  scored("b2", { owner: "Bob" }, 0.5),
  scored("n1", { owner: null }, null),
  scored("n2", { owner: null }, 1),
];

describe("compareSegments", () => {
  it("should summarise each owner worst mean first when grouping by owner", () => {
    const rows = compareSegments(set, "owner");
    expect(rows.map((r) => r.value)).toEqual(["Bob", "Ann", null]);
    const [bob, ann, none] = rows;
    expect(bob).toMatchObject({
      accounts: 2,
      mean: 40,
      median: 40,
      bands: { red: 1, yellow: 1, green: 0, none: 0 },
      histogram: [0, 0, 0, 1, 0, 1, 0, 0, 0, 0],
    });
    // Ann groups "Ann" and "ann": 95, 85, 5 → mean 61.7, median 85
    expect(ann).toMatchObject({
      accounts: 3,
      mean: 61.7,
      median: 85,
      bands: { red: 1, yellow: 0, green: 2, none: 0 },
    });
    expect(ann?.histogram).toEqual([1, 0, 0, 0, 0, 0, 0, 0, 1, 1]);
    // a score of 100 falls in the last bin; an account without data counts in "none" only
    expect(none).toMatchObject({
      accounts: 2,
      mean: 100,
      median: 100,
      bands: { red: 0, yellow: 0, green: 1, none: 1 },
    });
    expect(none?.histogram[9]).toBe(1);
  });

  it("should give mean dimension and measure scores over accounts with data", () => {
    const bob = compareSegments(set, "owner")[0];
    expect(bob?.dimensions).toEqual([
      { key: "people", mean: null, accounts: 0 },
      { key: "product", mean: 40, accounts: 2 },
    ]);
    expect(bob?.measures).toEqual([
      { key: "roles", mean: null, accounts: 0 },
      { key: "touch", mean: null, accounts: 0 },
      { key: "seats", mean: 40, accounts: 2 },
    ]);
  });

  it("should count an account in every tag segment when it has several tags", () => {
    const rows = compareSegments(set, "tag");
    expect(rows.map((r) => [r.value, r.accounts, r.mean])).toEqual([
      [null, 4, 51.7],
      ["beta", 2, 62.5],
      ["Strategic", 2, 90],
    ]);
  });

  it("should group by custom fields when the attribute is custom.<key>", () => {
    const rows = compareSegments(
      [
        scored("x", { customFields: { Plan_Type: "pro" } }, 0.2),
        scored("y", { customFields: { plan_type: "PRO" } }, 0.4),
        scored("z", { customFields: { plan_type: 3 } }, 0.9),
      ],
      "custom.plan_type",
    );
    expect(rows.map((r) => [r.value, r.accounts, r.mean])).toEqual([
      ["pro", 2, 30],
      ["3", 1, 90],
    ]);
  });

  it("should reject attributes that need subscriptions or do not exist", () => {
    for (const attr of ["plan", "product", "colour"]) {
      let caught: unknown;
      try {
        compareSegments(set, attr);
      } catch (err) {
        caught = err;
      }
      expect(isTenureError(caught, "validation")).toBe(true);
    }
  });

  it("should return nothing when there are no scored accounts", () => {
    expect(compareSegments([], "tier")).toEqual([]);
  });
});
