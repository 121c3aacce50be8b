import { describe, expect, it } from "vitest";
import { assertTimeZone, quietHoursEnd } from "./quiet-hours";

const shanghai = { timeZone: "Asia/Shanghai", start: "22:00", end: "08:00" };
const ny = { timeZone: "America/New_York", start: "22:00", end: "08:00" };

describe("quiet hours", () => {
  it("should hold a delivery at 23:00 in Shanghai until 08:00 the next local morning", () => {
    expect(quietHoursEnd(new Date("2026-12-08T15:00:00Z"), shanghai)?.toISOString()).toBe(
      "2026-12-09T00:00:00.000Z",
    );
  });

  it("should hold a delivery after local midnight until 08:00 the same local day", () => {
    // 02:30 in Shanghai on 9 December.
    expect(quietHoursEnd(new Date("2026-12-08T18:30:00Z"), shanghai)?.toISOString()).toBe(
      "2026-12-09T00:00:00.000Z",
    );
  });

  it("should let a delivery go outside quiet hours, including exactly at their end", () => {
    expect(quietHoursEnd(new Date("2026-12-08T04:00:00Z"), shanghai)).toBeNull();
    expect(quietHoursEnd(new Date("2026-12-09T00:00:00Z"), shanghai)).toBeNull();
    expect(quietHoursEnd(new Date("2026-12-08T13:59:00Z"), shanghai)).toBeNull();
  });

  it("should end New York quiet hours at 08:00 EDT, not EST, on the night clocks spring forward", () => {
    // 23:00 EST on Saturday 7 March 2026; DST starts at 02:00 on 8 March, so 08:00 is UTC-4.
    expect(quietHoursEnd(new Date("2026-03-08T04:00:00Z"), ny)?.toISOString()).toBe(
      "2026-03-08T12:00:00.000Z",
    );
  });

  it("should end New York quiet hours at 08:00 EST on the night clocks fall back", () => {
    // 23:00 EDT on Saturday 31 October 2026; DST ends at 02:00 on 1 November, so 08:00 is UTC-5.
    expect(quietHoursEnd(new Date("2026-11-01T03:00:00Z"), ny)?.toISOString()).toBe(
      "2026-11-01T13:00:00.000Z",
    );
  });

  it("should move an end time skipped by the spring-forward jump forward by the jump", () => {
    const q = { timeZone: "America/New_York", start: "01:00", end: "02:30" };
    // 01:30 EST on 8 March 2026: 02:30 does not exist that night; it becomes 03:30 EDT = 07:30Z.
    expect(quietHoursEnd(new Date("2026-03-08T06:30:00Z"), q)?.toISOString()).toBe(
      "2026-03-08T07:30:00.000Z",
    );
  });

  it("should treat a window inside one day and an empty window correctly", () => {
    const day = { timeZone: "UTC", start: "12:00", end: "13:00" };
    expect(quietHoursEnd(new Date("2026-12-08T12:30:00Z"), day)?.toISOString()).toBe(
      "2026-12-08T13:00:00.000Z",
    );
    expect(quietHoursEnd(new Date("2026-12-08T13:30:00Z"), day)).toBeNull();
    expect(quietHoursEnd(new Date("2026-12-08T12:30:00Z"), { ...day, end: "12:00" })).toBeNull();
  });

  it("should reject a bad time and an unknown time zone", () => {
    expect(() => quietHoursEnd(new Date(), { ...shanghai, start: "25:00" })).toThrow(/HH:MM/);
    expect(() => assertTimeZone("Mars/Olympus")).toThrow(/unknown time zone "Mars\/Olympus"/);
    expect(() => assertTimeZone("Europe/Berlin")).not.toThrow();
  });
});
