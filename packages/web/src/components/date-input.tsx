import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { formatIsoForInput, type DateInputKind as Kind, parseInputToIso } from "../lib/date-input-format";

interface DateInputProps {
  kind?: Kind;
  /** ISO value: "2026-12-07" (date) or "2026-12" (month); "" when empty. */
  value: string;
  onChange: (iso: string) => void;
  min?: string;
  max?: string;
  className?: string;
  ariaLabel: string;
  testId?: string;
}

/** True when the browser draws native date fields in the UI's language (its own language is the UI's). */
function browserSpeaks(language: string): boolean {
  if (typeof navigator === "undefined") return false;
  return navigator.language.toLowerCase().startsWith(language.toLowerCase().slice(0, 2));
}

/**
 * A date (or month) field in the viewer's language: the browser's own picker when the browser speaks the UI's
 * language, else a text field in the locale's order (2026/12/07 in Chinese) that accepts what is typed there.
 */
export function DateInput({
  kind = "date",
  value,
  onChange,
  min,
  max,
  className,
  ariaLabel,
  testId,
}: DateInputProps) {
  const { t, i18n } = useTranslation();
  const locale = i18n.language || "en";
  const native = browserSpeaks(locale);
  const [text, setText] = useState(() => formatIsoForInput(value, locale, kind));
  useEffect(() => {
    // Follow the value from outside (reset after a save) and the language.
    setText((current) =>
      parseInputToIso(current, locale, kind) === value ? current : formatIsoForInput(value, locale, kind),
    );
  }, [value, locale, kind]);
  const cls = className ?? "input";
  if (native)
    return (
      <input
        className={cls}
        type={kind}
        value={value}
        min={min}
        max={max}
        onChange={(e) => onChange(e.target.value)}
        aria-label={ariaLabel}
        data-testid={testId}
      />
    );
  const parsed = parseInputToIso(text, locale, kind);
  const outOfRange = parsed !== null && ((min && parsed < min) || (max && parsed > max));
  const invalid = text.trim() !== "" && (parsed === null || Boolean(outOfRange));
  return (
    <input
      className={cls}
      type="text"
      inputMode="numeric"
      value={text}
      placeholder={t(kind === "date" ? "dateInput.datePlaceholder" : "dateInput.monthPlaceholder")}
      onChange={(e) => {
        const next = e.target.value;
        setText(next);
        const iso = parseInputToIso(next, locale, kind);
        if (next.trim() === "") onChange("");
        else if (iso !== null && !(min && iso < min) && !(max && iso > max)) onChange(iso);
      }}
      aria-label={ariaLabel}
      aria-invalid={invalid || undefined}
      title={invalid ? t("dateInput.invalid") : undefined}
      data-testid={testId}
    />
  );
}
