import { useNavigate, useSearch } from "@tanstack/react-router";
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { useMe } from "../../auth/me-context";
import { useBook } from "../../auth/permissions";
import { Card } from "../../components/card";
import { type ChartOption, EChart } from "../../components/echart";
import { EmptyState, ErrorBanner, Skeleton } from "../../components/states";
import { useFormatters } from "../../lib/use-formatters";
import { AccountLink } from "../accounts/health-badges";
import { setActingMember, useActingMember } from "../team/acting-member";
import { type TaskListView, type TaskView, useTasks, useTeam, useWorkload } from "./api";
import { TaskCloseControls } from "./task-close-controls";
import "./tasks.css";

type Tab = "mine" | "team" | "overdue";
const TABS: readonly Tab[] = ["mine", "team", "overdue"];

/** The tasks page's URL state: which list, and the team of the team list. */
export function parseTasksSearch(raw: Record<string, unknown>): { tab?: Tab; team?: string } {
  const tab = TABS.find((x) => x === raw.tab);
  const team = typeof raw.team === "string" && raw.team !== "" ? raw.team : undefined;
  return { ...(tab ? { tab } : {}), ...(team ? { team } : {}) };
}

/** "Acting as": the member this browser works as until sign-in exists (sent as X-Tenure-Member). */
function ActingAs() {
  const { t } = useTranslation();
  const team = useTeam();
  const acting = useActingMember();
  const members = (team.data?.members ?? []).filter((m) => m.active);
  return (
    <label className="acting-as">
      {t("tasks.actingAs")}{" "}
      <select
        className="select"
        value={acting ?? ""}
        onChange={(e) => setActingMember(e.target.value === "" ? null : e.target.value)}
        data-testid="acting-as"
      >
        <option value="">{t("tasks.nobody")}</option>
        {members.map((m) => (
          <option key={m.id} value={m.id}>
            {m.name}
            {m.teamName ? ` · ${m.teamName}` : ""}
          </option>
        ))}
      </select>
    </label>
  );
}

/** One task row: due date, account, assignee, and done/skip with an outcome note. */
function TaskRow({ task }: { task: TaskView }) {
  const { t } = useTranslation();
  const fmt = useFormatters();
  return (
    <tr data-testid="task-row">
      <td className={task.overdue ? "negative nowrap" : "nowrap"}>
        {fmt.date(task.dueDate)}
        {task.overdue ? <div className="small">{t("tasks.overdue")}</div> : null}
      </td>
      <td className="nowrap">{t(`tasks.priorities.${task.priority}`)}</td>
      <td>
        <AccountLink id={task.accountId} name={task.accountName} />
      </td>
      <td>{task.title}</td>
      <td>{task.assigneeName ?? (task.teamName ? t("tasks.pool", { team: task.teamName }) : "—")}</td>
      <td>
        <TaskCloseControls taskId={task.id} layout="row" testId="task" />
      </td>
    </tr>
  );
}

/** A work list with keyset paging (previous pages kept as a stack of cursors). */
function TaskList({ view }: { view: TaskListView | null }) {
  const { t } = useTranslation();
  const [cursors, setCursors] = useState<string[]>([]);
  const cursor = cursors[cursors.length - 1];
  const page = useTasks(view, cursor);
  if (view === null) return <EmptyState testId="tasks-pick-member">{t("tasks.pickMember")}</EmptyState>;
  if (page.isPending) return <Skeleton height={200} />;
  if (page.error) return <ErrorBanner error={page.error} onRetry={() => void page.refetch()} />;
  const tasks = page.data.tasks;
  if (tasks.length === 0 && cursors.length === 0)
    return <EmptyState testId="tasks-empty">{t("tasks.empty")}</EmptyState>;
  return (
    <>
      <div className="table-wrap">
        <table className="table wrap-table" data-testid="tasks-table">
          <thead>
            <tr>
              <th>{t("tasks.columns.due")}</th>
              <th>{t("tasks.columns.priority")}</th>
              <th>{t("tasks.columns.account")}</th>
              <th>{t("tasks.columns.title")}</th>
              <th>{t("tasks.columns.assignee")}</th>
              <th>{t("tasks.columns.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {tasks.map((task) => (
              <TaskRow key={task.id} task={task} />
            ))}
          </tbody>
        </table>
      </div>
      <div className="task-pager">
        <button
          type="button"
          className="button button-small"
          disabled={cursors.length === 0}
          onClick={() => setCursors((c) => c.slice(0, -1))}
        >
          {t("tasks.previous")}
        </button>{" "}
        <button
          type="button"
          className="button button-small"
          disabled={page.data.nextCursor === null}
          onClick={() => setCursors((c) => (page.data.nextCursor ? [...c, page.data.nextCursor] : c))}
        >
          {t("tasks.next")}
        </button>
      </div>
    </>
  );
}

/** Accounts per CSM against capacity, with open and overdue tasks. */
function WorkloadChart() {
  const { t } = useTranslation();
  const fmt = useFormatters();
  const workload = useWorkload();
  if (workload.isPending) return <Skeleton height={320} />;
  if (workload.error) return <ErrorBanner error={workload.error} onRetry={() => void workload.refetch()} />;
  const rows = workload.data.members;
  if (rows.length === 0) return <EmptyState>{t("tasks.noMembers")}</EmptyState>;
  const option: ChartOption = {
    tooltip: { trigger: "axis" },
    // The legend on top: at the bottom it ran into the rotated names.
    legend: { top: 0 },
    grid: { left: 8, right: 16, bottom: 8, top: 40, containLabel: true },
    xAxis: { type: "category", data: rows.map((r) => r.name), axisLabel: { rotate: 60 } },
    yAxis: { type: "value" },
    series: [
      {
        type: "bar",
        name: t("tasks.workload.accounts"),
        data: rows.map((r) => r.accounts),
        itemStyle: { color: "#2563eb" },
      },
      // Each CSM's own capacity, a mark over their bar (a line between people would suggest a trend).
      {
        type: "line",
        name: t("tasks.workload.capacity"),
        data: rows.map((r) => r.capacity),
        lineStyle: { opacity: 0 },
        showAllSymbol: true,
        symbol: "rect",
        symbolSize: [28, 3],
        itemStyle: { color: "#111827" },
      },
      {
        type: "bar",
        name: t("tasks.workload.open"),
        data: rows.map((r) => r.openTasks),
        itemStyle: { color: "#94a3b8" },
      },
      {
        type: "bar",
        name: t("tasks.workload.overdue"),
        data: rows.map((r) => r.overdueTasks),
        itemStyle: { color: "#dc2626" },
      },
    ],
  };
  const arr = rows.reduce((s, r) => s + r.arr, 0);
  return (
    <>
      <p className="muted">{t("tasks.workload.summary", { members: rows.length, arr: fmt.currency(arr) })}</p>
      <EChart option={option} height={360} ariaLabel={t("tasks.workload.title")} testId="workload-chart" />
    </>
  );
}

/**
 * Tasks: my tasks, a team's, every overdue one; and the workload per CSM. "Mine" are the signed-in
 * user's own (their team member); a user linked to no member (an admin, the demo) picks whom to act as.
 */
export function TasksPage() {
  const { t } = useTranslation();
  const signedIn = useMe();
  const picked = useActingMember();
  const acting = signedIn.memberId ?? picked;
  const team = useTeam();
  const search = useSearch({ from: "/tasks" });
  const navigate = useNavigate({ from: "/tasks" });
  const book = useBook();
  // A manager opens on their team's tasks, everyone else on their own; the URL says which.
  const defaultTab: Tab = book.scope === "team" ? "team" : "mine";
  const tab = search.tab ?? defaultTab;
  const teamId = search.team ?? (tab === "team" && book.scope === "team" ? (book.teamIds[0] ?? "") : "");
  const setTab = (next: Tab) => void navigate({ search: (prev) => ({ ...prev, tab: next }) });
  const setTeamId = (next: string) => void navigate({ search: (prev) => ({ ...prev, team: next }) });
  useEffect(() => {
    if (search.tab === undefined)
      void navigate({
        search: (prev) => ({ ...prev, tab: defaultTab, ...(teamId ? { team: teamId } : {}) }),
        replace: true,
      });
  }, [search.tab, defaultTab, teamId, navigate]);
  const me = team.data?.members.find((m) => m.id === acting);
  const chosenTeam = teamId || me?.teamId || team.data?.teams[0]?.id || "";
  const view: TaskListView | null =
    tab === "mine"
      ? acting === null
        ? null
        : { kind: "mine", memberId: acting }
      : tab === "team"
        ? chosenTeam === ""
          ? null
          : { kind: "team", teamId: chosenTeam }
        : { kind: "overdue" };
  return (
    <div className="page" data-testid="tasks-page">
      <header className="page-header">
        <h1>{t("tasks.title")}</h1>
        {signedIn.memberId ? null : <ActingAs />}
      </header>
      <Card
        title={t("tasks.listTitle")}
        actions={
          <div className="chips">
            {(["mine", "team", "overdue"] as const).map((k) => (
              <button
                key={k}
                type="button"
                className={tab === k ? "chip-toggle chip-toggle-on" : "chip-toggle"}
                aria-pressed={tab === k}
                onClick={() => setTab(k)}
                data-testid={`tasks-tab-${k}`}
              >
                {t(`tasks.tabs.${k}`)}
              </button>
            ))}
            {tab === "team" ? (
              <select
                value={chosenTeam}
                onChange={(e) => setTeamId(e.target.value)}
                aria-label={t("tasks.tabs.team")}
              >
                {(team.data?.teams ?? []).map((x) => (
                  <option key={x.id} value={x.id}>
                    {x.name}
                  </option>
                ))}
              </select>
            ) : null}
          </div>
        }
      >
        <TaskList key={JSON.stringify(view)} view={view} />
      </Card>
      <Card title={t("tasks.workload.title")} testId="workload-card">
        <WorkloadChart />
      </Card>
    </div>
  );
}
