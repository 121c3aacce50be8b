import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Card } from "../../components/card";
import { EmptyState, ErrorBanner, Skeleton } from "../../components/states";
import { type Formatters, useFormatters } from "../../lib/use-formatters";
import { ProgressBar } from "../success-plans/success-plan-card";
import { type PlaybookRun, textIn, useAccountRuns, useMoveRun, usePlaybooks, useStartRun } from "./api";
import "./playbooks.css";

function metricValue(fmt: Formatters, kind: string, v: number | null): string {
  if (v === null) return fmt.missing;
  return kind === "mrr" ? fmt.currency(v) : fmt.number(v, 1);
}

function RunRow({ run }: { run: PlaybookRun }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormatters();
  const move = useMoveRun();
  const closed = run.progress.done + run.progress.skipped;
  return (
    <li className="pb-run" id={`run-${run.id}`} data-testid="playbook-run" data-status={run.status}>
      <div className="pb-run-head">
        <strong>{textIn(run.playbookName, i18n.language)}</strong>
        <span className={`pb-badge pb-badge-${run.status}`}>{t(`playbooks.runs.status.${run.status}`)}</span>
        {run.holdout ? <span className="pb-badge">{t("playbooks.runs.holdout")}</span> : null}
        <span className="pb-muted">{t("playbooks.versionN", { version: run.version })}</span>
      </div>
      {run.holdout ? null : (
        <div className="pb-run-progress">
          <ProgressBar share={run.progress.total === 0 ? 0 : closed / run.progress.total} />
          <span className="pb-muted" data-testid="playbook-run-progress">
            {t("playbooks.runs.progress", { done: closed, total: run.progress.total })}
          </span>
        </div>
      )}
      <div className="pb-muted">
        {t("playbooks.runs.window", { start: fmt.date(run.startDate), end: fmt.date(run.windowEnd) })} ·{" "}
        {t("playbooks.runs.values", {
          metric: t(`playbooks.metrics.${run.metric.kind}`),
          start: metricValue(fmt, run.metric.kind, run.startValue),
          end:
            run.measuredAt === null
              ? t("playbooks.runs.pending")
              : metricValue(fmt, run.metric.kind, run.endValue),
        })}
        {run.succeeded === null ? null : (
          <> · {run.succeeded ? t("playbooks.runs.succeeded") : t("playbooks.runs.failed")}</>
        )}
        {run.snoozed && run.snoozedUntil !== null ? (
          <> · {t("playbooks.runs.snoozedUntil", { date: fmt.date(run.snoozedUntil) })}</>
        ) : null}
      </div>
      {run.status === "active" && !run.holdout ? (
        <div className="pb-actions">
          <button
            type="button"
            className="button button-ghost button-small"
            disabled={move.isPending}
            onClick={() => move.mutate({ id: run.id, days: 7 })}
          >
            {t("playbooks.runs.later")}
          </button>
          {run.snoozed && run.snoozedUntil !== null ? (
            <button
              type="button"
              className="button button-ghost button-small"
              disabled={move.isPending}
              onClick={() => move.mutate({ id: run.id, until: null })}
            >
              {t("playbooks.runs.wake")}
            </button>
          ) : (
            <button
              type="button"
              className="button button-ghost button-small"
              disabled={move.isPending}
              onClick={() => move.mutate({ id: run.id, snoozeDays: 14 })}
            >
              {t("playbooks.runs.snooze")}
            </button>
          )}
        </div>
      ) : null}
      {move.error ? <ErrorBanner error={move.error} /> : null}
    </li>
  );
}

/** The account page's playbook runs: start one, and each run's steps, dates and metric. */
export function PlaybookRunsCard({ accountId }: { accountId: string }) {
  const { t, i18n } = useTranslation();
  const runs = useAccountRuns(accountId);
  const library = usePlaybooks(false);
  const start = useStartRun();
  const [key, setKey] = useState("");
  const [notice, setNotice] = useState<string | null>(null);
  const onStart = () => {
    if (key === "") return;
    start.mutate(
      { key, accountId, locale: i18n.language.startsWith("zh") ? "zh-CN" : "en" },
      {
        onSuccess: (r) =>
          setNotice(
            r.created
              ? t("playbooks.runs.started", { count: r.run.steps.length })
              : t("playbooks.runs.existing"),
          ),
      },
    );
  };
  return (
    <Card title={t("playbooks.runs.title")} testId="account-playbook-runs">
      <div className="pb-start">
        <select
          aria-label={t("playbooks.runs.choose")}
          value={key}
          onChange={(e) => setKey(e.target.value)}
          data-testid="playbook-run-choose"
        >
          <option value="">{t("playbooks.runs.choose")}</option>
          {(library.data?.playbooks ?? []).map((p) => (
            <option key={p.key} value={p.key}>
              {textIn(p.definition.name, i18n.language)}
            </option>
          ))}
        </select>
        <button
          type="button"
          className="button button-small"
          disabled={key === "" || start.isPending}
          onClick={onStart}
          data-testid="playbook-run-start"
        >
          {t("playbooks.runs.start")}
        </button>
      </div>
      {notice ? (
        <p className="pb-muted" role="status">
          {notice}
        </p>
      ) : null}
      {start.error ? <ErrorBanner error={start.error} /> : null}
      {runs.isPending ? (
        <Skeleton height={80} />
      ) : runs.error ? (
        <ErrorBanner error={runs.error} onRetry={() => void runs.refetch()} />
      ) : (runs.data?.runs.length ?? 0) === 0 ? (
        <EmptyState>{t("playbooks.runs.empty")}</EmptyState>
      ) : (
        <ul className="pb-runs">
          {runs.data?.runs.map((r) => (
            <RunRow key={r.id} run={r} />
          ))}
        </ul>
      )}
    </Card>
  );
}
