import { useTranslation } from "react-i18next";

export type ExportTable = "accounts" | "worklist" | "movements" | "renewals" | "predictions";

/**
 * Downloads a table as an Excel file (GET /api/export/{table}): the same filters as the table on screen,
 * headers and labels in the viewer's language. A plain link, so the browser's own download handles it.
 */
export function ExportButton({
  table,
  query = {},
}: {
  table: ExportTable;
  query?: Record<string, string | number | undefined | null>;
}) {
  const { t, i18n } = useTranslation();
  const params = new URLSearchParams({ lang: i18n.language === "zh-CN" ? "zh-CN" : "en" });
  for (const [k, v] of Object.entries(query))
    if (v !== undefined && v !== null && v !== "") params.set(k, String(v));
  return (
    <a
      className="button button-small"
      href={`/api/export/${table}?${params.toString()}`}
      download
      title={t("exportTable.title")}
      data-testid={`export-${table}`}
    >
      {t("exportTable.excel")}
    </a>
  );
}
