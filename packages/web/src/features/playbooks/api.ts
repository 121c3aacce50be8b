import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch, withQuery } from "../../api/client";
import type { Schema } from "../../api/schema";

export type Playbook = Schema<"Playbook">;
export type PlaybookDefinition = Schema<"PlaybookDefinition">;
export type PlaybookDetail = Schema<"PlaybookDetail">;
export type PlaybookRun = Schema<"PlaybookRun">;
export type PlaybookStep = PlaybookDefinition["steps"][number];
export type LocalizedText = Schema<"PlaybookText">;

const enc = encodeURIComponent;

/** GET /api/playbooks (archived ones too when asked). */
export function usePlaybooks(archived: boolean) {
  return useQuery({
    queryKey: ["playbooks", "list", archived],
    queryFn: () =>
      apiFetch<{ playbooks: Playbook[] }>(
        withQuery("/api/playbooks", { archived: archived ? "true" : undefined }),
      ),
  });
}

/** GET /api/playbooks/{key}: the playbook and its versions. */
export function usePlaybook(key: string | null) {
  return useQuery({
    queryKey: ["playbooks", "detail", key],
    queryFn: () => apiFetch<PlaybookDetail>(`/api/playbooks/${enc(key ?? "")}`),
    enabled: key !== null,
  });
}

/** GET /api/playbooks/{key}/runs */
export function usePlaybookRuns(key: string | null) {
  return useQuery({
    queryKey: ["playbooks", "runs", key],
    queryFn: () => apiFetch<{ runs: PlaybookRun[] }>(`/api/playbooks/${enc(key ?? "")}/runs`),
    enabled: key !== null,
  });
}

/** GET /api/accounts/{id}/playbook-runs */
export function useAccountRuns(accountId: string) {
  return useQuery({
    queryKey: ["playbooks", "account", accountId],
    queryFn: () => apiFetch<{ runs: PlaybookRun[] }>(`/api/accounts/${enc(accountId)}/playbook-runs`),
  });
}

function useInvalidate() {
  const client = useQueryClient();
  return () => {
    void client.invalidateQueries({ queryKey: ["playbooks"] });
    // Runs create and move tasks, which the tasks views and the timeline show.
    void client.invalidateQueries({ queryKey: ["tasks"] });
    void client.invalidateQueries({ queryKey: ["timeline"] });
  };
}

/** POST /api/playbooks (new) or PUT /api/playbooks/{key} (a new version). */
export function useSavePlaybook() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (v: { key: string; isNew: boolean; definition: PlaybookDefinition }) =>
      v.isNew
        ? apiFetch<PlaybookDetail>("/api/playbooks", {
            method: "POST",
            body: { key: v.key, definition: v.definition },
          })
        : apiFetch<PlaybookDetail>(`/api/playbooks/${enc(v.key)}`, {
            method: "PUT",
            body: { definition: v.definition },
          }),
    onSuccess: invalidate,
  });
}

/** POST /api/playbooks/{key}/archive */
export function useArchivePlaybook() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (v: { key: string; archived: boolean }) =>
      apiFetch<Playbook>(`/api/playbooks/${enc(v.key)}/archive`, {
        method: "POST",
        body: { archived: v.archived },
      }),
    onSuccess: invalidate,
  });
}

/** POST /api/playbooks/{key}/runs */
export function useStartRun() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (v: { key: string; accountId: string; locale: "en" | "zh-CN" }) =>
      apiFetch<{ run: PlaybookRun; created: boolean }>(`/api/playbooks/${enc(v.key)}/runs`, {
        method: "POST",
        body: { accountId: v.accountId, locale: v.locale },
      }),
    onSuccess: invalidate,
  });
}

/** POST /api/playbook-runs/{id}/reschedule or /snooze */
export function useMoveRun() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (
      v:
        | { id: string; days: number }
        | { id: string; until: string | null }
        | { id: string; snoozeDays: number },
    ) =>
      "days" in v
        ? apiFetch<PlaybookRun>(`/api/playbook-runs/${enc(v.id)}/reschedule`, {
            method: "POST",
            body: { days: v.days },
          })
        : apiFetch<PlaybookRun>(`/api/playbook-runs/${enc(v.id)}/snooze`, {
            method: "POST",
            // Snoozing "for N days" counts from the server's day, not this browser's clock.
            body: "snoozeDays" in v ? { days: v.snoozeDays } : { until: v.until },
          }),
    onSuccess: invalidate,
  });
}

/** Text in the reader's language, else the other one. */
export function textIn(text: LocalizedText | undefined, lang: string): string {
  if (text === undefined) return "";
  return (lang.startsWith("zh") ? (text["zh-CN"] ?? text.en) : (text.en ?? text["zh-CN"])) ?? "";
}
