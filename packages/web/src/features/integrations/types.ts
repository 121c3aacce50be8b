import type { ApiRequest, ApiResponse, Schema } from "../../api/schema";

/** Shapes of the delivery routes (packages/server/src/routes/deliveries.ts), from the generated types. */
export type DeliveryTemplate = Schema<"DeliveryTemplate">;
export type TemplateInput = ApiRequest<"/deliveries/templates", "post">;
export type TemplatePreview = Schema<"DeliveryTemplatePreview">;
export type PreviewInput = ApiRequest<"/deliveries/templates/preview", "post">;
export type WebhookEndpoint = Schema<"WebhookEndpoint">;
export type EndpointInput = ApiRequest<"/deliveries/endpoints", "post">;
export type ChatChannel = Schema<"ChatChannel">;
export type ChannelInput = ApiRequest<"/deliveries/channels", "post">;
export type ChatKind = ChatChannel["kind"];
export type Delivery = Schema<"Delivery">;
export type DeliveryPage = Schema<"DeliveryPage">;
export type DeliveryStatus = Delivery["status"];
export type DeliverySettings = Schema<"DeliverySettings">;
export type SettingsInput = ApiRequest<"/deliveries/settings", "put">;
export type TestInput = ApiRequest<"/deliveries/test", "post">;
export type VariablesResponse = ApiResponse<"/deliveries/variables", "get">;
