import { describe, expect, it } from "vitest";
import { isTenureError } from "../errors";
import { DEFAULT_SCORECARD } from "./default-scorecard";
import { parseScorecard, validateScorecard } from "./scorecard-schema";
import type { Scorecard } from "./scorecard-types";
import { simpleScorecard } from "./test-fixtures";

type Json = Record<string, unknown>;
const clone = (s: Scorecard): Json => JSON.parse(JSON.stringify(s)) as Json;
// biome-ignore lint/suspicious/noExplicitAny: tests poke at arbitrary JSON
const any = (x: unknown): any => x;

function problems(json: unknown): string[] {
  return validateScorecard(json).map((i) => `${i.path}: ${i.message}`);
}

describe("parseScorecard", () => {
  it("should accept the default scorecard when it is parsed from JSON", () => {
    expect(parseScorecard(clone(DEFAULT_SCORECARD))).toEqual(DEFAULT_SCORECARD);
  });

  it("should fill version and bands when they are omitted", () => {
    const json = clone(simpleScorecard());
    delete json.version;
    delete json.bands;
    const s = parseScorecard(json);
    expect(s.version).toBe(1);
    expect(s.bands).toEqual({ red: 40, yellow: 70 });
  });

  it("should name the path of a non-positive weight when a measure weight is 0", () => {
    const json = any(clone(DEFAULT_SCORECARD));
    json.profiles[1].dimensions[0].measures[2].weight = 0;
    expect(problems(json)).toEqual(["profiles[1].dimensions[0].measures[2].weight: must be > 0"]);
  });

  it("should reject an unknown metric key when a measure names one", () => {
    const json = any(clone(simpleScorecard()));
    json.profiles[0].dimensions[1].measures[0].metric = "logins";
    const [p] = problems(json);
    expect(p).toMatch(/^profiles\[0\]\.dimensions\[1\]\.measures\[0\]\.metric: unknown metric key "logins"/);
  });

  it("should reject duplicate keys when dimensions, measures or profiles repeat", () => {
    const json = any(clone(simpleScorecard()));
    json.profiles[0].dimensions[1].key = "people";
    json.profiles[0].dimensions[1].measures[0].key = "roles";
    json.profiles.push({ ...json.profiles[0], appliesTo: [{ attribute: "tier", value: "smb" }] });
    expect(problems(json)).toEqual([
      'profiles[0].dimensions[1].key: duplicate dimension key "people"',
      'profiles[0].dimensions[1].measures[0].key: duplicate measure key "roles"',
      'profiles[1].dimensions[1].key: duplicate dimension key "people"',
      'profiles[1].dimensions[1].measures[0].key: duplicate measure key "roles"',
      'profiles[1].id: duplicate profile id "default"',
    ]);
  });

  it("should require exactly one default profile when none or two have appliesTo []", () => {
    const none = any(clone(simpleScorecard()));
    none.profiles[0].appliesTo = [{ attribute: "tier", value: "enterprise" }];
    expect(problems(none)).toEqual([
      "profiles: exactly one default profile (appliesTo: []) is required, found none",
    ]);
    const two = any(clone(simpleScorecard()));
    two.profiles.push({ ...two.profiles[0], id: "other" });
    expect(problems(two)).toEqual([
      "profiles[1].appliesTo: exactly one default profile (appliesTo: []) is allowed; this is a second one",
    ]);
  });

  it("should reject plan and unknown attributes when a profile filter uses them", () => {
    const json = any(clone(DEFAULT_SCORECARD));
    json.profiles[0].appliesTo = [
      { attribute: "plan", value: "pro" },
      { attribute: "custom.size", value: "" },
    ];
    const ps = problems(json);
    expect(ps[0]).toMatch(
      /^profiles\[0\]\.appliesTo\[0\]\.attribute: unknown or unsupported attribute "plan"/,
    );
    expect(ps[1]).toBe("profiles[0].appliesTo[1].value: must not be empty");
  });

  it("should reject step scorings with gaps and linear scorings with worst = best", () => {
    const json = any(clone(simpleScorecard()));
    json.profiles[0].dimensions[0].measures[0].scoring = {
      type: "steps",
      steps: [
        { max: 1, score: 0 },
        { min: 2, score: 100 },
      ],
    };
    json.profiles[0].dimensions[0].measures[1].scoring = { type: "linear", worst: 5, best: 5 };
    json.profiles[0].dimensions[1].measures[0].scoring = { type: "steps", steps: [{ min: 0, score: 120 }] };
    expect(problems(json)).toEqual([
      "profiles[0].dimensions[0].measures[0].scoring.steps: steps must cover every value: nothing scores values from 1 to 2",
      "profiles[0].dimensions[0].measures[1].scoring.best: worst and best must differ",
      "profiles[0].dimensions[1].measures[0].scoring.steps[0].score: must be <= 100",
      "profiles[0].dimensions[1].measures[0].scoring.steps: steps must cover every value: nothing scores values below 0",
    ]);
  });

  it("should reject bands when red is not below yellow", () => {
    const json = any(clone(simpleScorecard()));
    json.bands = { red: 70, yellow: 70 };
    expect(problems(json)).toEqual(["bands.yellow: red must be < yellow"]);
  });

  it("should throw a validation TenureError listing every problem when several are wrong", () => {
    const json = any(clone(DEFAULT_SCORECARD));
    json.profiles[1].dimensions[0].measures[2].weight = -1;
    json.profiles[0].dimensions[2].weight = 0;
    json.profiles[0].dimensions[0].measures[0].metric = "nope";
    json.extra = true;
    let caught: unknown;
    try {
      parseScorecard(json);
    } catch (err) {
      caught = err;
    }
    expect(isTenureError(caught, "validation")).toBe(true);
    const message = (caught as Error).message;
    expect(message).toContain("4 problem(s)");
    expect(message).toContain("profiles[1].dimensions[0].measures[2].weight: must be > 0");
    expect(message).toContain("profiles[0].dimensions[2].weight: must be > 0");
    expect(message).toContain('profiles[0].dimensions[0].measures[0].metric: unknown metric key "nope"');
    expect(message).toContain('Unrecognized key: "extra"');
  });

  it("should explain the root problem when the input is not an object", () => {
    expect(() => parseScorecard(null)).toThrow(/\(root\): /);
  });
});
