import { REASON_KEYS } from "@tenure/core";
import { REASON_MESSAGES_EN } from "@tenure/core/text";
import { describe, expect, it } from "vitest";
import { predictionsZh } from "./i18n-zh";

const placeholders = (s: string) => [...s.matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]).sort();

describe("prediction reason texts", () => {
  it("should have every reason in Chinese with the same parameters when the locale is zh-CN", () => {
    for (const key of REASON_KEYS) {
      const zh = (predictionsZh.reason as Record<string, string>)[key];
      expect(zh, key).toBeTruthy();
      // No untranslated English words outside the parameters (MRR, NPS, CSM are names).
      expect(zh!.replace(/\{\{\w+\}\}/g, ""), key).not.toMatch(/[A-Za-z]{4,}/);
      expect(placeholders(zh!), key).toEqual(placeholders(REASON_MESSAGES_EN[key]));
    }
  });
});
