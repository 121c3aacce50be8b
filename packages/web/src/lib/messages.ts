import { listSeparator, type MessageParam, type TextLocale, type TextMessage } from "@tenure/core/text";
import { useCallback } from "react";
import { useTranslation } from "react-i18next";
import { useFormatters } from "./use-formatters";

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * Renders the engine's sentences (health explanations, signal texts: a key and parameters) in the viewer's
 * language, with figures and dates formatted as the rest of the page formats them.
 */
export function useMessageRenderer(): (msg: TextMessage) => string {
  const { t, i18n } = useTranslation();
  const fmt = useFormatters();
  const locale: TextLocale = i18n.language === "zh-CN" ? "zh-CN" : "en";
  const render = useCallback(
    (msg: TextMessage): string => {
      const param = (name: string, value: MessageParam): string => {
        if (value === null) return fmt.missing;
        if (typeof value === "number") return fmt.number(value, 1);
        if (typeof value === "string") return ISO_DATE.test(value) ? fmt.date(value) : value;
        if (Array.isArray(value))
          return value.map((m: TextMessage) => render(m)).join(listSeparator(locale, name));
        return render(value as TextMessage);
      };
      const params: Record<string, string | number> = {};
      for (const [name, value] of Object.entries(msg.params)) params[name] = param(name, value);
      // i18next picks the plural form from a numeric `count`.
      if (typeof msg.params.count === "number") params.count = msg.params.count;
      return t(msg.key, params);
    },
    [t, fmt, locale],
  );
  return render;
}
