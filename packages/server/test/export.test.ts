import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seedDemo, trainAndBacktest } from "@tenure/services";
import { openStorage, type Storage } from "@tenure/storage";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";
import { EXPORT_TABLE_SPECS, EXPORT_TABLES, exportReasonText } from "../src/routes/export-columns";

const WS = "default";
const TODAY = "2026-11-15";
let dir: string;
let storage: Storage;
let app: ReturnType<typeof createApp>;
let key: string;

// Reported in CNY from the demo's USD-quoted rates: the export carries the reporting currency end to end.
beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "tenure-export-"));
  storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
  await seedDemo(storage, { workspaceId: WS, accounts: 150, seed: 7, asOf: TODAY });
  await trainAndBacktest(storage, WS, { asOf: TODAY, target: "churn", reportingCurrency: "CNY" });
  key = (await storage.apiKeys.create(WS, { name: "admin", kind: "admin" })).key;
  app = createApp({ storage, config: { reportingCurrency: "CNY", grossMargin: 1 }, today: () => TODAY });
}, 300_000);

afterAll(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

const headers = () => ({ authorization: `Bearer ${key}` });
const getJson = async (url: string) =>
  (await (await app.request(url, { headers: headers() })).json()) as Record<string, unknown>;

async function download(url: string): Promise<{ res: Response; sheet: ExcelJS.Worksheet }> {
  const res = await app.request(url, { headers: headers() });
  expect(
    res.status,
    await res
      .clone()
      .text()
      .catch(() => ""),
  ).toBe(200);
  const wb = new ExcelJS.Workbook();
  await wb.xlsx.load(await res.arrayBuffer());
  const sheet = wb.worksheets[0];
  if (!sheet) throw new Error("the workbook has no sheet");
  return { res, sheet };
}

const headerRow = (sheet: ExcelJS.Worksheet): string[] =>
  (sheet.getRow(1).values as unknown[]).slice(1).map((v) => String(v));
/** Column index (1-based) of a header. */
const column = (sheet: ExcelJS.Worksheet, header: string): number => headerRow(sheet).indexOf(header) + 1;

/** Each table's JSON route and the field holding its rows, as the web app reads them. */
const SOURCES = {
  accounts: ["/api/accounts?limit=5000", "accounts"],
  worklist: ["/api/worklist", "accounts"],
  movements: ["/api/revenue/metrics", "months"],
  renewals: ["/api/predictions/renewals", "rows"],
  predictions: ["/api/predictions", "accounts"],
} as const;

describe("GET /api/export/{table}", () => {
  it("should write every table with its headers in Chinese and one row per row of its route when lang=zh-CN", async () => {
    for (const table of EXPORT_TABLES) {
      const { res, sheet } = await download(`/api/export/${table}?lang=zh-CN`);
      expect(res.headers.get("content-type")).toBe(
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
      );
      expect(res.headers.get("content-disposition")).toBe(
        `attachment; filename="tenure-${table}-${TODAY}.xlsx"`,
      );
      expect(headerRow(sheet)).toEqual(EXPORT_TABLE_SPECS[table].columns.map((c) => c.header["zh-CN"]));
      expect(sheet.name).toBe(EXPORT_TABLE_SPECS[table].title["zh-CN"]);
      const [url, field] = SOURCES[table];
      const rows = (await getJson(url))[field] as unknown[];
      expect(rows.length, table).toBeGreaterThan(0);
      expect(sheet.actualRowCount, table).toBe(rows.length + 1);
    }
  });

  it("should hold the worklist's first row as numbers, dates and translated labels when opened", async () => {
    const first = ((await getJson("/api/worklist")).accounts as Record<string, unknown>[])[0] as Record<
      string,
      unknown
    >;
    const { sheet } = await download("/api/export/worklist?lang=zh-CN");
    const row = sheet.getRow(2);
    expect(row.getCell(column(sheet, "客户")).value).toBe(first.name);
    expect(row.getCell(column(sheet, "ARR")).value).toBeCloseTo(first.arr as number, 6);
    // Amounts are numbers in the reporting currency, written with its symbol.
    expect(row.getCell(column(sheet, "ARR")).numFmt).toBe('"¥"#,##0.00');
    expect(row.getCell(column(sheet, "健康等级")).value).toBe(
      { red: "有风险", yellow: "需关注", green: "健康", none: "无评分" }[first.band as string],
    );
    const why = String(row.getCell(column(sheet, "原因")).value);
    // Health, signal and churn-model reasons are composed in Chinese, never left as their English text.
    const reasons = first.reasons as { key: string; text: string }[];
    const composed = reasons.filter((r) => /^(explain|signalText|predictions\.reason)\./.test(r.key));
    expect(composed.length).toBeGreaterThan(0);
    for (const r of composed) expect(why).not.toContain(r.text);
    expect(why.split(" · ")).toHaveLength(reasons.length);
    if (typeof first.renewalDate === "string")
      expect(row.getCell(column(sheet, "续约日期")).value).toEqual(
        new Date(`${first.renewalDate}T00:00:00Z`),
      );
  });

  it("should write the churn model's reasons in the reader's language, changes with their sign", () => {
    const idle = {
      key: "predictions.reason.noActivity",
      params: { days: 41 },
      text: "no activity for 41 days",
    };
    expect(exportReasonText(idle, "zh-CN")).toBe("已 41 天无使用");
    expect(exportReasonText(idle, "en")).toBe("no activity for 41 days");
    const drop = { key: "predictions.reason.usageChange", params: { change: -63 } };
    expect(exportReasonText(drop, "zh-CN")).toBe("使用量较前 4 周 -63%");
    expect(exportReasonText({ ...drop, params: { change: 12 } }, "en")).toBe(
      "usage +12% vs the 4 weeks before",
    );
  });

  it("should write English headers by default and keep the table's own filters", async () => {
    const { sheet } = await download("/api/export/accounts?band=red");
    expect(headerRow(sheet)).toEqual(EXPORT_TABLE_SPECS.accounts.columns.map((c) => c.header.en));
    const red = (await getJson("/api/accounts?band=red&limit=5000")).accounts as Record<string, unknown>[];
    expect(sheet.actualRowCount).toBe(red.length + 1);
    const bands = new Set<unknown>();
    sheet.eachRow((r, i) => {
      if (i > 1) bands.add(r.getCell(column(sheet, "Health")).value);
    });
    expect([...bands]).toEqual(red.length > 0 ? ["At risk"] : []);
    expect(sheet.getRow(2).getCell(column(sheet, "MRR")).numFmt).toBe('"CN¥"#,##0.00');
  });

  it("should export the accounts on screen: search, column filters, the list's renewal and signal filters and its sort", async () => {
    const all = (await getJson("/api/accounts?tier=enterprise&sort=name&order=asc&limit=5000"))
      .accounts as Record<string, unknown>[];
    const DAY = 86_400_000;
    const now = Date.parse(`${TODAY}T00:00:00Z`);
    // The web list applies the renewal window and signal filters to the loaded rows: so must the file.
    const shown = all.filter((r) => {
      const at = typeof r.renewalDate === "string" ? Date.parse(r.renewalDate) : Number.NaN;
      return at >= now - DAY && at <= now + 365 * DAY && Number(r.openSignals) === 0;
    });
    expect(shown.length).toBeGreaterThan(0);
    expect(shown.length).toBeLessThan(all.length);
    const { sheet } = await download(
      "/api/export/accounts?tier=enterprise&renewal=365&signals=none&sort=name&order=asc",
    );
    const names: unknown[] = [];
    sheet.eachRow((r, i) => {
      if (i > 1) names.push(r.getCell(column(sheet, "Account")).value);
    });
    expect(names).toEqual(shown.map((r) => r.name));
    // The search box too: one account by part of its name.
    const first = String(shown[0]?.name);
    const one = await download(`/api/export/accounts?search=${encodeURIComponent(first)}`);
    expect(one.sheet.getRow(2).getCell(column(one.sheet, "Account")).value).toBe(first);
    // A bad list filter names its parameter.
    const bad = await app.request("/api/export/accounts?signals=some", { headers: headers() });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("signals");
  });

  it("should export the movements of the period on screen (from, to) and segment", async () => {
    const shown = (await getJson("/api/revenue/metrics?from=2026-03&to=2026-08&segment=tier%3Denterprise"))
      .months as { month: string }[];
    expect(shown.map((m) => m.month)).toEqual([
      "2026-03",
      "2026-04",
      "2026-05",
      "2026-06",
      "2026-07",
      "2026-08",
    ]);
    const { sheet } = await download(
      "/api/export/movements?from=2026-03&to=2026-08&segment=tier%3Denterprise",
    );
    expect(sheet.actualRowCount).toBe(shown.length + 1);
    const first = sheet.getRow(2).getCell(1).value;
    const last = sheet.getRow(shown.length + 1).getCell(1).value;
    expect([first, last].map((v) => (v instanceof Date ? v.toISOString().slice(0, 7) : String(v)))).toEqual([
      "2026-03",
      "2026-08",
    ]);
  });

  it("should answer 400 naming the table when the table is unknown, and 401 without a key", async () => {
    const bad = await app.request("/api/export/nope", { headers: headers() });
    expect(bad.status).toBe(400);
    expect(await bad.text()).toContain("table");
    expect((await app.request("/api/export/accounts")).status).toBe(401);
  });
});
