import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Card } from "../../components/card";
import { EmptyState, ErrorBanner, Skeleton } from "../../components/states";
import { useFormatters } from "../../lib/use-formatters";
import { JOB_STATUSES, type JobStatus, PAGE_SIZE, useJobs, useRetryJob } from "./queries";

/**
 * Settings → Jobs: how many jobs are queued, running, done and failed, and the jobs of one status
 * (failed first) with their attempts and last error; a failed job can be retried.
 */
export function JobsPage() {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const [status, setStatus] = useState<JobStatus | undefined>("failed");
  const [offset, setOffset] = useState(0);
  const jobs = useJobs(status, offset);
  const retry = useRetryJob();
  const counts = jobs.data?.counts;
  const total = jobs.data?.total ?? 0;
  const choose = (next: JobStatus | undefined) => {
    setStatus(next);
    setOffset(0);
  };
  return (
    <div className="page" data-testid="jobs-page">
      <div className="page-header">
        <div>
          <h1 className="page-title">{t("jobs.title")}</h1>
          <p className="muted small">{t("jobs.subtitle")}</p>
        </div>
      </div>
      <div className="kpi-grid" data-testid="job-counts">
        {JOB_STATUSES.map((s) => (
          <button
            key={s}
            type="button"
            className="kpi-tile"
            aria-pressed={status === s}
            onClick={() => choose(s)}
            data-testid={`job-count-${s}`}
          >
            <div className="kpi-label">{t(`jobs.statuses.${s}`)}</div>
            <div className="kpi-value">{counts ? fmt.number(counts[s], 0) : "…"}</div>
          </button>
        ))}
      </div>
      <Card
        title={status === undefined ? t("jobs.all") : t(`jobs.statuses.${status}`)}
        subtitle={
          total > 0
            ? t("jobs.page", {
                from: fmt.number(offset + 1, 0),
                to: fmt.number(Math.min(offset + PAGE_SIZE, total), 0),
                total: fmt.number(total, 0),
              })
            : undefined
        }
        actions={
          <label className="inline-field">
            <span className="filter-label">{t("jobs.filter")}</span>
            <select
              className="select select-compact"
              value={status ?? ""}
              onChange={(e) => choose(e.target.value === "" ? undefined : (e.target.value as JobStatus))}
              data-testid="job-status-filter"
            >
              <option value="">{t("jobs.all")}</option>
              {JOB_STATUSES.map((s) => (
                <option key={s} value={s}>
                  {t(`jobs.statuses.${s}`)}
                </option>
              ))}
            </select>
          </label>
        }
        testId="job-log"
      >
        {jobs.error ? <ErrorBanner error={jobs.error} onRetry={() => void jobs.refetch()} /> : null}
        {retry.error ? <ErrorBanner error={retry.error} /> : null}
        {retry.isSuccess ? (
          <p className="muted small" role="status">
            {t("jobs.retried")}
          </p>
        ) : null}
        {jobs.isPending ? <Skeleton height={120} /> : null}
        {jobs.data?.jobs.length === 0 ? <EmptyState>{t("jobs.empty")}</EmptyState> : null}
        {jobs.data && jobs.data.jobs.length > 0 ? (
          <div className="table-wrap">
            <table className="table" data-testid="job-table">
              <thead>
                <tr>
                  <th>{t("jobs.created")}</th>
                  <th>{t("jobs.kind")}</th>
                  <th>{t("jobs.status")}</th>
                  <th className="num">{t("jobs.attempts")}</th>
                  <th>{t("jobs.runAt")}</th>
                  <th>{t("jobs.lastError")}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {jobs.data.jobs.map((j) => (
                  <tr key={j.id} data-testid={`job-${j.status}`}>
                    <td className="nowrap">{fmt.dateTime(j.createdAt)}</td>
                    <td>
                      <code translate="no">{j.kind}</code>
                    </td>
                    <td>
                      <span className={j.status === "failed" ? "pill pill-bad" : "badge badge-muted"}>
                        {t(`jobs.statuses.${j.status}`)}
                      </span>
                    </td>
                    <td className="num">
                      {j.attempt} / {j.maxAttempts}
                    </td>
                    <td className="nowrap">{j.status === "done" ? fmt.missing : fmt.dateTime(j.runAt)}</td>
                    <td className="form-error">{j.lastError ?? ""}</td>
                    <td>
                      {j.status === "failed" ? (
                        <button
                          type="button"
                          className="button button-small"
                          disabled={retry.isPending}
                          onClick={() => retry.mutate(j.id)}
                          data-testid="job-retry"
                        >
                          {retry.isPending && retry.variables === j.id ? t("jobs.retrying") : t("jobs.retry")}
                        </button>
                      ) : null}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        ) : null}
        <div className="filter-bar">
          {offset > 0 ? (
            <button
              type="button"
              className="button button-ghost"
              onClick={() => setOffset(Math.max(0, offset - PAGE_SIZE))}
            >
              {t("jobs.previous")}
            </button>
          ) : null}
          {offset + PAGE_SIZE < total ? (
            <button type="button" className="button" onClick={() => setOffset(offset + PAGE_SIZE)}>
              {t("jobs.next")}
            </button>
          ) : null}
        </div>
      </Card>
    </div>
  );
}
