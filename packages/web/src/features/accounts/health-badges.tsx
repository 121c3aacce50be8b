import { Link } from "@tanstack/react-router";
import { useTranslation } from "react-i18next";
import type { Band, Trend } from "../../api/account-types";
import { useFormatters } from "../../lib/use-formatters";

/** Band colours shared by badges and charts. */
export const BAND_COLORS: Record<Band, string> = {
  red: "#dc2626",
  yellow: "#f59e0b",
  green: "#16a34a",
  none: "#9ca3af",
};

/** A coloured health pill: score (or n/a) in its band's colour. */
export function HealthBadge({ score, band, testId }: { score: number | null; band: Band; testId?: string }) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  return (
    <span
      className={`health-badge health-${band}`}
      title={t(`health.bands.${band}`)}
      data-testid={testId}
      data-band={band}
      data-value={score === null ? "" : String(score)}
    >
      <span className="health-dot" aria-hidden="true" />
      {score === null ? t("health.noScore") : fmt.number(score, 0)}
    </span>
  );
}

/** ▲ / ▼ / → for a score trend. */
export function TrendArrow({ trend, testId }: { trend: Trend; testId?: string }) {
  const { t } = useTranslation();
  const arrow = trend === "up" ? "▲" : trend === "down" ? "▼" : "→";
  return (
    <span
      className={`trend trend-${trend}`}
      role="img"
      aria-label={t(`health.trend.${trend}`)}
      data-testid={testId}
      data-value={trend}
    >
      {arrow}
    </span>
  );
}

/** The account's name as a link to its page. */
export function AccountLink({ id, name }: { id: string; name: string }) {
  return (
    <Link
      to="/accounts/$accountId"
      params={{ accountId: id }}
      className="account-link"
      data-testid="account-link"
    >
      {name}
    </Link>
  );
}

/** A lifecycle stage label ("—" when not set). */
export function StageLabel({ stage }: { stage: string | null }) {
  const { t } = useTranslation();
  if (!stage) return <span className="muted">—</span>;
  return <span className={`stage stage-${stage}`}>{t(`stages.${stage}`, { defaultValue: stage })}</span>;
}
