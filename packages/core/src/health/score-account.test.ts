import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { DEFAULT_SCORECARD } from "./default-scorecard";
import { METRIC_KEYS, type MetricValues } from "./metric-catalog";
import {
  bandOf,
  compileScorecard,
  scoreAccount,
  scorecardVersion,
  selectProfile,
  unpackScore,
} from "./score-account";
import type { AccountScore, Scorecard } from "./scorecard-types";
import { account, HEALTHY, simpleScorecard, UNHEALTHY } from "./test-fixtures";

const measure = (s: AccountScore, key: string) =>
  s.dimensions.flatMap((d) => d.measures).find((m) => m.key === key);
const dimension = (s: AccountScore, key: string) => s.dimensions.find((d) => d.key === key);
const tenths = (x: number) => Math.round(x * 10);

describe("scoreAccount", () => {
  it("should weight dimensions and measures when every value is present", () => {
    const s = scoreAccount(simpleScorecard(), account(), {
      keyRoleCoverage: 0.5,
      daysSinceLastTouch: 20,
      seatUtilisation: 0.9,
    });
    // people (50 + 80) / 2 = 65 at 1/4, product 90 at 3/4 → 83.75
    expect(s.score).toBe(83.8);
    expect(s.band).toBe("green");
    expect(dimension(s, "people")).toMatchObject({ score: 65, effectiveWeight: 0.25 });
    expect(dimension(s, "product")).toMatchObject({ score: 90, effectiveWeight: 0.75 });
    expect(measure(s, "roles")).toMatchObject({
      value: 0.5,
      score: 50,
      effectiveWeight: 0.125,
      missing: false,
    });
    expect(measure(s, "seats")?.contribution).toBe(67.5);
  });

  it("should renormalise the dimension's other measures when a value is missing", () => {
    const s = scoreAccount(simpleScorecard(), account(), {
      keyRoleCoverage: 0.5,
      daysSinceLastTouch: null,
      seatUtilisation: 0.9,
    });
    expect(dimension(s, "people")?.score).toBe(50);
    expect(measure(s, "touch")).toMatchObject({
      value: null,
      score: null,
      contribution: 0,
      effectiveWeight: 0,
      missing: true,
    });
    expect(measure(s, "roles")?.effectiveWeight).toBe(0.25);
    expect(s.score).toBe(80);
  });

  it("should leave out a dimension without data when none of its measures has a value", () => {
    const s = scoreAccount(simpleScorecard(), account(), { keyRoleCoverage: 0.5, daysSinceLastTouch: 20 });
    const product = dimension(s, "product");
    expect(product).toMatchObject({ score: null, effectiveWeight: 0 });
    expect(product?.measures[0]?.missing).toBe(true);
    expect(dimension(s, "people")?.effectiveWeight).toBe(1);
    expect(s.score).toBe(65);
  });

  it("should treat NaN and infinite values as missing when they are given", () => {
    const s = scoreAccount(simpleScorecard(), account(), {
      keyRoleCoverage: Number.NaN,
      daysSinceLastTouch: Number.POSITIVE_INFINITY,
      seatUtilisation: 0.5,
    });
    expect(measure(s, "roles")?.missing).toBe(true);
    expect(measure(s, "touch")?.missing).toBe(true);
    expect(s.score).toBe(50);
  });

  it("should return a null score and band none when no metric has data", () => {
    const s = scoreAccount(simpleScorecard(), account(), {});
    expect(s.score).toBeNull();
    expect(s.band).toBe("none");
    expect(s.dimensions.every((d) => d.score === null && d.measures.every((m) => m.missing))).toBe(true);
  });
});

describe("bands", () => {
  const direct: Scorecard = {
    ...simpleScorecard(),
    profiles: [
      {
        id: "default",
        name: "Default",
        appliesTo: [],
        dimensions: [
          {
            key: "d",
            label: "D",
            weight: 1,
            // value = score, to put scores exactly on the boundaries
            measures: [
              {
                key: "m",
                label: "M",
                metric: "npsScore",
                weight: 1,
                scoring: { type: "linear", worst: 0, best: 100 },
              },
            ],
          },
        ],
      },
    ],
  };
  const band = (v: number) => scoreAccount(direct, account(), { npsScore: v }).band;

  it("should be red below red, yellow from red, green from yellow when scores sit on the boundaries", () => {
    expect(band(0)).toBe("red");
    expect(band(39.9)).toBe("red");
    expect(band(40)).toBe("yellow");
    expect(band(69.9)).toBe("yellow");
    expect(band(70)).toBe("green");
    expect(band(100)).toBe("green");
  });

  it("should use the scorecard's own thresholds when bandOf is given them", () => {
    expect(bandOf(50, { red: 50, yellow: 80 })).toBe("yellow");
    expect(bandOf(49.9, { red: 50, yellow: 80 })).toBe("red");
    expect(bandOf(null, { red: 50, yellow: 80 })).toBe("none");
  });
});

describe("profile selection", () => {
  const base = simpleScorecard();
  const def = base.profiles[0];
  if (def === undefined) throw new Error("fixture");
  const sc: Scorecard = {
    ...base,
    profiles: [
      {
        ...def,
        id: "eu-enterprise",
        appliesTo: [
          { attribute: "tier", value: "enterprise" },
          { attribute: "region", value: "EU" },
        ],
      },
      { ...def, id: "strategic", appliesTo: [{ attribute: "tag", value: "Strategic" }] },
      { ...def, id: "pilot", appliesTo: [{ attribute: "custom.contract_type", value: "pilot" }] },
      def,
    ],
  };
  const pick = (partial: Parameters<typeof account>[0]) =>
    compileScorecard(sc)(account(partial), {}).profileId;

  it("should pick a profile only when all its filters match, case-insensitively", () => {
    expect(pick({ tier: "Enterprise", region: "eu" })).toBe("eu-enterprise");
    expect(pick({ tier: "enterprise", region: "US" })).toBe("default");
    expect(pick({ tags: ["strategic"] })).toBe("strategic");
    expect(pick({ customFields: { Contract_Type: "PILOT" } })).toBe("pilot");
    expect(pick({})).toBe("default");
  });

  it("should pick the first matching profile when several match", () => {
    expect(pick({ tier: "enterprise", region: "EU", tags: ["strategic"] })).toBe("eu-enterprise");
    expect(
      selectProfile(sc, account({ tags: ["strategic"], customFields: { contract_type: "pilot" } })).id,
    ).toBe("strategic");
  });

  it("should use the enterprise profile of the default scorecard when tier is enterprise", () => {
    expect(scoreAccount(DEFAULT_SCORECARD, account({ tier: "ENTERPRISE" }), HEALTHY).profileId).toBe(
      "enterprise",
    );
    expect(scoreAccount(DEFAULT_SCORECARD, account({ tier: "smb" }), HEALTHY).profileId).toBe("default");
  });
});

describe("default scorecard", () => {
  it("should be green for a healthy account and red for an unhealthy one when either profile applies", () => {
    for (const tier of ["enterprise", "smb", null]) {
      const healthy = scoreAccount(DEFAULT_SCORECARD, account({ tier }), HEALTHY);
      const unhealthy = scoreAccount(DEFAULT_SCORECARD, account({ tier }), UNHEALTHY);
      expect(healthy.band, `healthy ${tier}`).toBe("green");
      expect(healthy.score).toBeGreaterThanOrEqual(90);
      expect(unhealthy.band, `unhealthy ${tier}`).toBe("red");
      expect(unhealthy.score).toBeLessThan(15);
    }
  });

  it("should have the three dimensions of seed 000 when any profile is used", () => {
    for (const p of DEFAULT_SCORECARD.profiles)
      expect(p.dimensions.map((d) => d.key)).toEqual(["people", "product", "money"]);
  });
});

/** Any metric values, each missing one time in four. */
const metricsArb = fc.record(
  Object.fromEntries(
    METRIC_KEYS.map((k) => [
      k,
      fc.option(fc.double({ min: -50, max: 500, noNaN: true }), { nil: null, freq: 4 }),
    ]),
  ) as Record<(typeof METRIC_KEYS)[number], fc.Arbitrary<number | null>>,
  { requiredKeys: [] },
);

describe("contributions (property)", () => {
  const weightsArb = fc.array(fc.double({ min: 0.01, max: 100, noNaN: true }), {
    minLength: 40,
    maxLength: 40,
  });

  it("should add up exactly to the score when values and weights are arbitrary", () => {
    fc.assert(
      fc.property(metricsArb, weightsArb, fc.boolean(), (metrics: MetricValues, weights, enterprise) => {
        // reweight every dimension and measure of the default scorecard with arbitrary positive weights
        let w = 0;
        const next = () => weights[w++ % weights.length] as number;
        const sc: Scorecard = {
          ...DEFAULT_SCORECARD,
          profiles: DEFAULT_SCORECARD.profiles.map((p) => ({
            ...p,
            dimensions: p.dimensions.map((d) => ({
              ...d,
              weight: next(),
              measures: d.measures.map((m) => ({ ...m, weight: next() })),
            })),
          })),
        };
        const s = scoreAccount(sc, account({ tier: enterprise ? "enterprise" : "smb" }), metrics);
        const all = s.dimensions.flatMap((d) => d.measures);
        if (s.score === null) {
          expect(all.every((m) => m.missing && m.contribution === 0)).toBe(true);
          return;
        }
        expect(s.score).toBeGreaterThanOrEqual(0);
        expect(s.score).toBeLessThanOrEqual(100);
        expect(tenths(s.score)).toBe(s.score * 10);
        const sumTenths = all.reduce((acc, m) => acc + tenths(m.contribution), 0);
        expect(sumTenths).toBe(tenths(s.score));
        expect(Math.abs(all.reduce((acc, m) => acc + m.contribution, 0) - s.score)).toBeLessThan(1e-9);
        for (const m of all) {
          expect(m.contribution).toBeGreaterThanOrEqual(0);
          // rounding moves a contribution by less than a tenth of a point from its exact value
          const exact = m.missing ? 0 : m.effectiveWeight * (m.score ?? 0);
          expect(Math.abs(m.contribution - exact)).toBeLessThan(0.16);
        }
        const shares = all.reduce((acc, m) => acc + m.effectiveWeight, 0);
        expect(shares).toBeCloseTo(1, 9);
      }),
      { numRuns: 300 },
    );
  });
});

describe("packed scores (property)", () => {
  // What storage gives back: the JSON text read again.
  const stored = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

  it("should unpack, after a JSON round trip, to exactly the full breakdown of any metrics and profile", () => {
    const scorecards = [DEFAULT_SCORECARD, simpleScorecard()];
    const scorers = scorecards.map((sc) => compileScorecard(sc));
    fc.assert(
      fc.property(metricsArb, fc.boolean(), fc.nat(1), (metrics: MetricValues, enterprise, which) => {
        const sc = scorecards[which] as Scorecard;
        const score = scorers[which] as ReturnType<typeof compileScorecard>;
        const a = account({ tier: enterprise ? "enterprise" : "smb" });
        expect(unpackScore(stored(score.pack(a, metrics)), sc)).toEqual(stored(score(a, metrics)));
      }),
      { numRuns: 500 },
    );
  });

  it("should keep only numbers per measure, far smaller than the full breakdown", () => {
    const score = compileScorecard(DEFAULT_SCORECARD);
    const packed = score.pack(account({ tier: "smb" }), HEALTHY);
    expect(packed.measures.every((x) => x === null || typeof x === "number")).toBe(true);
    expect(JSON.stringify(packed).length * 3).toBeLessThan(JSON.stringify(score(account(), HEALTHY)).length);
  });

  it("should give the score without dimensions when the profile is not in the scorecard", () => {
    const packed = compileScorecard(DEFAULT_SCORECARD).pack(account({ tier: "smb" }), HEALTHY);
    const other = simpleScorecard();
    other.profiles[0] = { ...(other.profiles[0] as Scorecard["profiles"][number]), id: "elsewhere" };
    expect(unpackScore(packed, other)).toEqual({
      score: packed.score,
      band: packed.band,
      profileId: packed.profileId,
      dimensions: [],
    });
  });

  it("should name a scorecard version by its content", () => {
    const a = simpleScorecard();
    const b = simpleScorecard();
    expect(scorecardVersion(a)).toBe(scorecardVersion(b));
    expect(scorecardVersion(a)).toMatch(/^[0-9a-f]{16}$/);
    (b.profiles[0]?.dimensions[0] as { label: string }).label = "Relationships";
    expect(scorecardVersion(a)).not.toBe(scorecardVersion(b));
    expect(scorecardVersion(DEFAULT_SCORECARD)).not.toBe(scorecardVersion(a));
  });
});

describe("compileScorecard", () => {
  it("should give the same score, band and dimension scores in the summary as in the full result", () => {
    const score = compileScorecard(DEFAULT_SCORECARD);
    for (const [tier, m] of [
      ["enterprise", HEALTHY],
      ["smb", UNHEALTHY],
      ["smb", { npsScore: 7 }],
      ["smb", {}],
    ] as const) {
      const a = account({ tier });
      const fullScore = score(a, m);
      expect(score.summary(a, m)).toEqual({
        score: fullScore.score,
        band: fullScore.band,
        profileId: fullScore.profileId,
        dimensions: fullScore.dimensions.map((d) => ({ key: d.key, score: d.score })),
      });
    }
  });

  it("should give the same result as scoreAccount when reused across accounts", () => {
    const score = compileScorecard(DEFAULT_SCORECARD);
    for (const [tier, m] of [
      ["enterprise", HEALTHY],
      ["smb", UNHEALTHY],
      ["enterprise", { npsScore: 7 }],
    ] as const) {
      expect(score(account({ tier }), m)).toEqual(scoreAccount(DEFAULT_SCORECARD, account({ tier }), m));
    }
  });
});
