import { useTranslation } from "react-i18next";
import type { Formatters } from "../../lib/use-formatters";
import type { PredictionReason } from "./types";

/** Features whose values are shares (0..1), shown as percentages. */
const SHARES = new Set(["seatUtilisation", "keyRoleCoverage", "quotaPace"]);
/** Features whose values are ratios now / before, shown as ×. */
const RATIOS = new Set(["mrrTrend3m", "activeUsersTrend", "usageTrend"]);

/** A reason's value in plain words: shares as %, trends as ×, the discount in %. */
export function reasonValue(r: PredictionReason, fmt: Formatters): string {
  const v = r.value;
  if (v === null) return fmt.missing;
  if (typeof v === "boolean") return v ? "✓" : "✗";
  if (typeof v === "string") return v;
  if (SHARES.has(r.feature)) return fmt.percent(v, 0);
  if (RATIOS.has(r.feature)) return `×${fmt.number(v, 2)}`;
  if (r.feature === "discountPct") return fmt.percent(v / 100, 0);
  if (r.feature === "mrr") return fmt.currency(v);
  return fmt.number(v, Math.abs(v) < 10 && !Number.isInteger(v) ? 1 : 0);
}

/** The plain-language label of a model feature; products ("a × b") are labelled part by part. */
export function useFeatureLabel(): (feature: string) => string {
  const { t } = useTranslation();
  const one = (f: string): string => {
    const log = /^log1p\((.+)\)$/.exec(f);
    if (log) return one(log[1]!);
    const square = /^(.+)²$/.exec(f);
    if (square) return one(square[1]!);
    return t(`predictions.features.${f}`, { defaultValue: f });
  };
  return (feature) => feature.split(" × ").map(one).join(" × ");
}

/** A list of reasons: the feature and its value, and whether it raises or lowers the probability. */
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
  const label = useFeatureLabel();
  return (
    <ul className="reason-list" data-testid={testId}>
      {reasons.slice(0, limit).map((r) => (
        <li key={r.feature} className="reason" data-feature={r.feature} data-contribution={r.contribution}>
          <span className={r.contribution > 0 ? "reason-arrow negative" : "reason-arrow positive"}>
            {r.contribution > 0 ? "▲" : "▼"}
          </span>
          <span>
            {t("predictions.reasonLine", { feature: label(r.feature), value: reasonValue(r, fmt) })}
          </span>
          <span className="muted small">
            {r.contribution > 0 ? t("predictions.raises") : t("predictions.lowers")}
          </span>
        </li>
      ))}
    </ul>
  );
}
