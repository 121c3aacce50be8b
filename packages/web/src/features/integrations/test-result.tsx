import { useTranslation } from "react-i18next";
import type { Delivery } from "./types";

/** The outcome of a "send test": the response code, or the error the service gave. */
export function TestResult({ delivery }: { delivery: Delivery | undefined }) {
  const { t } = useTranslation();
  if (delivery === undefined) return null;
  return delivery.status === "sent" ? (
    <span className="badge" data-testid="test-result">
      {t("integrations.common.testSent", { code: delivery.responseCode ?? "-" })}
    </span>
  ) : (
    <span className="form-error" role="alert" data-testid="test-result">
      {t("integrations.common.testFailed", { error: delivery.lastError ?? delivery.status })}
    </span>
  );
}
