import { useTranslation } from "react-i18next";
import type { Formatters } from "../../lib/use-formatters";
import type { ClvSettings, RetentionFit } from "./types";

/**
 * The basis shown next to every CLV: the gross margin and discount rate in use, "revenue LTV" at a
 * 100% margin (the values are then revenue, not profit).
 */
export function ClvBasis({ settings, fmt }: { settings: ClvSettings; fmt: Formatters }) {
  const { t } = useTranslation();
  return (
    <span className="muted small" data-testid="clv-basis" data-revenue-ltv={settings.revenueLtv}>
      {settings.revenueLtv ? (
        <span className="pill pill-warn" data-testid="clv-revenue-ltv">
          {t("predictions.clvBasis.revenueLtv")}
        </span>
      ) : null}{" "}
      {t("predictions.clvBasis.text", {
        margin: fmt.percent(settings.grossMargin, 1),
        rate: fmt.percent(settings.annualDiscountRate, 1),
      })}
    </span>
  );
}

/** Which retention model stood behind a CLV, in words (the sBG fit, or what replaced it and why). */
export function useRetentionText() {
  const { t } = useTranslation();
  return (m: RetentionFit, fmt: Formatters): string => {
    const churn = fmt.percent(m.monthlyChurn, 1);
    // The group is "all" or a tier code: named in the viewer's language.
    const group = t(`codes.tier.${m.group}`, {
      defaultValue: t(`values.tier.${m.group}`, { defaultValue: m.group }),
    });
    if (m.method === "observed_retention") return t("predictions.retention.observed", { group, churn });
    const params = {
      group,
      alpha: m.alpha === null ? fmt.missing : fmt.number(m.alpha, 3),
      beta: m.beta === null ? fmt.missing : fmt.number(m.beta, 3),
      churn,
    };
    return m.method === "pooled_sbg"
      ? t("predictions.retention.pooled", params)
      : t("predictions.retention.sbg", params);
  };
}
