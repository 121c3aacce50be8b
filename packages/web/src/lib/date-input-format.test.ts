import { describe, expect, it } from "vitest";
import { formatIsoForInput, parseInputToIso } from "./date-input-format";

describe("date fields in the viewer's locale", () => {
  it("should write year, month, day in the locale's order when showing a date", () => {
    expect(formatIsoForInput("2026-12-07", "zh-CN", "date")).toBe("2026/12/07");
    expect(formatIsoForInput("2026-12-07", "en", "date")).toBe("12/07/2026");
    expect(formatIsoForInput("2026-03", "zh-CN", "month")).toBe("2026/03");
    expect(formatIsoForInput("", "zh-CN", "date")).toBe("");
  });

  it("should read what a Chinese reader types, with any separator, back to ISO", () => {
    expect(parseInputToIso("2026/12/7", "zh-CN", "date")).toBe("2026-12-07");
    expect(parseInputToIso("2026-1-5", "zh-CN", "date")).toBe("2026-01-05");
    expect(parseInputToIso("2026年3月", "zh-CN", "month")).toBe("2026-03");
    expect(parseInputToIso("12/07/2026", "en", "date")).toBe("2026-12-07");
  });

  it("should refuse dates that do not exist or are incomplete when parsing", () => {
    expect(parseInputToIso("2024/02/30", "zh-CN", "date")).toBeNull();
    expect(parseInputToIso("2026/13/01", "zh-CN", "date")).toBeNull();
    expect(parseInputToIso("2026/12", "zh-CN", "date")).toBeNull();
    expect(parseInputToIso("12/07/2026", "zh-CN", "date")).toBeNull();
  });
});
