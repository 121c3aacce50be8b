import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Card } from "../../components/card";
import { EmptyState, ErrorBanner, Skeleton } from "../../components/states";
import { useFormatters } from "../../lib/use-formatters";
import { useChannels, useDeliveryLog, useEndpoints } from "./queries";
import type { DeliveryStatus } from "./types";

const STATUSES: readonly DeliveryStatus[] = ["failed", "deferred", "sent"];

/** The delivery log: every email, webhook and chat delivery with its attempts and last error. */
export function DeliveryLogPanel() {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const [status, setStatus] = useState<DeliveryStatus | undefined>(undefined);
  const [cursor, setCursor] = useState<string | undefined>(undefined);
  const log = useDeliveryLog({ status, cursor });
  const counts = log.data?.counts;
  const endpoints = useEndpoints();
  const channels = useChannels();
  // Endpoints and channels are logged by id; show the names people gave them.
  const names = new Map<string, string>([
    ...(endpoints.data?.endpoints ?? []).map((e): [string, string] => [e.id, e.name]),
    ...(channels.data?.channels ?? []).map((c): [string, string] => [c.id, c.name]),
  ]);
  return (
    <Card
      title={t("integrations.tabs.log")}
      subtitle={counts ? t("integrations.log.counts", counts) : undefined}
      actions={
        <label className="inline-field">
          <span className="filter-label">{t("integrations.log.status")}</span>
          <select
            className="select select-compact"
            value={status ?? ""}
            onChange={(e) => {
              setStatus(e.target.value === "" ? undefined : (e.target.value as DeliveryStatus));
              setCursor(undefined);
            }}
            data-testid="delivery-status-filter"
          >
            <option value="">{t("integrations.log.all")}</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {t(`integrations.log.statuses.${s}`)}
              </option>
            ))}
          </select>
        </label>
      }
      testId="delivery-log"
    >
      {log.error ? <ErrorBanner error={log.error} onRetry={() => void log.refetch()} /> : null}
      {log.isPending ? <Skeleton height={120} /> : null}
      {log.data?.deliveries.length === 0 ? <EmptyState>{t("integrations.log.empty")}</EmptyState> : null}
      {log.data && log.data.deliveries.length > 0 ? (
        <div className="table-wrap">
          <table className="table" data-testid="delivery-table">
            <thead>
              <tr>
                <th>{t("integrations.log.updated")}</th>
                <th>{t("integrations.log.channel")}</th>
                <th>{t("integrations.log.target")}</th>
                <th>{t("integrations.log.status")}</th>
                <th className="num">{t("integrations.log.attempts")}</th>
                <th className="num">{t("integrations.log.code")}</th>
                <th>{t("integrations.log.lastError")}</th>
              </tr>
            </thead>
            <tbody>
              {log.data.deliveries.map((d) => (
                <tr key={d.id} data-testid={`delivery-${d.status}`}>
                  <td className="nowrap">{fmt.dateTime(d.updatedAt)}</td>
                  <td>{t(`integrations.log.channels.${d.channel}`)}</td>
                  <td className="muted">
                    {d.channel === "email" ? d.target : (names.get(d.target) ?? d.target)}
                  </td>
                  <td>
                    <span className={d.status === "failed" ? "pill pill-bad" : "badge badge-muted"}>
                      {t(`integrations.log.statuses.${d.status}`)}
                    </span>
                  </td>
                  <td className="num">{d.attempts}</td>
                  <td className="num">{d.responseCode ?? fmt.missing}</td>
                  <td className="form-error">{d.lastError ?? ""}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
      {cursor !== undefined || log.data?.nextCursor ? (
        <div className="filter-bar">
          {cursor !== undefined ? (
            <button type="button" className="button button-ghost" onClick={() => setCursor(undefined)}>
              {t("integrations.log.first")}
            </button>
          ) : null}
          {log.data?.nextCursor ? (
            <button
              type="button"
              className="button"
              onClick={() => setCursor(log.data.nextCursor ?? undefined)}
              data-testid="delivery-next"
            >
              {t("integrations.log.next")}
            </button>
          ) : null}
        </div>
      ) : null}
    </Card>
  );
}
