import { EXPLAIN_MESSAGES_EN, EXPLAIN_MESSAGES_ZH } from "../health/explain-messages";
import { SIGNAL_MESSAGES_EN, SIGNAL_MESSAGES_ZH } from "../signals/signal-messages";
import { type MessageCatalog, renderMessage, type TextLocale, type TextMessage } from "./message";

export { dimensionName, measureName, profileName } from "../health/explain-score";
export { REASON_MESSAGES_EN, REASON_MESSAGES_ZH } from "../models/churn/reason-messages";
export { type SignalText, signalText } from "../signals/signal-messages";
export type { SignalEvidence, SignalType } from "../signals/types";
export * from "./message";

/** Every template the engine composes sentences from, per language (merged into the web app's i18next). */
export const CORE_MESSAGES: Readonly<Record<TextLocale, MessageCatalog>> = {
  en: { ...EXPLAIN_MESSAGES_EN, ...SIGNAL_MESSAGES_EN },
  "zh-CN": { ...EXPLAIN_MESSAGES_ZH, ...SIGNAL_MESSAGES_ZH },
};

/** A core message in `locale`, e.g. an explanation line or a signal summary for the CLI, API or an export. */
export function renderCoreMessage(locale: TextLocale, msg: TextMessage): string {
  return renderMessage(CORE_MESSAGES, locale, msg);
}
export type { MetricKey } from "../health/metric-catalog";
