/**
 * Sentences the engine composes (health explanations, signal texts) travel as a key and parameters, so each
 * reader sees them in their own language: the web app through i18next, the server and CLI through
 * `renderMessage`. Templates use i18next's syntax: `{{name}}` and `_one`/`_other` plural keys chosen by `count`.
 */

/** The languages the product ships. */
export type TextLocale = "en" | "zh-CN";
export const TEXT_LOCALES: readonly TextLocale[] = ["en", "zh-CN"];

/** A parameter: a figure, a name or ISO date, a nested message or a list of them (joined in the locale's way). */
export type MessageParam = string | number | null | TextMessage | TextMessage[];

/** One sentence as a catalogue key and its parameters, e.g. `{ key: "explain.metric.daysSinceLastLogin", params: { count: 41 } }`. */
export interface TextMessage {
  key: string;
  params: Record<string, MessageParam>;
}

/** A nested catalogue of templates, as i18next reads it. */
export interface MessageCatalog {
  [key: string]: string | MessageCatalog;
}

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The template at a dotted key, or undefined. */
export function lookupTemplate(catalog: MessageCatalog, key: string): string | undefined {
  let node: string | MessageCatalog | undefined = catalog;
  for (const part of key.split(".")) {
    if (node === undefined || typeof node === "string") return undefined;
    node = node[part];
  }
  return typeof node === "string" ? node : undefined;
}

/**
 * Separator of a list parameter: clauses ("a; b", "a；b"), or names when the parameter's name ends in
 * `Names` ("a, b", "a、b").
 */
export function listSeparator(locale: TextLocale, paramName: string): string {
  if (paramName.endsWith("Names")) return locale === "zh-CN" ? "、" : ", ";
  return locale === "zh-CN" ? "；" : "; ";
}

const numberFormats = new Map<string, Intl.NumberFormat>();
const dateFormats = new Map<string, Intl.DateTimeFormat>();

/** A scalar parameter as the locale writes it: numbers with at most one decimal, ISO dates as dates, null as "—". */
export function formatScalarParam(value: string | number | null, locale: TextLocale): string {
  if (value === null) return "—";
  if (typeof value === "number") {
    let f = numberFormats.get(locale);
    if (!f) {
      f = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
      numberFormats.set(locale, f);
    }
    return f.format(value);
  }
  if (ISO_DATE.test(value)) {
    let f = dateFormats.get(locale);
    if (!f) {
      f = new Intl.DateTimeFormat(locale, {
        year: "numeric",
        month: "short",
        day: "numeric",
        timeZone: "UTC",
      });
      dateFormats.set(locale, f);
    }
    const date = new Date(`${value}T00:00:00Z`);
    return Number.isNaN(date.getTime()) ? value : f.format(date);
  }
  return value;
}

function isMessage(value: MessageParam): value is TextMessage {
  return typeof value === "object" && value !== null && "key" in value;
}

/** The template for a key, with the plural form `count` selects (English: _one for 1; Chinese has one form). */
function pickTemplate(catalog: MessageCatalog, locale: TextLocale, msg: TextMessage): string | undefined {
  const count = msg.params.count;
  if (typeof count === "number") {
    const form = locale === "en" && count === 1 ? "one" : "other";
    const plural = lookupTemplate(catalog, `${msg.key}_${form}`);
    if (plural !== undefined) return plural;
  }
  return lookupTemplate(catalog, msg.key);
}

/**
 * Renders a message in `locale` from `catalogs` (falling back to English, then to the key itself).
 * Example: `renderMessage(CORE_MESSAGES, "zh-CN", { key: "explain.noScore", params: {} })`.
 */
export function renderMessage(
  catalogs: Readonly<Record<TextLocale, MessageCatalog>>,
  locale: TextLocale,
  msg: TextMessage,
): string {
  const template = pickTemplate(catalogs[locale], locale, msg) ?? pickTemplate(catalogs.en, "en", msg);
  if (template === undefined) return msg.key;
  return template.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => {
    const value = msg.params[name];
    if (value === undefined) return "";
    if (isMessage(value)) return renderMessage(catalogs, locale, value);
    if (Array.isArray(value))
      return value
        .map((m: TextMessage) => renderMessage(catalogs, locale, m))
        .join(listSeparator(locale, name));
    return formatScalarParam(value as string | number | null, locale);
  });
}
