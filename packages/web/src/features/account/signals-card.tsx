import { useState } from "react";
import { Trans, useTranslation } from "react-i18next";
import type { Signal } from "../../api/account-types";
import { Card } from "../../components/card";
import { EmptyState } from "../../components/states";
import { useMessageRenderer } from "../../lib/messages";
import { useFormatters } from "../../lib/use-formatters";
import { useSetSignalStatus } from "../accounts/queries";
import { SignalEvidence } from "./signal-evidence";

/** Open and acknowledged signals with acknowledge / resolve actions, then recently resolved ones. */
export function SignalsCard({ signals }: { signals: Signal[] }) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const render = useMessageRenderer();
  const setStatus = useSetSignalStatus();
  const [showResolved, setShowResolved] = useState(false);
  // Resolved signals are history: folded away until asked for.
  const resolved = signals.filter((s) => s.status === "resolved").length;
  const shown = showResolved ? signals : signals.filter((s) => s.status !== "resolved");
  return (
    <Card title={t("signals.title")} testId="account-signals">
      {setStatus.isError ? <div className="form-error">{setStatus.error.message}</div> : null}
      {shown.length === 0 ? (
        <EmptyState>{resolved > 0 ? t("signals.noneOpen") : t("signals.empty")}</EmptyState>
      ) : (
        <ul className="signal-list">
          {shown.map((s) => (
            <li
              key={s.id}
              id={`signal-${s.id}`}
              className={`signal signal-${s.kind} signal-status-${s.status}`}
              data-testid="signal"
              data-signal-id={s.id}
              data-status={s.status}
              data-kind={s.kind}
            >
              <div className="signal-head">
                <span className={`pill ${s.kind === "risk" ? "pill-bad" : "pill-good"}`}>
                  {t(`signals.kinds.${s.kind}`)}
                </span>
                <span className={`severity severity-${s.severity}`}>
                  {t(`signals.severity.${s.severity}`)}
                </span>
                <strong className="signal-title">{render(s.text.title)}</strong>
                <span className="muted small nowrap">{fmt.date(s.openedAt)}</span>
                <span className="muted small" data-testid="signal-status">
                  {t(`signals.status.${s.status}`)}
                </span>
                {s.actor !== null ? (
                  <span className="muted small" data-testid="signal-actor">
                    <Trans
                      i18nKey={`signals.by.${s.status}`}
                      values={{ name: s.actor.name }}
                      components={{ name: <span translate="no" /> }}
                    />
                  </span>
                ) : null}
              </div>
              <p className="signal-summary">{render(s.text.summary)}</p>
              <SignalEvidence evidence={s.evidence} />
              {s.status !== "resolved" ? (
                <div className="signal-actions">
                  {s.status === "open" ? (
                    <button
                      type="button"
                      className="button button-small"
                      disabled={setStatus.isPending}
                      onClick={() => setStatus.mutate({ id: s.id, status: "acknowledged" })}
                      data-testid="signal-acknowledge"
                    >
                      {t("signals.acknowledge")}
                    </button>
                  ) : null}
                  <button
                    type="button"
                    className="button button-small"
                    disabled={setStatus.isPending}
                    onClick={() => setStatus.mutate({ id: s.id, status: "resolved" })}
                    data-testid="signal-resolve"
                  >
                    {t("signals.resolve")}
                  </button>
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {resolved > 0 ? (
        <div className="table-toggle">
          <button
            type="button"
            className="button button-ghost button-small"
            onClick={() => setShowResolved((v) => !v)}
            data-testid="signals-show-resolved"
          >
            {showResolved ? t("signals.hideResolved") : t("signals.showResolved", { count: resolved })}
          </button>
        </div>
      ) : null}
    </Card>
  );
}
