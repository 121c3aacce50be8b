import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch, withQuery } from "../../api/client";
import type { Schema } from "../../api/schema";

/** An automation with its log counts (GET /api/automations). */
export type Automation = Schema<"Automation">;
export type AutomationDefinition = Schema<"AutomationDefinition">;
export type AutomationTrigger = Schema<"AutomationTrigger">;
export type AutomationAction = Schema<"AutomationAction">;
export type AutomationLogEntry = Schema<"AutomationLogEntry">;
export type AutomationDryRun = Schema<"AutomationDryRun">;

const enc = encodeURIComponent;

/** Every automation of the workspace. */
export function useAutomations() {
  return useQuery({
    queryKey: ["automations"],
    queryFn: () => apiFetch<{ automations: Automation[] }>("/api/automations"),
  });
}

/** An automation's run log, newest first. */
export function useAutomationLog(id: string | null, outcome?: string) {
  return useQuery({
    queryKey: ["automations", "log", id, outcome ?? ""],
    enabled: id !== null,
    queryFn: () =>
      apiFetch<{ entries: AutomationLogEntry[] }>(
        withQuery(`/api/automations/${enc(id ?? "")}/log`, { limit: 100, outcome }),
      ),
  });
}

function useInvalidate() {
  const client = useQueryClient();
  return () => void client.invalidateQueries({ queryKey: ["automations"] });
}

/** The on/off switch; the list shows the server's answer at once (no flip back while it refetches). */
export function useSetEnabled() {
  const client = useQueryClient();
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (v: { id: string; enabled: boolean }) =>
      apiFetch<Automation>(`/api/automations/${enc(v.id)}/enabled`, {
        method: "POST",
        body: { enabled: v.enabled },
      }),
    onSuccess: (saved) => {
      client.setQueryData<{ automations: Automation[] }>(["automations"], (old) =>
        old === undefined
          ? old
          : { automations: old.automations.map((a) => (a.id === saved.id ? saved : a)) },
      );
      invalidate();
    },
  });
}

/** POST /api/automations (new) or PUT /api/automations/{id} (its next version). */
export function useSaveAutomation() {
  const invalidate = useInvalidate();
  return useMutation({
    mutationFn: (v: { id: string | null; definition: AutomationDefinition }) =>
      v.id === null
        ? apiFetch<Automation>("/api/automations", { method: "POST", body: v.definition })
        : apiFetch<Automation>(`/api/automations/${enc(v.id)}`, { method: "PUT", body: v.definition }),
    onSuccess: invalidate,
  });
}

/** Dry run of a saved automation or a draft: who would be affected and how (writes nothing). */
export function useDryRun() {
  return useMutation({
    mutationFn: (v: { id?: string; definition?: AutomationDefinition; days?: number }) =>
      apiFetch<AutomationDryRun>("/api/automations/dry-run", { method: "POST", body: v }),
  });
}
