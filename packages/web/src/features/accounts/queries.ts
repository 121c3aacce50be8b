import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type {
  AccountOverview,
  AccountsResponse,
  CompareResponse,
  NewSavedView,
  NewTimelineEntry,
  SavedView,
  Scorecard,
  Signal,
  SignalStatus,
  StageResponse,
  TimelineEntry,
  TimelineResponse,
  TimelineType,
  UsageSummary,
  WorklistResponse,
} from "../../api/account-types";
import { apiFetch, withQuery } from "../../api/client";
import type { AccountsSearch } from "./search";

const keep = { placeholderData: keepPreviousData } as const;

/** Upper bound the list asks for: the table is virtualised, so every matching account is loaded at once. */
export const LIST_LIMIT = 5000;

/** GET /api/accounts with the server-side filters and sort of the list URL. */
export function useAccounts(search: AccountsSearch, book: { owner?: string; team?: string } = {}) {
  const params = {
    search: search.q,
    // An owner picked in the filters narrows within the book.
    owner: search.owner ?? book.owner,
    team: book.team,
    stage: search.stage,
    band: search.band,
    tier: search.tier,
    segment: search.segment,
    sort: search.sort ?? "arr",
    order: search.order ?? "desc",
    limit: LIST_LIMIT,
  };
  return useQuery({
    queryKey: ["accounts", "list", params],
    queryFn: () => apiFetch<AccountsResponse>(withQuery("/api/accounts", params)),
    ...keep,
  });
}

/** GET /api/worklist (all owners when `owner` is empty). */
export function useWorklist(owner: string | undefined, team?: string) {
  return useQuery({
    queryKey: ["accounts", "worklist", { owner, team }],
    queryFn: () => apiFetch<WorklistResponse>(withQuery("/api/worklist", { owner, team })),
    ...keep,
  });
}

/** GET /api/accounts/{id}/overview */
export function useAccountOverview(accountId: string) {
  return useQuery({
    queryKey: ["account", accountId, "overview"],
    queryFn: () => apiFetch<AccountOverview>(`/api/accounts/${encodeURIComponent(accountId)}/overview`),
  });
}

/** GET /api/accounts/{id}/usage/summary */
export function useUsageSummary(accountId: string) {
  return useQuery({
    queryKey: ["account", accountId, "usage-summary"],
    queryFn: () => apiFetch<UsageSummary>(`/api/accounts/${encodeURIComponent(accountId)}/usage/summary`),
  });
}

/** GET /api/accounts/{id}/timeline filtered by type (all types when `types` is empty). */
export function useTimeline(accountId: string, types: readonly TimelineType[], limit: number) {
  const params = { types: types.length > 0 ? types.join(",") : undefined, limit };
  return useQuery({
    queryKey: ["account", accountId, "timeline", params],
    queryFn: () =>
      apiFetch<TimelineResponse>(
        withQuery(`/api/accounts/${encodeURIComponent(accountId)}/timeline`, params),
      ),
    ...keep,
  });
}

/** POST /api/accounts/{id}/timeline; refreshes the account's timeline and overview. */
export function useAddTimelineEntry(accountId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (entry: NewTimelineEntry) =>
      apiFetch<TimelineEntry>(`/api/accounts/${encodeURIComponent(accountId)}/timeline`, {
        method: "POST",
        body: entry,
      }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["account", accountId] }),
  });
}

/** PUT /api/accounts/{id}/stage (manual lifecycle override). */
export function useSetStage(accountId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (body: { stage: string; note?: string }) =>
      apiFetch<StageResponse>(`/api/accounts/${encodeURIComponent(accountId)}/stage`, {
        method: "PUT",
        body,
      }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ["account", accountId] });
      void client.invalidateQueries({ queryKey: ["accounts"] });
    },
  });
}

/** POST /api/signals/{id}/status; refreshes the account and the lists. */
export function useSetSignalStatus() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, status }: { id: string; status: SignalStatus }) =>
      apiFetch<Signal>(`/api/signals/${encodeURIComponent(id)}/status`, { method: "POST", body: { status } }),
    onSuccess: (signal) => {
      void client.invalidateQueries({ queryKey: ["account", signal.accountId] });
      void client.invalidateQueries({ queryKey: ["accounts"] });
    },
  });
}

/** The server may answer a list as a bare array or wrapped in `{ views }`. */
function viewsOf(body: SavedView[] | { views: SavedView[] }): SavedView[] {
  return Array.isArray(body) ? body : body.views;
}

/** GET /api/views */
export function useSavedViews() {
  return useQuery({
    queryKey: ["views"],
    queryFn: async () => viewsOf(await apiFetch<SavedView[] | { views: SavedView[] }>("/api/views")),
  });
}

/** POST /api/views */
export function useCreateView() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (view: NewSavedView) => apiFetch<SavedView>("/api/views", { method: "POST", body: view }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["views"] }),
  });
}

/** DELETE /api/views/{id} */
export function useDeleteView() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch<unknown>(`/api/views/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: ["views"] }),
  });
}

/** GET /api/scores/compare */
export function useCompare(attribute: string) {
  return useQuery({
    queryKey: ["health", "compare", { attribute }],
    queryFn: () => apiFetch<CompareResponse>(withQuery("/api/scores/compare", { attribute })),
    ...keep,
  });
}

/** GET /api/scorecard */
export function useScorecard() {
  return useQuery({ queryKey: ["scorecard"], queryFn: () => apiFetch<Scorecard>("/api/scorecard") });
}

/** PUT /api/scorecard; scores are recomputed, so every health view is refreshed. */
export function useSaveScorecard() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (scorecard: Scorecard) =>
      apiFetch<unknown>("/api/scorecard", { method: "PUT", body: scorecard }),
    onSuccess: () => {
      void client.invalidateQueries({ queryKey: ["scorecard"] });
      void client.invalidateQueries({ queryKey: ["health"] });
      void client.invalidateQueries({ queryKey: ["accounts"] });
      void client.invalidateQueries({ queryKey: ["account"] });
    },
  });
}
