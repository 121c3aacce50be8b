import { type QueryClient, useMutation, useQueryClient } from "@tanstack/react-query";
import { ApiError, apiFetch } from "../../api/client";
import type { ApiResponse, Schema } from "../../api/schema";

export type Team = Schema<"Team">;
export type Member = Schema<"Member">;
export type MemberInput = Schema<"MemberInput">;
export type DeactivationResult = ApiResponse<"/team/members/{id}/deactivate", "post">;

/** Where accounts go: a named member, or a team's pool (no owner, the team kept). */
export type OwnerTarget = { ownerId: string } | { teamId: string | null };

const member = (id: string) => `/api/team/members/${encodeURIComponent(id)}`;

/**
 * A change of member or owner shows on the team, the workload, the accounts list (its stored rows are
 * refreshed by the server), every account page and the work lists (tasks follow their assignee).
 */
function refreshAfterOwnerChange(client: QueryClient): void {
  for (const key of [["team"], ["accounts"], ["account"], ["tasks"]])
    void client.invalidateQueries({ queryKey: key });
}

/** POST /api/team/members (new) or PUT /api/team/members/{id} (edit). */
export function useSaveMember() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string | null; input: MemberInput }) =>
      id === null
        ? apiFetch<Member>("/api/team/members", { method: "POST", body: input })
        : apiFetch<Member>(member(id), { method: "PUT", body: input }),
    onSuccess: () => refreshAfterOwnerChange(client),
  });
}

/** POST /api/team/teams: a new team (no id) or a rename (the team's id). */
export function useSaveTeam() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { id?: string; name: string; kind: string }) =>
      apiFetch<Team>("/api/team/teams", { method: "POST", body: input }),
    onSuccess: () => refreshAfterOwnerChange(client),
  });
}

/** POST /api/team/members/{id}/deactivate: open tasks and accounts to the successor (null: the team's pool). */
export function useDeactivateMember() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, successorId }: { id: string; successorId: string | null }) =>
      apiFetch<DeactivationResult>(`${member(id)}/deactivate`, { method: "POST", body: { successorId } }),
    onSuccess: () => refreshAfterOwnerChange(client),
  });
}

/** POST /api/team/members/{id}/reactivate */
export function useReactivateMember() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) => apiFetch<Member>(`${member(id)}/reactivate`, { method: "POST" }),
    onSuccess: () => refreshAfterOwnerChange(client),
  });
}

/** POST /api/team/owners: the owner of one account or a selection from the list. */
export function useSetOwners() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: { accountIds: string[]; to: OwnerTarget }) =>
      apiFetch<{ changed: number }>("/api/team/owners", {
        method: "POST",
        body: { accountIds: input.accountIds, ...input.to },
      }),
    onSuccess: () => refreshAfterOwnerChange(client),
  });
}

/** POST /api/team/members/{id}/book: a member's whole book to another member or a team's pool. */
export function useReassignBook() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, to }: { id: string; to: OwnerTarget }) =>
      apiFetch<{ accountIds: string[] }>(`${member(id)}/book`, { method: "POST", body: to }),
    onSuccess: () => refreshAfterOwnerChange(client),
  });
}

/**
 * The API's validation errors by field: a 400 names its fields either as `details: [{ field, message }]`
 * (the request schema) or as `details: { field }` with "field: message" (the service's rules).
 */
export function fieldErrors(error: unknown): Record<string, string> {
  if (!(error instanceof ApiError) || error.status !== 400) return {};
  const out: Record<string, string> = {};
  const d = error.details;
  if (Array.isArray(d)) {
    for (const issue of d) {
      if (typeof issue?.field === "string" && typeof issue?.message === "string" && !(issue.field in out))
        out[issue.field] = issue.message;
    }
  } else if (typeof d === "object" && d !== null && "field" in d && typeof d.field === "string") {
    const prefix = `${d.field}: `;
    out[d.field] = error.message.startsWith(prefix) ? error.message.slice(prefix.length) : error.message;
  }
  return out;
}
