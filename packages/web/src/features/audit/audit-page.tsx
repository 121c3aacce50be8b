import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Card } from "../../components/card";
import { DateInput } from "../../components/date-input";
import { EmptyState, ErrorBanner, Skeleton } from "../../components/states";
import { useFormatters } from "../../lib/use-formatters";
import { AuditDiff } from "./audit-diff";
import { type AuditFilters, auditExportUrl, useAudit } from "./queries";

const FIELDS = ["actor", "action", "entityType", "entityId"] as const;

/**
 * Settings → Audit log (admin): every change, who made it (user, key or the CLI), from where and
 * when, filtered and paged, each with the fields it changed; exports as CSV or JSON lines.
 */
export function AuditPage() {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const [draft, setDraft] = useState<AuditFilters>({});
  const [filters, setFilters] = useState<AuditFilters>({});
  // The cursors of the pages before this one, to go back.
  const [cursors, setCursors] = useState<(string | undefined)[]>([undefined]);
  const before = cursors.at(-1);
  const audit = useAudit(filters, before);
  const [open, setOpen] = useState<string | null>(null);
  const set = (k: keyof AuditFilters, v: string) =>
    setDraft((d) => ({ ...d, [k]: v === "" ? undefined : v }));
  return (
    <div className="page" data-testid="audit-page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t("audit.title")}</h1>
          <p className="muted small">{t("audit.subtitle")}</p>
        </div>
        <div className="row-actions">
          <a
            className="button button-ghost"
            href={auditExportUrl(filters, "csv")}
            download
            data-testid="audit-export-csv"
          >
            {t("audit.exportCsv")}
          </a>
          <a
            className="button button-ghost"
            href={auditExportUrl(filters, "jsonl")}
            download
            data-testid="audit-export-jsonl"
          >
            {t("audit.exportJsonl")}
          </a>
        </div>
      </div>
      <Card title={t("audit.filters")} testId="audit-filters">
        <form
          className="form-row"
          onSubmit={(e) => {
            e.preventDefault();
            setFilters(draft);
            setCursors([undefined]);
          }}
        >
          {FIELDS.map((f) => (
            <label key={f} className="inline-field">
              <span className="filter-label">{t(`audit.${f}`)}</span>
              <input
                className="input"
                value={draft[f] ?? ""}
                onChange={(e) => set(f, e.target.value)}
                data-testid={`audit-filter-${f}`}
              />
            </label>
          ))}
          <span className="inline-field">
            <span className="filter-label" aria-hidden="true">
              {t("audit.from")}
            </span>
            <DateInput
              value={draft.from ?? ""}
              onChange={(iso) => set("from", iso)}
              ariaLabel={t("audit.from")}
              testId="audit-from"
            />
          </span>
          <span className="inline-field">
            <span className="filter-label" aria-hidden="true">
              {t("audit.to")}
            </span>
            <DateInput
              value={draft.to ?? ""}
              onChange={(iso) => set("to", iso)}
              ariaLabel={t("audit.to")}
              testId="audit-to"
            />
          </span>
          <button type="submit" className="button button-primary" data-testid="audit-apply">
            {t("audit.apply")}
          </button>
        </form>
      </Card>
      <Card title={t("audit.entries")} testId="audit-log">
        {audit.error ? <ErrorBanner error={audit.error} onRetry={() => void audit.refetch()} /> : null}
        {audit.isPending ? <Skeleton height={160} /> : null}
        {audit.data?.entries.length === 0 ? <EmptyState>{t("audit.empty")}</EmptyState> : null}
        {audit.data && audit.data.entries.length > 0 ? (
          <div className="table-wrap">
            <table className="table" data-testid="audit-table">
              <thead>
                <tr>
                  <th>{t("audit.at")}</th>
                  <th>{t("audit.actor")}</th>
                  <th>{t("audit.action")}</th>
                  <th>{t("audit.entity")}</th>
                  <th>{t("audit.ip")}</th>
                  <th>{t("audit.changes")}</th>
                </tr>
              </thead>
              <tbody>
                {audit.data.entries.map((e) => (
                  <tr key={e.id} data-testid="audit-row">
                    <td className="nowrap">{fmt.dateTime(e.at)}</td>
                    <td>
                      {e.actor.label}{" "}
                      <span className="badge badge-muted">{t(`audit.actorTypes.${e.actor.type}`)}</span>
                    </td>
                    <td>
                      <code translate="no">{e.action}</code>
                    </td>
                    <td>
                      {e.entityType}
                      {e.entityId ? (
                        <>
                          {" "}
                          <code translate="no">{e.entityId}</code>
                        </>
                      ) : null}
                    </td>
                    <td className="nowrap">{e.ip ?? fmt.missing}</td>
                    <td>
                      {open === e.id ? (
                        <AuditDiff before={e.before} after={e.after} />
                      ) : (
                        <button type="button" className="button button-small" onClick={() => setOpen(e.id)}>
                          {t("audit.show")}
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        <div className="row-actions">
          <button
            type="button"
            className="button button-ghost"
            disabled={cursors.length <= 1}
            onClick={() => setCursors((c) => c.slice(0, -1))}
          >
            {t("audit.newer")}
          </button>
          <button
            type="button"
            className="button button-ghost"
            disabled={!audit.data?.next}
            onClick={() => {
              const next = audit.data?.next;
              if (next) setCursors((c) => [...c, next]);
            }}
            data-testid="audit-older"
          >
            {t("audit.older")}
          </button>
        </div>
      </Card>
    </div>
  );
}
