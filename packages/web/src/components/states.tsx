import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { ApiError } from "../api/client";

/** Grey placeholder blocks shown while data loads. */
export function Skeleton({ height = 16, width = "100%" }: { height?: number; width?: number | string }) {
  return <div className="skeleton" style={{ height, width }} aria-hidden="true" />;
}

/** A chart-sized loading placeholder. */
export function ChartSkeleton({ height = 320 }: { height?: number }) {
  const { t } = useTranslation();
  return (
    <div className="chart-skeleton" style={{ height }} role="status" aria-label={t("app.loading")}>
      <Skeleton height={height} />
    </div>
  );
}

/** Shows the server's error message, with a retry action when one is given. */
export function ErrorBanner({ error, onRetry }: { error: unknown; onRetry?: () => void }) {
  const { t } = useTranslation();
  const message = error instanceof Error ? error.message : String(error);
  const code = error instanceof ApiError ? error.code : undefined;
  // A refusal is no failure: say plainly that the role or book does not allow it, with the server's reason.
  const forbidden = error instanceof ApiError && error.status === 403;
  return (
    <div className="error-banner" role="alert" data-testid="error-banner" data-code={code}>
      <div>
        <strong>{forbidden ? t("access.forbiddenTitle") : t("app.errorTitle")}</strong>
        <span className="error-message">
          {forbidden ? t("access.forbidden", { reason: message }) : message}
        </span>
      </div>
      {onRetry ? (
        <button type="button" className="button button-small" onClick={onRetry}>
          {t("app.retry")}
        </button>
      ) : null}
    </div>
  );
}

/** A quiet message in place of a chart or table that has nothing to show. */
export function EmptyState({ children, testId }: { children: ReactNode; testId?: string }) {
  return (
    <div className="empty-state" data-testid={testId ?? "empty-state"}>
      {children}
    </div>
  );
}
