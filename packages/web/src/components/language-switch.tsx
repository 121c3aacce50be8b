import { useTranslation } from "react-i18next";
import { currentLanguage, LANGUAGES, type Language, setLanguage } from "../i18n";

/** Select between English and Simplified Chinese; the choice is saved in localStorage. */
export function LanguageSwitch() {
  const { t, i18n } = useTranslation();
  return (
    <label className="inline-field">
      <span className="visually-hidden">{t("header.language")}</span>
      <select
        className="select select-compact"
        value={currentLanguage(i18n.language)}
        onChange={(e) => void setLanguage(e.target.value as Language)}
        data-testid="language-switch"
        aria-label={t("header.language")}
      >
        {LANGUAGES.map((language) => (
          <option key={language} value={language}>
            {t(`language.${language}`)}
          </option>
        ))}
      </select>
    </label>
  );
}
