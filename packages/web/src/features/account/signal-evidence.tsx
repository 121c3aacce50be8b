import { useTranslation } from "react-i18next";
import type { Signal } from "../../api/account-types";
import { humanizeCode } from "../../components/display-names";
import { type Formatters, useFormatters } from "../../lib/use-formatters";

/** Keys that identify records for dedup and links; they mean nothing to a reader. */
const HIDDEN = new Set(["dedupKey", "contactId", "stakeholderId"]);
const ISO_DATE = /^\d{4}-\d{2}-\d{2}(T[\d:.]+Z?)?$/;
/** A stored code such as "no_new_data": shown by its translation, else in words, never as is. */
const CODE = /^[a-z]+(_[a-z]+)+$/;

/** "daysSinceTouch" → "Days since touch": the label of a key no translation names (user rules). */
export function humanizeKey(key: string): string {
  const words = key
    .replace(/([a-z\d])([A-Z])/g, "$1 $2")
    .replace(/[_-]+/g, " ")
    .trim()
    .toLowerCase();
  return words.charAt(0).toUpperCase() + words.slice(1);
}

function formatValue(key: string, value: unknown, fmt: Formatters, code: (value: string) => string): string {
  if (value === null || value === undefined) return fmt.missing;
  if (typeof value === "number") {
    if (/Pct$/.test(key)) return `${fmt.number(value, 1)}%`;
    if (key === "mrr") return fmt.currency(value);
    return fmt.number(value, Number.isInteger(value) ? 0 : 2);
  }
  if (typeof value === "string" && ISO_DATE.test(value)) return fmt.date(value);
  if (typeof value === "boolean") return value ? "✓" : "✗";
  if (typeof value === "string" && CODE.test(value)) return code(value);
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** A signal's evidence as labelled, formatted figures (ids left out). */
export function SignalEvidence({ evidence }: { evidence: Signal["evidence"] }) {
  const { t, i18n } = useTranslation();
  const fmt = useFormatters();
  const entries = Object.entries(evidence).filter(([key]) => !HIDDEN.has(key));
  if (entries.length === 0) return null;
  return (
    <dl className="evidence">
      {entries.map(([key, value]) => (
        <div key={key} data-evidence-key={key}>
          <dt>
            {i18n.exists(`signals.evidence.${key}`)
              ? t(`signals.evidence.${key}`)
              : // A user rule's figures: the metric's name when the product names it.
                i18n.exists(`metric.${key}`)
                ? t(`metric.${key}`)
                : humanizeKey(key)}
          </dt>
          <dd>
            {formatValue(key, value, fmt, (v) =>
              t(`signals.evidenceValues.${v}`, { defaultValue: humanizeCode(v) }),
            )}
          </dd>
        </div>
      ))}
    </dl>
  );
}
