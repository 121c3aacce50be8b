import { CORE_MESSAGES } from "@tenure/core/text";
import i18next from "i18next";
import { initReactI18next } from "react-i18next";
import { en } from "./en";
import { zhCN } from "./zh-cn";

export type Language = "en" | "zh-CN";
export const LANGUAGES: readonly Language[] = ["en", "zh-CN"];

const STORAGE_KEY = "tenure.language";

function readStoredLanguage(): Language | null {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    return LANGUAGES.find((l) => l === stored) ?? null;
  } catch {
    return null;
  }
}

/** The saved choice, else the browser's language (any Chinese variant → zh-CN), else English. */
export function detectLanguage(): Language {
  const stored = readStoredLanguage();
  if (stored) return stored;
  const preferred = typeof navigator === "undefined" ? [] : (navigator.languages ?? [navigator.language]);
  for (const tag of preferred) {
    const lower = tag.toLowerCase();
    if (lower.startsWith("zh")) return "zh-CN";
    if (lower.startsWith("en")) return "en";
  }
  return "en";
}

/** Switches the UI language and remembers it in localStorage. */
export async function setLanguage(language: Language): Promise<void> {
  try {
    localStorage.setItem(STORAGE_KEY, language);
  } catch {
    // Private mode: the choice simply is not remembered.
  }
  await i18next.changeLanguage(language);
}

/** Narrows i18next's current language to one we ship. */
export function currentLanguage(language: string | undefined): Language {
  return language === "zh-CN" ? "zh-CN" : "en";
}

/** Initialises i18next once, before the first render. */
export function initI18n(): typeof i18next {
  const language = detectLanguage();
  void i18next.use(initReactI18next).init({
    // The engine's sentence templates (explanations, signal texts) live beside the code that composes them.
    resources: {
      en: { translation: { ...en, ...CORE_MESSAGES.en } },
      "zh-CN": { translation: { ...zhCN, ...CORE_MESSAGES["zh-CN"] } },
    },
    lng: language,
    fallbackLng: "en",
    interpolation: { escapeValue: false },
    returnNull: false,
    // Resources are bundled, so initialise synchronously and render translated text on the first paint.
    initAsync: false,
  });
  document.documentElement.lang = language;
  i18next.on("languageChanged", (lng) => {
    document.documentElement.lang = lng;
  });
  return i18next;
}
