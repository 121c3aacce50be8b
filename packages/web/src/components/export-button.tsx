import { useTranslation } from "react-i18next";

export type ExportTable = "accounts" | "worklist" | "movements" | "renewals" | "predictions";

/**
 * Downloads a table as an Excel file (GET /api/export/{table}): the same filters as the table on screen,
 * headers and labels in the viewer's language. A button, not a link: the file is an attachment, so the
 * browser downloads it and stays on the page (and link crawlers do not take it for a page).
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
    <button
      type="button"
      className="button button-small"
      onClick={() => window.location.assign(`/api/export/${table}?${params.toString()}`)}
      title={t("exportTable.title")}
      data-testid={`export-${table}`}
      data-href={`/api/export/${table}?${params.toString()}`}
    >
      {t("exportTable.excel")}
    </button>
  );
}
