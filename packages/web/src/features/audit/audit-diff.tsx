import { useTranslation } from "react-i18next";

const show = (v: unknown) => (v === undefined ? "" : typeof v === "string" ? v : JSON.stringify(v));

/**
 * The fields an audit entry changed: before and after side by side, only the fields that differ
 * (a created entity shows every field as added, a deleted one as removed).
 */
export function AuditDiff({ before, after }: { before: unknown; after: unknown }) {
  const { t } = useTranslation();
  const obj = (v: unknown) =>
    v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Record<string, unknown>) : null;
  const b = obj(before);
  const a = obj(after);
  if (b === null && a === null) {
    if (before === null && after === null) return <span className="muted">{t("audit.noDetail")}</span>;
    return (
      <span>
        {show(before)} → {show(after)}
      </span>
    );
  }
  const keys = [...new Set([...Object.keys(b ?? {}), ...Object.keys(a ?? {})])].filter(
    (k) => show(b?.[k]) !== show(a?.[k]),
  );
  if (keys.length === 0) return <span className="muted">{t("audit.noChange")}</span>;
  return (
    <table className="table table-compact" data-testid="audit-diff">
      <thead>
        <tr>
          <th>{t("audit.field")}</th>
          <th>{t("audit.before")}</th>
          <th>{t("audit.after")}</th>
        </tr>
      </thead>
      <tbody>
        {keys.map((k) => (
          <tr key={k}>
            <td>
              <code translate="no">{k}</code>
            </td>
            <td className="diff-before">{show(b?.[k])}</td>
            <td className="diff-after">{show(a?.[k])}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}
