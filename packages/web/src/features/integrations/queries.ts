import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { apiFetch, withQuery } from "../../api/client";
import type {
  ChannelInput,
  ChatChannel,
  Delivery,
  DeliveryPage,
  DeliverySettings,
  DeliveryStatus,
  DeliveryTemplate,
  EndpointInput,
  PreviewInput,
  SettingsInput,
  TemplateInput,
  TemplatePreview,
  TestInput,
  VariablesResponse,
  WebhookEndpoint,
} from "./types";

const KEY = "deliveries";

/** GET /api/deliveries/variables */
export function useTemplateVariables() {
  return useQuery({
    queryKey: [KEY, "variables"],
    queryFn: () => apiFetch<VariablesResponse>("/api/deliveries/variables"),
    staleTime: Number.POSITIVE_INFINITY,
  });
}

/** GET /api/deliveries/templates */
export function useTemplates() {
  return useQuery({
    queryKey: [KEY, "templates"],
    queryFn: () => apiFetch<{ templates: DeliveryTemplate[] }>("/api/deliveries/templates"),
  });
}

/** POST (new) or PUT (existing id) a template. */
export function useSaveTemplate() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string | null; input: TemplateInput }) =>
      apiFetch<DeliveryTemplate>(
        id === null ? "/api/deliveries/templates" : `/api/deliveries/templates/${encodeURIComponent(id)}`,
        { method: id === null ? "POST" : "PUT", body: input },
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: [KEY, "templates"] }),
  });
}

/** DELETE a template. */
export function useDeleteTemplate() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch<null>(`/api/deliveries/templates/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: [KEY, "templates"] }),
  });
}

/** POST /api/deliveries/templates/preview */
export function usePreviewTemplate() {
  return useMutation({
    mutationFn: (input: PreviewInput) =>
      apiFetch<TemplatePreview>("/api/deliveries/templates/preview", { method: "POST", body: input }),
  });
}

/** GET /api/deliveries/endpoints */
export function useEndpoints() {
  return useQuery({
    queryKey: [KEY, "endpoints"],
    queryFn: () => apiFetch<{ endpoints: WebhookEndpoint[] }>("/api/deliveries/endpoints"),
  });
}

/** POST a new endpoint, or PUT one (to switch it on or off). */
export function useSaveEndpoint() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string | null; input: EndpointInput }) =>
      apiFetch<WebhookEndpoint>(
        id === null ? "/api/deliveries/endpoints" : `/api/deliveries/endpoints/${encodeURIComponent(id)}`,
        { method: id === null ? "POST" : "PUT", body: input },
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: [KEY, "endpoints"] }),
  });
}

/** DELETE an endpoint. */
export function useDeleteEndpoint() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch<null>(`/api/deliveries/endpoints/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: [KEY, "endpoints"] }),
  });
}

/** GET /api/deliveries/channels */
export function useChannels() {
  return useQuery({
    queryKey: [KEY, "channels"],
    queryFn: () => apiFetch<{ channels: ChatChannel[] }>("/api/deliveries/channels"),
  });
}

/** POST a new chat channel, or PUT one. */
export function useSaveChannel() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: ({ id, input }: { id: string | null; input: ChannelInput }) =>
      apiFetch<ChatChannel>(
        id === null ? "/api/deliveries/channels" : `/api/deliveries/channels/${encodeURIComponent(id)}`,
        { method: id === null ? "POST" : "PUT", body: input },
      ),
    onSuccess: () => client.invalidateQueries({ queryKey: [KEY, "channels"] }),
  });
}

/** DELETE a chat channel. */
export function useDeleteChannel() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (id: string) =>
      apiFetch<null>(`/api/deliveries/channels/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => client.invalidateQueries({ queryKey: [KEY, "channels"] }),
  });
}

/** GET /api/deliveries/settings */
export function useDeliverySettings() {
  return useQuery({
    queryKey: [KEY, "settings"],
    queryFn: () => apiFetch<DeliverySettings>("/api/deliveries/settings"),
  });
}

/** PUT /api/deliveries/settings */
export function useSaveDeliverySettings() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: SettingsInput) =>
      apiFetch<DeliverySettings>("/api/deliveries/settings", { method: "PUT", body: input }),
    onSuccess: (data) => client.setQueryData([KEY, "settings"], data),
  });
}

/** POST /api/deliveries/test; the log is refreshed with the result. */
export function useTestDelivery() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: (input: TestInput) =>
      apiFetch<Delivery>("/api/deliveries/test", { method: "POST", body: input }),
    onSuccess: () => client.invalidateQueries({ queryKey: [KEY, "log"] }),
  });
}

/** GET /api/deliveries (the delivery log), one page. */
export function useDeliveryLog(params: { status?: DeliveryStatus | undefined; cursor?: string | undefined }) {
  return useQuery({
    queryKey: [KEY, "log", params],
    queryFn: () => apiFetch<DeliveryPage>(withQuery("/api/deliveries", { ...params, limit: 50 })),
  });
}
