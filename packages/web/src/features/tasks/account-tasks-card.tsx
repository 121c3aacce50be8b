import { useState } from "react";
import { useTranslation } from "react-i18next";
import type { Signal } from "../../api/account-types";
import { Card } from "../../components/card";
import { EmptyState, ErrorBanner, Skeleton } from "../../components/states";
import { useMessageRenderer } from "../../lib/messages";
import { useFormatters } from "../../lib/use-formatters";
import { textIn, useAccountRuns } from "../playbooks/api";
import { MarkdownPreview } from "../playbooks/markdown-preview";
import "../playbooks/playbooks.css";
import type { Member, Team } from "../team/api";
import { OwnerSelect, ownerTarget } from "../team/owner-select";
import { type TaskView, useAccountTasks, useReassignTask, useTeam } from "./api";
import { TaskCloseControls } from "./task-close-controls";

/** Where a task came from: its playbook run (and step), the signal that raised it, or an automation. */
function TaskSource({ task, signals }: { task: TaskView; signals: readonly Signal[] }) {
  const { t, i18n } = useTranslation();
  const render = useMessageRenderer();
  const runs = useAccountRuns(task.accountId);
  const parts = [];
  if (task.playbookRunId !== null) {
    const run = runs.data?.runs.find((r) => r.id === task.playbookRunId);
    const name = run ? textIn(run.playbookName, i18n.language) : t("accountTasks.run");
    parts.push(
      <a key="run" href={`#run-${task.playbookRunId}`} data-testid="task-source-run">
        {task.playbookStep === null ? name : t("accountTasks.step", { name, step: task.playbookStep + 1 })}
      </a>,
    );
  }
  if (task.signalId !== null) {
    const signal = signals.find((s) => s.id === task.signalId);
    parts.push(
      <a key="signal" href={`#signal-${task.signalId}`} data-testid="task-source-signal">
        {signal ? render(signal.text.title) : t("accountTasks.signal")}
      </a>,
    );
  }
  if (task.automationId !== null && task.playbookRunId === null)
    parts.push(
      <a key="automation" href="/automations" data-testid="task-source-automation">
        {t("accountTasks.automation")}
      </a>,
    );
  if (parts.length === 0) return null;
  return (
    <span className="muted small">
      {t("accountTasks.from")} {parts.flatMap((p, i) => (i === 0 ? [p] : [" · ", p]))}
    </span>
  );
}

function assigneeText(t: (k: string, o?: Record<string, unknown>) => string, task: TaskView): string {
  if (task.assigneeName !== null) return task.assigneeName;
  return task.teamName !== null ? t("tasks.pool", { team: task.teamName }) : t("accountTasks.unassigned");
}

/** One open task: what, who, when, why; done or skipped with an outcome note; handed to someone else. */
function OpenTask({
  task,
  signals,
  teams,
  members,
}: {
  task: TaskView;
  signals: readonly Signal[];
  teams: readonly Team[];
  members: readonly Member[];
}) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const reassign = useReassignTask();
  const [handing, setHanding] = useState(false);
  return (
    <li className="account-task" data-testid="account-task" data-task-id={task.id} data-status={task.status}>
      <strong translate="no" data-testid="account-task-title">
        {task.title}
      </strong>
      <div className="muted small account-task-head">
        <span className="pb-badge">{t(`accountTasks.status.${task.status}`)}</span>
        {task.priority === "normal" ? null : (
          <span className={`task-priority-${task.priority}`}>{t(`tasks.priorities.${task.priority}`)}</span>
        )}
        <span className={task.overdue ? "negative" : undefined}>
          {t("accountTasks.due", { date: fmt.date(task.dueDate) })}
          {task.overdue ? ` · ${t("tasks.overdue")}` : ""}
        </span>
        <span data-testid="account-task-assignee" translate={task.assigneeName !== null ? "no" : undefined}>
          {assigneeText(t, task)}
        </span>
      </div>
      <TaskSource task={task} signals={signals} />
      {task.description ? (
        <details className="small">
          <summary className="muted">{t("accountTasks.instructions")}</summary>
          <div translate="no">
            <MarkdownPreview text={task.description} />
          </div>
        </details>
      ) : null}
      <TaskCloseControls taskId={task.id} layout="card" testId="account-task">
        <button
          type="button"
          className="button button-small button-ghost"
          onClick={() => setHanding((v) => !v)}
          aria-expanded={handing}
          data-testid="account-task-reassign"
        >
          {t("accountTasks.reassign")}
        </button>
      </TaskCloseControls>
      {handing ? (
        <OwnerSelect
          teams={teams}
          members={members}
          value=""
          onChange={(choice) => {
            const to = ownerTarget(choice);
            if (to === null) return;
            reassign.mutate(
              {
                id: task.id,
                assign:
                  "ownerId" in to
                    ? { strategy: "member", memberId: to.ownerId }
                    : { strategy: "pool", teamId: to.teamId ?? "" },
              },
              { onSuccess: () => setHanding(false) },
            );
          }}
          label={t("accountTasks.reassignTo")}
          placeholder={t("accountTasks.reassignTo")}
          testId="account-task-assignee-select"
        />
      ) : null}
      {reassign.error ? <ErrorBanner error={reassign.error} /> : null}
    </li>
  );
}

/** Done and skipped tasks, newest due first, with their outcome notes (loaded when unfolded). */
function ClosedTasks({ accountId, members }: { accountId: string; members: readonly Member[] }) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const closed = useAccountTasks(accountId, "closed");
  if (closed.isPending) return <Skeleton height={60} />;
  if (closed.error) return <ErrorBanner error={closed.error} onRetry={() => void closed.refetch()} />;
  const tasks = [...closed.data.tasks].sort((a, b) =>
    (b.completedAt ?? "").localeCompare(a.completedAt ?? ""),
  );
  if (tasks.length === 0) return <p className="muted small">{t("accountTasks.noneClosed")}</p>;
  const nameOf = (id: string | null) => (id === null ? null : (members.find((m) => m.id === id)?.name ?? id));
  return (
    <ul className="account-tasks" data-testid="account-tasks-closed">
      {tasks.map((task) => (
        <li
          key={task.id}
          className="account-task"
          data-testid="account-task-closed"
          data-task-id={task.id}
          data-status={task.status}
        >
          <div className="account-task-head">
            <span
              className={
                task.status === "done" ? "pb-badge pb-badge-completed" : "pb-badge pb-badge-cancelled"
              }
            >
              {t(`accountTasks.status.${task.status}`)}
            </span>
            <span translate="no">{task.title}</span>
          </div>
          <div className="muted small">
            {task.completedAt ? fmt.date(task.completedAt.slice(0, 10)) : fmt.missing}
            {nameOf(task.closedBy) ? (
              <>
                {" · "}
                <span translate="no">{nameOf(task.closedBy)}</span>
              </>
            ) : null}
          </div>
          {task.outcome ? (
            <div className="small" translate="no" data-testid="account-task-outcome-note">
              {task.outcome}
            </div>
          ) : null}
        </li>
      ))}
    </ul>
  );
}

/** The account page's tasks: open ones to work (done, skip, reassign), closed ones folded away. */
export function AccountTasksCard({ accountId, signals }: { accountId: string; signals: readonly Signal[] }) {
  const { t } = useTranslation();
  const open = useAccountTasks(accountId, "open");
  const team = useTeam();
  const [showClosed, setShowClosed] = useState(false);
  const teams = team.data?.teams ?? [];
  const members = team.data?.members ?? [];
  const tasks = open.data?.tasks ?? [];
  return (
    <Card
      title={t("accountTasks.title")}
      subtitle={open.data ? t("accountTasks.openCount", { count: tasks.length }) : undefined}
      testId="account-tasks"
    >
      {open.isPending ? (
        <Skeleton height={80} />
      ) : open.error ? (
        <ErrorBanner error={open.error} onRetry={() => void open.refetch()} />
      ) : tasks.length === 0 ? (
        <EmptyState testId="account-tasks-empty">{t("accountTasks.empty")}</EmptyState>
      ) : (
        <ul className="account-tasks" data-testid="account-tasks-open">
          {tasks.map((task) => (
            <OpenTask key={task.id} task={task} signals={signals} teams={teams} members={members} />
          ))}
        </ul>
      )}
      <button
        type="button"
        className="link-button small account-tasks-toggle"
        onClick={() => setShowClosed((v) => !v)}
        aria-expanded={showClosed}
        data-testid="account-tasks-show-closed"
      >
        {showClosed ? t("accountTasks.hideClosed") : t("accountTasks.showClosed")}
      </button>
      {showClosed ? <ClosedTasks accountId={accountId} members={members} /> : null}
    </Card>
  );
}
