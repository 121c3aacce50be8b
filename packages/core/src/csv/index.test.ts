import { describe, expect, it } from "vitest";
import { csvCell, neutraliseFormula, toCsv } from "./index";

describe("CSV formula injection", () => {
  it("should prefix an apostrophe when text starts with = + - @ tab or CR", () => {
    for (const text of [
      "=1+2",
      "+cmd|' /C calc'!A0",
      "-2+3",
      "@SUM(A1)",
      "\t=1",
      "\r=1",
      "\n=1",
      '=HYPERLINK("http://x","y")',
    ]) {
      expect(neutraliseFormula(text), JSON.stringify(text)).toBe(`'${text}`);
    }
  });

  it("should leave numbers, text that is only a number and ordinary text as they are", () => {
    for (const text of ["-12.5", "+3", "-1e3", "-.5", "Acme", "a=b", "O'Brien", "", "1-2"]) {
      expect(neutraliseFormula(text), text).toBe(text);
    }
    expect(csvCell(-12.5)).toBe("-12.5");
    expect(csvCell(null)).toBe("");
    expect(csvCell(Number.NaN)).toBe("");
  });

  it("should quote cells with commas, quotes and line breaks after neutralising them", () => {
    expect(csvCell('=1,"2"')).toBe(`"'=1,""2"""`);
    expect(csvCell("a\nb")).toBe('"a\nb"');
    expect(
      toCsv([
        ["name", "arr"],
        ["=1+2", -5],
      ]),
    ).toBe("\uFEFFname,arr\r\n'=1+2,-5\r\n");
  });
});
