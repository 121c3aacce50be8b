import { describe, expect, it } from "vitest";
import { DEFAULT_SIGNAL_SETTINGS, parseSignalSettingsOverrides, resolveSignalSettings } from "./settings";

describe("signal settings", () => {
  it("should merge overrides field by field over the defaults", () => {
    const s = resolveSignalSettings({ champion_silent: { silentDays: 30 }, reopenAfterDays: 3 });
    expect(s.champion_silent).toEqual({ ...DEFAULT_SIGNAL_SETTINGS.champion_silent, silentDays: 30 });
    expect(s.reopenAfterDays).toBe(3);
    expect(s.usage_drop).toBe(DEFAULT_SIGNAL_SETTINGS.usage_drop);
  });

  it("should accept valid workspace JSON", () => {
    expect(parseSignalSettingsOverrides({ quota_expansion: { minUsedRatio: 0.8 } })).toEqual({
      quota_expansion: { minUsedRatio: 0.8 },
    });
  });

  it("should reject unknown detectors, unknown fields and wrong kinds with their path", () => {
    expect(() => parseSignalSettingsOverrides({ nope: { enabled: true } })).toThrow(
      "at nope: unknown detector",
    );
    expect(() => parseSignalSettingsOverrides({ no_login: { dayz: 3 } })).toThrow(
      "at no_login.dayz: unknown setting",
    );
    expect(() => parseSignalSettingsOverrides({ no_login: { days: true } })).toThrow(
      "at no_login.days: expected number",
    );
    expect(() => parseSignalSettingsOverrides({ no_login: { days: -1 } })).toThrow("no_login.days");
  });
});
