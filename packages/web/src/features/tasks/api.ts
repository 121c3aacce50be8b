import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTranslation } from "react-i18next";
import { apiFetch, withQuery } from "../../api/client";
import type { ApiResponse, Schema } from "../../api/schema";

export type TaskView = Schema<"TaskView">;
export type Member = Schema<"Member">;
export type Workload = Schema<"Workload">;
export type TaskPage = ApiResponse<"/tasks", "get">;

/** Which work list: a member's, a team's (with its pool), or every overdue task. */
export type TaskListView =
  | { kind: "mine"; memberId: string }
  | { kind: "team"; teamId: string }
  | { kind: "overdue" };

const params = (v: TaskListView) =>
  v.kind === "mine" ? { assignee: v.memberId } : v.kind === "team" ? { team: v.teamId } : { overdue: "true" };

/** GET /api/team: teams and members. */
export function useTeam() {
  return useQuery({
    queryKey: ["team"],
    queryFn: () => apiFetch<ApiResponse<"/team", "get">>("/api/team"),
  });
}

/** The reader's language, in which starter playbook step titles come back. */
function useTaskLocale(): "en" | "zh-CN" {
  const { i18n } = useTranslation();
  return i18n.language === "zh-CN" ? "zh-CN" : "en";
}

/** GET /api/tasks: one page (keyset cursor) of a work list. */
export function useTasks(view: TaskListView | null, cursor: string | undefined) {
  const locale = useTaskLocale();
  return useQuery({
    queryKey: ["tasks", view, cursor, locale],
    enabled: view !== null,
    queryFn: () =>
      apiFetch<TaskPage>(
        withQuery("/api/tasks", { ...(view ? params(view) : {}), cursor, limit: 50, locale }),
      ),
  });
}

/** GET /api/tasks?account=…: an account's open tasks, or (`closed`) its done and skipped ones when asked for. */
export function useAccountTasks(accountId: string, status: "open" | "closed" = "open", enabled = true) {
  const locale = useTaskLocale();
  return useQuery({
    queryKey: ["tasks", "account", accountId, status, locale],
    enabled,
    queryFn: () =>
      apiFetch<TaskPage>(withQuery("/api/tasks", { account: accountId, status, limit: 100, locale })),
  });
}

/** How a task is handed on: a named member or a team's pool. */
export type TaskAssignment = { strategy: "member"; memberId: string } | { strategy: "pool"; teamId: string };

/** POST /api/tasks/{id}/reassign; work lists and workload refetch. */
export function useReassignTask() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: string; assign: TaskAssignment }) =>
      apiFetch<Schema<"Task">>(`/api/tasks/${encodeURIComponent(input.id)}/reassign`, {
        method: "POST",
        body: { assign: input.assign },
      }),
    onSuccess: (task) => {
      void client.invalidateQueries({ queryKey: ["tasks"] });
      void client.invalidateQueries({ queryKey: ["team", "workload"] });
      void client.invalidateQueries({ queryKey: ["account", task.accountId] });
    },
  });
}

/** GET /api/team/workload */
export function useWorkload() {
  return useQuery({
    queryKey: ["team", "workload"],
    queryFn: () => apiFetch<Workload>("/api/team/workload"),
  });
}

/** POST /api/tasks/{id}/complete|skip with an outcome note; work lists and workload refetch. */
export function useCloseTask() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { id: string; verb: "complete" | "skip"; outcome: string }) =>
      apiFetch<Schema<"Task">>(`/api/tasks/${encodeURIComponent(input.id)}/${input.verb}`, {
        method: "POST",
        body: { outcome: input.outcome.trim() === "" ? null : input.outcome },
      }),
    onSuccess: (task) => {
      void client.invalidateQueries({ queryKey: ["tasks"] });
      void client.invalidateQueries({ queryKey: ["team", "workload"] });
      // The task lands on the account's timeline, and its last step may complete a playbook run.
      void client.invalidateQueries({ queryKey: ["account", task.accountId] });
      void client.invalidateQueries({ queryKey: ["playbooks"] });
    },
  });
}
