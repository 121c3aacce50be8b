import { useCallback } from "react";
import { useTranslation } from "react-i18next";

/**
 * A stored code as words, for codes no translation or catalogue names:
 * "paid_search" → "Paid search", "data-platform" → "Data platform", "NA" stays "NA".
 */
export function humanizeCode(code: string): string {
  if (!/[_-]/.test(code) && code !== code.toLowerCase()) return code;
  const words = code.replace(/[_-]+/g, " ").trim();
  return words.length === 0 ? code : words.charAt(0).toUpperCase() + words.slice(1);
}

/** Attributes whose codes have translated display names (`codes.<attribute>.<code>` in the i18n files). */
export type CodeKind = "channel" | "tier" | "lifecycleStage" | "product";

/**
 * Returns `(kind, code, catalogueName?) => display name`: a catalogue name (plan, product) when the
 * data has one, else the translation of a known code, else the code in words. Never the raw code.
 */
export function useCodeLabel(): (kind: CodeKind | string, code: string, catalogueName?: string) => string {
  const { t } = useTranslation();
  return useCallback(
    (kind, code, catalogueName) => {
      if (catalogueName) return catalogueName;
      const key = kind === "lifecycleStage" ? `stages.${code}` : `codes.${kind}.${code}`;
      return t(key, { defaultValue: humanizeCode(code) });
    },
    [t],
  );
}
