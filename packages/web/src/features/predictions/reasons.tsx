import type { TFunction } from "i18next";
import { useTranslation } from "react-i18next";
import type { Formatters } from "../../lib/use-formatters";
import type { PredictionReason } from "./types";

/** Parameters whose figures are changes, shown with their sign ("+12", "−40"). */
const SIGNED = new Set(["change", "delta"]);

/** Reasons whose `value` is a stored code, and where its display name is (billing interval, tier). */
const CODE_VALUES: Readonly<Record<string, string>> = { billing: "values.interval", tier: "codes.tier" };

/** A reason's parameters as the viewer's locale writes them (money as currency, changes signed, codes named). */
function formatParams(t: TFunction, r: PredictionReason, fmt: Formatters): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, v] of Object.entries(r.params)) {
    const codes = CODE_VALUES[r.key];
    if (typeof v !== "number")
      out[name] = codes && name === "value" ? t(`${codes}.${v}`, { defaultValue: v }) : v;
    else if (name === "amount") out[name] = fmt.currency(v);
    else if (SIGNED.has(name) && v > 0) out[name] = `+${fmt.number(v, 1)}`;
    else out[name] = fmt.number(v, 1);
  }
  return out;
}

/** A reason as a sentence in the viewer's language, e.g. "no activity for 41 days" / "已 41 天无使用". */
export function reasonSentence(t: TFunction, r: PredictionReason, fmt: Formatters): string {
  return t(`predictions.reason.${r.key}`, {
    ...formatParams(t, r, fmt),
    defaultValue: t("predictions.reason.other"),
  });
}

/** `reasonSentence` bound to the current language (for tables of accounts). */
export function useReasonSentence(fmt: Formatters): (r: PredictionReason) => string {
  const { t } = useTranslation();
  return (r) => reasonSentence(t, r, fmt);
}

/** The plain-language label of a model feature (backtest's top features). */
export function useFeatureLabel(): (feature: string) => string {
  const { t } = useTranslation();
  return (feature) => t(`predictions.features.${feature}`, { defaultValue: feature });
}

/** A list of reasons: the fact, and whether it raises or lowers the probability. */
export function ReasonList({
  reasons,
  fmt,
  testId,
  limit = 5,
}: {
  reasons: readonly PredictionReason[];
  fmt: Formatters;
  testId: string;
  limit?: number;
}) {
  const { t } = useTranslation();
  return (
    <ul className="reason-list" data-testid={testId}>
      {reasons.slice(0, limit).map((r) => (
        <li
          key={`${r.key}-${r.feature}`}
          className="reason"
          data-key={r.key}
          data-feature={r.feature}
          data-contribution={r.contribution}
        >
          <span className={r.contribution > 0 ? "reason-arrow negative" : "reason-arrow positive"}>
            {r.contribution > 0 ? "▲" : "▼"}
          </span>
          <span>{reasonSentence(t, r, fmt)}</span>
          <span className="muted small">
            {r.contribution > 0 ? t("predictions.raises") : t("predictions.lowers")}
          </span>
        </li>
      ))}
    </ul>
  );
}

/** A recorded churn reason's display name (codes like needs_not_met read as words). */
export function churnReasonName(t: TFunction, reason: string): string {
  return t(`predictions.churned.reasons.${reason}`, { defaultValue: reason.replaceAll("_", " ") });
}
