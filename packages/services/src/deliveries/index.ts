export {
  CHAT_KINDS,
  type ChatMessage,
  type ChatTarget,
  chatRequest,
  chatResponseError,
  dingtalkSign,
  feishuSign,
  sendChat,
} from "./chat";
export {
  type ChannelInput,
  checkDeliveryAction,
  type DeliveryPage,
  deleteChannel,
  deleteEndpoint,
  deleteTemplate,
  type EndpointInput,
  getDelivery,
  listChannels,
  listDeliveries,
  listEndpoints,
  listTemplates,
  previewTemplate,
  saveChannel,
  saveEndpoint,
  saveTemplate,
  sendTestDelivery,
  type TemplateInput,
  type TemplatePreview,
  type TestDelivery,
} from "./delivery-service";
export {
  DELIVERY_SETTINGS_KEY,
  type DeliverySettings,
  deliverySettingsSchema,
  getDeliverySettings,
  maskSmtpUrl,
  resolveSmtp,
  type SmtpEnv,
  setDeliverySettings,
} from "./delivery-settings";
export { closeSmtpTransports, messageIdFor, type OutgoingEmail, type SmtpSettings, sendEmail } from "./email";
export {
  type RenderedEmail,
  renderTemplate,
  type TemplateText,
  templateVariablesUsed,
  validateTemplate,
} from "./email-template";
export {
  type ChatPayload,
  chatPayloadSchema,
  DELIVERY_JOB_KINDS,
  type DeliveryDeps,
  DeliveryFailedError,
  type DeliveryJob,
  type DeliveryResult,
  deliverChat,
  deliverEmail,
  deliverWebhook,
  type EmailPayload,
  emailPayloadSchema,
  type WebhookPayload,
  webhookPayloadSchema,
} from "./handlers";
export { type LoopbackReceiver, type ReceivedRequest, startLoopbackReceiver } from "./loopback-receiver";
export type { AttemptOutcome } from "./outcome";
export { assertTimeZone, type QuietHours, quietHoursEnd } from "./quiet-hours";
export { loadTemplateSource, type TemplateSourceDeps } from "./template-source";
export {
  isTemplateVariable,
  TEMPLATE_VARIABLES,
  type TemplateSource,
  type TemplateVariable,
  type TemplateView,
  templateView,
} from "./template-variables";
export { isWebhookSecret, newWebhookSecret, sendWebhook, signWebhook, type WebhookEvent } from "./webhook";
