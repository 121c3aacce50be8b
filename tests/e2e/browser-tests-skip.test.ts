import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const e2eDir = fileURLToPath(new URL(".", import.meta.url));

describe("browser test files", () => {
  it("should each skip through skipBrowserTests() so a run without Chromium says so once and CI fails", () => {
    const browserFiles = readdirSync(e2eDir)
      .filter((f) => f.endsWith(".test.ts") && f !== "browser-tests-skip.test.ts")
      .filter((f) => /useDemoBrowser|launchChromium/.test(readFileSync(`${e2eDir}/${f}`, "utf8")));
    expect(browserFiles.length).toBeGreaterThan(0);
    const unguarded = browserFiles.filter(
      (f) => !/describe\.skipIf\(skipBrowserTests\(\)\)/.test(readFileSync(`${e2eDir}/${f}`, "utf8")),
    );
    expect(unguarded).toEqual([]);
  });
});
