import { afterEach, describe, expect, it } from "vitest";
import { scratch, tenure } from "./helpers";

// R's `sleep` data (ORACLES.md) as a user's table: group 1 treated, group 2 control, with an
// invented pre column (the same one the core test checks against numpy/scipy).
const SLEEP_CSV = [
  "id,group,pre,extra",
  ...[0.7, -1.6, -0.2, -1.2, -0.1, 3.4, 3.7, 0.8, 0.0, 2.0].map(
    (y, i) => `a${i + 1},1,${[0.5, -1.0, 0.3, -0.8, 0.2, 2.9, 3.1, 1.1, -0.4, 1.5][i]},${y}`,
  ),
  ...[1.9, 0.8, 1.1, 0.1, -0.1, 4.4, 5.5, 1.6, 4.6, 3.4].map(
    (y, i) => `b${i + 1},2,${[1.2, 0.9, 0.4, 0.6, -0.5, 3.8, 4.9, 1.0, 3.7, 2.6][i]},${y}`,
  ),
].join("\n");

let s: ReturnType<typeof scratch> | undefined;
afterEach(() => s?.cleanup());

const estimate = (file: string, ...extra: string[]) =>
  tenure(
    "effect",
    "estimate",
    "--csv",
    file,
    "--group",
    "group",
    "--treated",
    "1",
    "--post",
    "extra",
    ...extra,
  );

describe("tenure effect estimate", () => {
  it("should print exactly the documented keys and R's Welch interval when given --no-cuped", async () => {
    s = scratch();
    const { code, stdout, stderr } = await estimate(s.file("sleep.csv", SLEEP_CSV), "--no-cuped", "--json");
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const r = JSON.parse(stdout);
    expect(Object.keys(r)).toEqual([
      "effect",
      "ciLow",
      "ciHigh",
      "pValue",
      "relativeEffect",
      "theta",
      "nTreated",
      "nControl",
      "df",
    ]);
    expect(r.effect.toFixed(2)).toBe("-1.58");
    expect(r.ciLow.toFixed(7)).toBe("-3.3654832");
    expect(r.ciHigh.toFixed(7)).toBe("0.2054832");
    expect(r.pValue.toFixed(5)).toBe("0.07939");
    expect(r.df.toFixed(3)).toBe("17.776");
    expect(r).toMatchObject({ theta: null, nTreated: 10, nControl: 10 });
  });

  it("should adjust by the pre column when CUPED is on (numpy/scipy reference)", async () => {
    s = scratch();
    const { code, stdout } = await estimate(s.file("sleep.csv", SLEEP_CSV), "--pre", "pre", "--json");
    expect(code).toBe(0);
    const r = JSON.parse(stdout);
    expect(r.theta).toBeCloseTo(1.1875710496400151, 10);
    expect(r.effect).toBeCloseTo(-0.24992042440318318, 10);
    expect(r.ciLow).toBeCloseTo(-0.6094379786366124, 9);
    expect(r.ciHigh).toBeCloseTo(0.10959712983024611, 9);
  });

  it("should print a table with the interval and a verdict when --json is not given", async () => {
    s = scratch();
    const { code, stdout } = await estimate(s.file("sleep.csv", SLEEP_CSV), "--pre", "pre");
    expect(code).toBe(0);
    expect(stdout).toContain("95% confidence interval");
    expect(stdout).toContain("-0.6094 to 0.1096");
    expect(stdout).toContain("includes 0");
  });

  it("should name the missing column and the flag that asked for it when a column does not exist", async () => {
    s = scratch();
    const { code, stderr } = await estimate(s.file("sleep.csv", SLEEP_CSV), "--pre", "before", "--json");
    expect(code).toBe(2);
    expect(stderr).toContain(
      'sleep.csv has no column "before" (--pre); its columns are: id, group, pre, extra',
    );
  });

  it("should name the row and column when a value is not a number", async () => {
    s = scratch();
    const bad = SLEEP_CSV.replace("a3,1,0.3,-0.2", "a3,1,0.3,n/a");
    const { code, stderr } = await estimate(s.file("bad.csv", bad), "--pre", "pre");
    expect(code).toBe(2);
    // Header = line 1, so a3 is on line 4.
    expect(stderr).toContain('bad.csv row 4, column "extra": "n/a" is not a number');
  });

  it("should refuse a group of fewer than 2 rows, naming it", async () => {
    s = scratch();
    const one = ["group,pre,extra", "1,1,2", "2,1,3", "2,2,5"].join("\n");
    const { code, stderr } = await estimate(s.file("one.csv", one), "--pre", "pre");
    expect(code).toBe(2);
    expect(stderr).toContain("the treated group has 1 unit; at least 2 are needed");
  });

  it("should say which values exist when no row has the treated value", async () => {
    s = scratch();
    const { code, stderr } = await tenure(
      "effect",
      "estimate",
      "--csv",
      s.file("sleep.csv", SLEEP_CSV),
      "--group",
      "group",
      "--treated",
      "A",
      "--post",
      "extra",
      "--no-cuped",
    );
    expect(code).toBe(2);
    expect(stderr).toContain('no row of sleep.csv has "A" in column "group" (values seen: 1, 2)');
  });

  it("should ask for --pre when CUPED is on and no pre column is given", async () => {
    s = scratch();
    const { code, stderr } = await estimate(s.file("sleep.csv", SLEEP_CSV));
    expect(code).toBe(2);
    expect(stderr).toContain("--pre is required with CUPED");
  });
});
