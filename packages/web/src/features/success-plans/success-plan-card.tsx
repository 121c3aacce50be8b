import { useState } from "react";
import "./success-plans.css";
import { useTranslation } from "react-i18next";
import { Card } from "../../components/card";
import { EmptyState, ErrorBanner, Skeleton } from "../../components/states";
import { type Formatters, useFormatters } from "../../lib/use-formatters";
import {
  type SuccessPlan,
  type SuccessPlanGoal,
  useAccountPlans,
  useCreatePlan,
  usePlanTemplates,
  useSetMilestone,
  useUpdateGoal,
  useUpdatePlan,
} from "./api";

/** A 0..1 share as a bar (decorative; the text beside it carries the number). */
export function ProgressBar({ share, testId }: { share: number; testId?: string }) {
  return (
    <div className="progress" aria-hidden="true" data-testid={testId} data-share={share}>
      <div
        className="progress-bar"
        style={{ width: `${Math.round(Math.min(1, Math.max(0, share)) * 100)}%` }}
      />
    </div>
  );
}

/** A plan written by a CSM is their text (data, not the UI's); a template's text comes in the reader's language. */
const written = (plan: SuccessPlan): "no" | undefined => (plan.templateKey === null ? "no" : undefined);

function metricValue(fmt: Formatters, metric: string | null, v: number | null): string {
  if (v === null) return fmt.missing;
  if (metric === "mrr") return fmt.currency(v);
  return fmt.number(v, 1);
}

function GoalRow({ plan, goal, accountId }: { plan: SuccessPlan; goal: SuccessPlanGoal; accountId: string }) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const update = useUpdateGoal(accountId);
  const [draft, setDraft] = useState("");
  const manual = goal.metric === null;
  return (
    <li
      className="plan-goal"
      data-testid="plan-goal"
      data-metric={goal.metric ?? ""}
      data-progress={goal.progress ?? ""}
    >
      <div className="plan-goal-title">
        <span translate={written(plan)}>{goal.title}</span>
        {goal.metric ? <span className="chip">{t(`successPlans.metrics.${goal.metric}`)}</span> : null}
      </div>
      <div className="muted small">
        {t("successPlans.goalValues", {
          start: metricValue(fmt, goal.metric, goal.startValue),
          current: metricValue(fmt, goal.metric, goal.currentValue),
          target: metricValue(fmt, goal.metric, goal.targetValue),
        })}
        {goal.dueOn ? ` · ${t("successPlans.due", { date: fmt.date(goal.dueOn) })}` : null}
      </div>
      {goal.progress !== null ? <ProgressBar share={goal.progress} /> : null}
      {manual && plan.status === "active" ? (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            const n = Number(draft);
            if (draft.trim() === "" || !Number.isFinite(n)) return;
            update.mutate(
              { planId: plan.id, goalId: goal.id, manualValue: n },
              { onSuccess: () => setDraft("") },
            );
          }}
        >
          <label className="small">
            {t("successPlans.manualValue")}{" "}
            <input
              type="number"
              step="any"
              value={draft}
              onChange={(e) => setDraft(e.target.value)}
              className="input input-number"
              aria-label={t("successPlans.manualValue")}
            />
          </label>
          <button type="submit" className="button button-small" disabled={update.isPending}>
            {t("successPlans.save")}
          </button>
        </form>
      ) : null}
    </li>
  );
}

function PlanBlock({ plan, accountId, asOf }: { plan: SuccessPlan; accountId: string; asOf: string }) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const setMilestone = useSetMilestone(accountId);
  const updatePlan = useUpdatePlan(accountId);
  const lastDue = plan.milestones.reduce<string | null>(
    (m, x) => (x.dueOn && (!m || x.dueOn > m) ? x.dueOn : m),
    null,
  );
  return (
    <div
      className="plan-block"
      data-testid={`plan-${plan.kind}`}
      data-plan-id={plan.id}
      data-status={plan.status}
    >
      <div className="plan-head">
        <strong translate={written(plan)}>{plan.title}</strong>{" "}
        <span
          className={
            plan.status === "achieved" ? "pill pill-good" : plan.status === "abandoned" ? "pill" : "chip"
          }
        >
          {t(`successPlans.status.${plan.status}`)}
        </span>
      </div>
      <div className="muted small">
        {t("successPlans.timeline", {
          start: fmt.date(plan.startedOn),
          end: lastDue ? fmt.date(lastDue) : fmt.missing,
        })}
      </div>
      <div className="small" data-testid="plan-progress">
        {t("successPlans.progress", { done: plan.progress.done, total: plan.progress.total })}
      </div>
      <ProgressBar share={plan.progress.share} testId="plan-progress-bar" />
      {plan.kind === "onboarding" ? (
        <div className="small" data-testid="plan-ttfv" data-days={plan.timeToFirstValueDays ?? ""}>
          {plan.timeToFirstValueDays === null
            ? t("successPlans.ttfvPending")
            : t("successPlans.ttfvReached", { count: plan.timeToFirstValueDays })}
        </div>
      ) : null}
      {plan.goals.length > 0 ? (
        <>
          <div className="kpi-label">{t("successPlans.goals")}</div>
          <ul className="plan-list">
            {plan.goals.map((g) => (
              <GoalRow key={g.id} plan={plan} goal={g} accountId={accountId} />
            ))}
          </ul>
        </>
      ) : null}
      <div className="kpi-label">{t("successPlans.milestones")}</div>
      <ul className="plan-list">
        {plan.milestones.map((m) => {
          const overdue = m.doneAt === null && m.dueOn !== null && m.dueOn < asOf;
          return (
            <li key={m.id} data-testid="plan-milestone" data-done={m.doneAt !== null} data-overdue={overdue}>
              <label className="plan-milestone">
                <input
                  type="checkbox"
                  checked={m.doneAt !== null}
                  disabled={setMilestone.isPending || plan.status === "abandoned"}
                  onChange={(e) =>
                    setMilestone.mutate({ planId: plan.id, milestoneId: m.id, done: e.target.checked })
                  }
                />{" "}
                <span translate={written(plan)}>{m.title}</span>
                {m.valueMilestone ? <span className="chip">{t("successPlans.firstValue")}</span> : null}
              </label>
              <span className={overdue ? "small chip-warn chip" : "muted small"}>
                {m.doneAt
                  ? t("successPlans.doneOn", { date: fmt.date(m.doneAt) })
                  : m.dueOn
                    ? t(overdue ? "successPlans.overdue" : "successPlans.due", { date: fmt.date(m.dueOn) })
                    : null}
              </span>
            </li>
          );
        })}
      </ul>
      {plan.challenges.length > 0 ? (
        <>
          <div className="kpi-label">{t("successPlans.challenges")}</div>
          <ul className="plan-list muted small">
            {plan.challenges.map((c) => (
              <li key={c} translate={written(plan)}>
                {c}
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {plan.status === "active" ? (
        <button
          type="button"
          className="button button-ghost button-small"
          disabled={updatePlan.isPending}
          onClick={() => updatePlan.mutate({ planId: plan.id, status: "abandoned" })}
        >
          {t("successPlans.abandon")}
        </button>
      ) : null}
    </div>
  );
}

/** The account's success plans (GPCT) and onboarding checklist, and a way to start one from a template. */
export function SuccessPlanCard({ accountId }: { accountId: string }) {
  // Overdue is judged by the reader's calendar day.
  const asOf = new Date().toISOString().slice(0, 10);
  const { t, i18n } = useTranslation();
  const query = useAccountPlans(accountId);
  const templates = usePlanTemplates(i18n.language);
  const create = useCreatePlan(accountId);
  const [templateKey, setTemplateKey] = useState("");
  const [showClosed, setShowClosed] = useState(false);
  const plans = query.data?.plans ?? [];
  const visible = plans.filter((p) => showClosed || p.status !== "abandoned");
  const hidden = plans.length - plans.filter((p) => p.status !== "abandoned").length;
  const language = i18n.language === "zh-CN" ? "zh-CN" : "en";
  return (
    <Card title={t("successPlans.title")} testId="account-success-plans">
      {query.isError ? <ErrorBanner error={query.error} onRetry={() => void query.refetch()} /> : null}
      {query.isPending ? <Skeleton height={120} /> : null}
      {query.data && visible.length === 0 ? <EmptyState>{t("successPlans.empty")}</EmptyState> : null}
      {visible.map((p) => (
        <PlanBlock key={p.id} plan={p} accountId={accountId} asOf={asOf} />
      ))}
      {hidden > 0 ? (
        <button
          type="button"
          className="button button-ghost button-small"
          onClick={() => setShowClosed((v) => !v)}
        >
          {showClosed ? t("successPlans.hideAbandoned") : t("successPlans.showAbandoned", { count: hidden })}
        </button>
      ) : null}
      <form
        className="inline-form plan-start"
        onSubmit={(e) => {
          e.preventDefault();
          if (templateKey === "") return;
          create.mutate({ templateKey, locale: language }, { onSuccess: () => setTemplateKey("") });
        }}
      >
        <select
          className="input"
          value={templateKey}
          onChange={(e) => setTemplateKey(e.target.value)}
          aria-label={t("successPlans.template")}
          data-testid="plan-template"
        >
          <option value="">{t("successPlans.chooseTemplate")}</option>
          {(templates.data?.templates ?? []).map((tpl) => (
            <option key={tpl.key} value={tpl.key}>
              {tpl.title}
            </option>
          ))}
        </select>
        <button
          type="submit"
          className="button button-small"
          disabled={templateKey === "" || create.isPending}
          data-testid="plan-start"
        >
          {t("successPlans.start")}
        </button>
      </form>
      {create.isError ? <ErrorBanner error={create.error} /> : null}
    </Card>
  );
}
