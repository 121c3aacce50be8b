import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { type CsvValue, TenureError, type TextLocale, toCsv } from "@tenure/core";
import ExcelJS from "exceljs";
import type { AuthVariables } from "../auth";
import { ErrorSchema, json } from "../schemas";
import {
  EXPORT_TABLE_SPECS,
  EXPORT_TABLES,
  type ExportCell,
  type ExportFormat,
  type ExportTableName,
} from "./export-columns";

/** Answers an API path (e.g. "/worklist?owner=x") as the caller, in-process: the export reads what the screen shows. */
export type ApiFetch = (path: string, headers: Headers) => Promise<Response>;

const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
const CSV_TYPE = "text/csv; charset=utf-8";
/** Rows per page when reading the accounts list (its route's largest page). */
const ACCOUNTS_PAGE = 5000;

/** Query parameters the export keeps for itself; every other one is the table's own filter. */
const OWN_PARAMS = new Set(["lang", "format", "limit", "offset", "renewal", "signals"]);

/**
 * The accounts list's filters the web app applies to the loaded rows rather than in the route (renewal
 * window, open signals): the export applies them the same way, so the file holds the rows on screen.
 */
const AccountRowFilters = z.object({
  renewal: z.coerce.number().int().min(1).max(3660).optional().openapi({
    description: "accounts only: renewal within this many days from today (as the list's renewal filter)",
  }),
  signals: z.enum(["any", "risk", "opportunity", "none"]).optional().openapi({
    description: "accounts only: with any, risk or opportunity open signals, or none",
  }),
});
type AccountRowFilters = z.infer<typeof AccountRowFilters>;

const DAY_MS = 86_400_000;
const count = (v: unknown) => (typeof v === "number" ? v : 0);

/** True when an accounts-list row passes the renewal-window and signal filters (as the web list does). */
export function matchesAccountRowFilters(
  row: Record<string, unknown>,
  f: AccountRowFilters,
  today: string,
): boolean {
  if (f.renewal !== undefined) {
    if (typeof row.renewalDate !== "string") return false;
    const at = Date.parse(row.renewalDate);
    const now = Date.parse(`${today}T00:00:00Z`);
    // The list allows a day of slack before now (a renewal today, seen from any time zone).
    if (!(at >= now - DAY_MS && at <= now + f.renewal * DAY_MS)) return false;
  }
  switch (f.signals) {
    case "any":
      return count(row.openSignals) > 0;
    case "risk":
      return count(row.riskSignals) > 0;
    case "opportunity":
      return count(row.opportunitySignals) > 0;
    case "none":
      return count(row.openSignals) === 0;
    default:
      return true;
  }
}

async function getJson(fetchApi: ApiFetch, path: string, headers: Headers): Promise<Record<string, unknown>> {
  const res = await fetchApi(path, headers);
  const body = (await res.json()) as Record<string, unknown>;
  if (!res.ok) {
    const error = body.error as { code?: string; message?: string } | undefined;
    const code = error?.code === "not_found" ? "not_found" : "validation";
    throw new TenureError(code, error?.message ?? `Reading ${path} for the export failed (${res.status})`);
  }
  return body;
}

const rowsOf = (body: Record<string, unknown>, field: string): Record<string, unknown>[] =>
  Array.isArray(body[field]) ? (body[field] as Record<string, unknown>[]) : [];

/** The table's rows and its currency, read from the route the web app shows it from. */
async function readTable(
  fetchApi: ApiFetch,
  table: ExportTableName,
  filters: URLSearchParams,
  headers: Headers,
): Promise<{ rows: Record<string, unknown>[]; currency: string | null }> {
  const q = filters.toString();
  const withQuery = (path: string, extra = "") => {
    const parts = [q, extra].filter((p) => p !== "");
    return parts.length > 0 ? `${path}?${parts.join("&")}` : path;
  };
  switch (table) {
    case "accounts": {
      const rows: Record<string, unknown>[] = [];
      for (let offset = 0; ; offset += ACCOUNTS_PAGE) {
        const body = await getJson(
          fetchApi,
          withQuery("/accounts", `limit=${ACCOUNTS_PAGE}&offset=${offset}`),
          headers,
        );
        const page = rowsOf(body, "accounts");
        rows.push(...page);
        if (page.length < ACCOUNTS_PAGE || rows.length >= Number(body.total ?? 0)) break;
      }
      return { rows, currency: null };
    }
    case "worklist":
      return {
        rows: rowsOf(await getJson(fetchApi, withQuery("/worklist"), headers), "accounts"),
        currency: null,
      };
    case "movements": {
      const body = await getJson(fetchApi, withQuery("/revenue/metrics"), headers);
      return {
        rows: rowsOf(body, "months"),
        currency: typeof body.currency === "string" ? body.currency : null,
      };
    }
    case "renewals": {
      const body = await getJson(fetchApi, withQuery("/predictions/renewals"), headers);
      return {
        rows: rowsOf(body, "rows"),
        currency: typeof body.currency === "string" ? body.currency : null,
      };
    }
    case "predictions":
      return {
        rows: rowsOf(await getJson(fetchApi, withQuery("/predictions"), headers), "accounts"),
        currency: null,
      };
  }
}

/** Excel's number format for a currency, with the symbol the reader's language writes (¥, US$, €). */
export function currencyNumFmt(currency: string, locale: TextLocale): string {
  let symbol = currency;
  try {
    const parts = new Intl.NumberFormat(locale, { style: "currency", currency }).formatToParts(1);
    symbol = parts.find((p) => p.type === "currency")?.value ?? currency;
  } catch {
    // Not an ISO 4217 code: the code itself names the unit.
  }
  return `"${symbol.replace(/"/g, "")}"#,##0.00`;
}

const NUM_FMT: Record<Exclude<ExportFormat, "currency" | "text">, string> = {
  percent: "0.0%",
  date: "yyyy-mm-dd",
  number: "#,##0.0",
  integer: "#,##0",
};

function cellValue(value: ExportCell, format: ExportFormat): string | number | Date | null {
  if (value === null) return null;
  if (format === "date" && typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value))
    return new Date(`${value}T00:00:00Z`);
  return value;
}

/** The workbook of one table: a bold, frozen, filterable header row and typed cells (numbers stay numbers). */
export async function buildWorkbook(
  table: ExportTableName,
  rows: readonly Record<string, unknown>[],
  opts: { locale: TextLocale; currency: string },
): Promise<Buffer> {
  const spec = EXPORT_TABLE_SPECS[table];
  const wb = new ExcelJS.Workbook();
  wb.creator = "Tenure";
  const ws = wb.addWorksheet(spec.title[opts.locale], { views: [{ state: "frozen", ySplit: 1 }] });
  ws.columns = spec.columns.map((c, i) => ({
    key: String(i),
    header: c.header[opts.locale],
    width: c.width,
    style: {
      numFmt:
        c.format === "currency"
          ? currencyNumFmt(opts.currency, opts.locale)
          : c.format === "text"
            ? undefined
            : NUM_FMT[c.format],
    },
  }));
  ws.getRow(1).font = { bold: true };
  for (const row of rows) ws.addRow(spec.columns.map((c) => cellValue(c.value(row, opts.locale), c.format)));
  ws.autoFilter = { from: { row: 1, column: 1 }, to: { row: 1, column: spec.columns.length } };
  return Buffer.from(await wb.xlsx.writeBuffer());
}

/**
 * The table as CSV: the same headers, labels and order as the workbook; numbers as plain numbers
 * (amounts in the reporting currency, percentages as fractions), dates as YYYY-MM-DD. Text that a
 * spreadsheet would run as a formula gets a leading apostrophe (toCsv); negative numbers stay numbers.
 */
export function buildCsv(
  table: ExportTableName,
  rows: readonly Record<string, unknown>[],
  opts: { locale: TextLocale },
): string {
  const spec = EXPORT_TABLE_SPECS[table];
  const lines: CsvValue[][] = [spec.columns.map((c) => c.header[opts.locale])];
  for (const row of rows) lines.push(spec.columns.map((c) => c.value(row, opts.locale)));
  return toCsv(lines);
}

const TableParam = z.object({
  table: z.enum(EXPORT_TABLES).openapi({ param: { name: "table", in: "path" }, example: "worklist" }),
});
const ExportQuery = z
  .object({
    lang: z.enum(["en", "zh-CN"]).default("en").openapi({ description: "Language of headers and labels" }),
    format: z.enum(["xlsx", "csv"]).default("xlsx").openapi({
      description:
        "xlsx (typed cells) or csv (UTF-8; text that would start a formula begins with an apostrophe)",
    }),
  })
  .merge(AccountRowFilters)
  .passthrough();

/** GET /api/export/{table}: a table as an Excel workbook (.xlsx), with the same filters as its JSON route. */
export function exportRoutes(deps: { fetchApi: ApiFetch; reportingCurrency: string; today: () => string }) {
  const app = new OpenAPIHono<{ Variables: AuthVariables }>();
  app.openapi(
    createRoute({
      method: "get",
      path: "/export/{table}",
      tags: ["export"],
      summary: "A table (accounts, worklist, movements, renewals, predictions) as an Excel or CSV file",
      description:
        "Reads the table from its own route with the same query (accounts: search, owner, stage, band, tier, segment, sort, order, and the list's renewal and signals filters; movements: from, to, segment; worklist: owner; renewals: days, quarters, periodBy) and writes it as .xlsx in that order: " +
        "headers and labels in `lang`, amounts as numbers in the reporting currency, dates as dates. " +
        "`format=csv` writes the same table as UTF-8 CSV; text that would start a spreadsheet formula (= + - @, tab, CR) gets a leading apostrophe.",
      security: [{ apiKey: [] }],
      request: { params: TableParam, query: ExportQuery },
      responses: {
        200: {
          description: "The workbook",
          content: {
            [XLSX_TYPE]: { schema: z.string().openapi({ format: "binary" }) },
            [CSV_TYPE]: { schema: z.string() },
          },
        },
        400: json(ErrorSchema, "Invalid request"),
        401: json(ErrorSchema, "No or unknown API key"),
      },
    }),
    async (c) => {
      const { table } = c.req.valid("param");
      const query = c.req.valid("query");
      const locale: TextLocale = query.lang === "zh-CN" ? "zh-CN" : "en";
      const filters = new URLSearchParams();
      for (const [k, v] of new URL(c.req.url).searchParams) if (!OWN_PARAMS.has(k)) filters.append(k, v);
      const auth = new Headers();
      for (const h of ["cookie", "authorization"]) {
        const v = c.req.header(h);
        if (v !== undefined) auth.set(h, v);
      }
      const read = await readTable(deps.fetchApi, table, filters, auth);
      const rows =
        table === "accounts"
          ? read.rows.filter((r) => matchesAccountRowFilters(r, query, deps.today()))
          : read.rows;
      const stem = `tenure-${table}-${deps.today()}`;
      if (query.format === "csv") {
        return c.body(buildCsv(table, rows, { locale }), 200, {
          "content-type": CSV_TYPE,
          "content-disposition": `attachment; filename="${stem}.csv"`,
        });
      }
      const file = await buildWorkbook(table, rows, {
        locale,
        currency: read.currency ?? deps.reportingCurrency,
      });
      return c.body(new Uint8Array(file), 200, {
        "content-type": XLSX_TYPE,
        "content-disposition": `attachment; filename="${stem}.xlsx"`,
      });
    },
  );
  return app;
}
