import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch } from "../../api/client";
import type { Schema } from "../../api/schema";

export type ApiKey = Schema<"ApiKey">;
export type CreatedApiKey = Schema<"CreatedApiKey">;
export type KeyScope = ApiKey["scope"];
export const KEY_SCOPES: readonly KeyScope[] = ["read", "admin", "tracking"];

/** GET /api/keys */
export function useKeys() {
  return useQuery({ queryKey: ["keys"], queryFn: () => apiFetch<{ keys: ApiKey[] }>("/api/keys") });
}

/** GET /api/team: the teams a key may be limited to. */
export function useTeams() {
  return useQuery({
    queryKey: ["team"],
    queryFn: () => apiFetch<{ teams: { id: string; name: string }[] }>("/api/team"),
  });
}

const useKeyMutation = <V, R>(fn: (v: V) => Promise<R>) => {
  const client = useQueryClient();
  return useMutation({
    mutationFn: fn,
    onSuccess: () => void client.invalidateQueries({ queryKey: ["keys"] }),
  });
};

/** POST /api/keys: the answer holds the key, shown once. */
export const useCreateKey = () =>
  useKeyMutation((v: { scope: KeyScope; name?: string; teamId?: string | null }) =>
    apiFetch<CreatedApiKey>("/api/keys", { method: "POST", body: v }),
  );

/** POST /api/keys/{id}/rotate */
export const useRotateKey = () =>
  useKeyMutation((v: { id: string; overlap: string }) =>
    apiFetch<CreatedApiKey & { previous: ApiKey }>(`/api/keys/${encodeURIComponent(v.id)}/rotate`, {
      method: "POST",
      body: { overlap: v.overlap },
    }),
  );

/** DELETE /api/keys/{id} */
export const useRevokeKey = () =>
  useKeyMutation((id: string) =>
    apiFetch<ApiKey>(`/api/keys/${encodeURIComponent(id)}`, { method: "DELETE" }),
  );
