import { dimensionName, type MetricKey, measureName, profileName } from "@tenure/core/text";
import { useCallback, useMemo } from "react";
import { useTranslation } from "react-i18next";
import { useMessageRenderer } from "./messages";

export interface Labels {
  /** A measure's label: the metric's translated name when the label is the product's own. */
  measure: (metric: string, label: string) => string;
  /** A dimension's label: translated for the default dimensions under their own label. */
  dimension: (key: string, label: string) => string;
  /** A scorecard profile's name: translated for the default scorecard's own profiles. */
  profile: (id: string, name: string) => string;
  /** An account attribute's name (tier, industry, …). */
  attribute: (attribute: string) => string;
  /** A value of an account attribute (tier, channel, industry): its display name when the product knows it. */
  value: (attribute: string, value: string | null | undefined) => string;
}

/**
 * Names a person reads for scorecard parts and for codes stored with accounts: the product's own labels and
 * codes in the viewer's language; labels and values a user wrote, as written.
 */
export function useLabels(): Labels {
  const { t } = useTranslation();
  const render = useMessageRenderer();
  const named = useCallback(
    (name: ReturnType<typeof measureName>) => (typeof name === "string" ? name : render(name)),
    [render],
  );
  const measure = useCallback(
    (metric: string, label: string) => named(measureName(metric as MetricKey, label)),
    [named],
  );
  const dimension = useCallback((key: string, label: string) => named(dimensionName(key, label)), [named]);
  const value = useCallback(
    (attribute: string, v: string | null | undefined) =>
      v === null || v === undefined || v === ""
        ? ""
        : // The product's codes (codes.*), then known data values (values.*), else the value as written.
          t(`codes.${attribute}.${v}`, { defaultValue: t(`values.${attribute}.${v}`, { defaultValue: v }) }),
    [t],
  );
  const profile = useCallback((id: string, name: string) => named(profileName(id, name)), [named]);
  const attribute = useCallback((a: string) => t(`filters.attributes.${a}`, { defaultValue: a }), [t]);
  // One object per language, so memoised consumers recompute only when it changes.
  return useMemo(
    () => ({ measure, dimension, profile, attribute, value }),
    [measure, dimension, profile, attribute, value],
  );
}
