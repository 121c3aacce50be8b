import { openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { importData } from "./import-data";
import type { ImportDataInput } from "./types";

// Issue 14 §6: a Chinese user entered 7.2 for CNY (1 USD = 7.2 CNY) where the file meant USD per CNY,
// and MRR came out 52× too high without a word.
describe.each(testDialects())("exchange-rate import on %s", (dialect) => {
  let t: TestStorage;
  let ws = 0;
  const nextWorkspace = () => `ws-fx-${++ws}`;
  const run = (w: string, content: string, extra: Partial<ImportDataInput> = {}) =>
    importData(t.storage, {
      workspaceId: w,
      kind: "exchange-rates",
      fileName: "rates.csv",
      content: Buffer.from(content),
      ...extra,
    });

  beforeAll(async () => {
    t = await openTestStorage(dialect);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it("should store a rate quoted as units per reporting unit as its inverse", async () => {
    const w = nextWorkspace();
    const s = await run(w, "date,currency,units_per_reporting\n2026-01-01,CNY,8\n");
    expect(s).toMatchObject({ written: true, inserted: 1, errors: [], warnings: [] });
    expect(await t.storage.exchangeRates.list(w)).toEqual([
      { date: "2026-01-01", currency: "CNY", rate: 0.125 },
    ]);
  });

  it("should read currency-named columns both ways when they name the reporting currency", async () => {
    const w = nextWorkspace();
    const s = await run(
      w,
      "date,currency,units_per_usd,usd_per_unit\n2026-01-01,CNY,8,\n2026-01-01,EUR,,1.25\n",
    );
    expect(s).toMatchObject({ written: true, inserted: 2, errors: [] });
    expect(await t.storage.exchangeRates.list(w)).toEqual([
      { date: "2026-01-01", currency: "CNY", rate: 0.125 },
      { date: "2026-01-01", currency: "EUR", rate: 1.25 },
    ]);
    const cny = await run(w, "date,currency,units_per_cny\n2026-01-01,USD,0.125\n", {
      reportingCurrency: "CNY",
    });
    expect(cny).toMatchObject({ written: true, errors: [] });
  });

  it("should refuse a currency-named column that is not the reporting currency", async () => {
    const w = nextWorkspace();
    const s = await run(w, "date,currency,units_per_usd\n2026-01-01,EUR,0.9\n", { reportingCurrency: "CNY" });
    expect(s.written).toBe(false);
    expect(s.errors).toEqual([
      {
        file: "rates.csv",
        row: 2,
        column: "units_per_usd",
        value: "0.9",
        reason: expect.stringMatching(/^units_per_usd gives rates in USD, but the reporting currency is CNY/),
      },
    ]);
    expect(await t.storage.exchangeRates.list(w)).toEqual([]);
  });

  it("should accept rates in another base when the table also quotes the reporting currency (crossed)", async () => {
    const w = nextWorkspace();
    const s = await run(w, "date,currency,usd_per_unit\n2026-01-01,CNY,0.139\n2026-01-01,EUR,1.08\n", {
      reportingCurrency: "CNY",
    });
    expect(s).toMatchObject({ written: true, errors: [] });
    expect(await t.storage.exchangeRates.list(w)).toEqual([
      { date: "2026-01-01", currency: "CNY", rate: 0.139 },
      { date: "2026-01-01", currency: "EUR", rate: 1.08 },
    ]);
  });

  it("should need exactly one rate per row", async () => {
    const w = nextWorkspace();
    const s = await run(
      w,
      "date,currency,rate,units_per_reporting\n2026-01-01,CNY,,\n2026-01-01,EUR,1.1,0.9\n",
    );
    expect(s.errors.map((e) => [e.row, e.column, e.reason.slice(0, 40)])).toEqual([
      [2, "rate", "a rate is required: give the rate as rep"],
      [3, "units_per_reporting", "give one rate per row: reporting_per_uni"],
    ]);
  });

  it("should keep the old rate column meaning reporting currency per unit", async () => {
    const w = nextWorkspace();
    expect(await run(w, "date,currency,rate\n2026-01-01,EUR,1.08\n")).toMatchObject({
      written: true,
      warnings: [],
    });
    expect(await t.storage.exchangeRates.list(w)).toEqual([
      { date: "2026-01-01", currency: "EUR", rate: 1.08 },
    ]);
  });

  it("should warn, naming the row, previous rate and ratio, when a rate jumps against the stored one", async () => {
    const w = nextWorkspace();
    await run(w, "date,currency,rate\n2026-01-01,CNY,0.139\n2026-01-01,EUR,1.08\n");
    // 7.2 entered in the `rate` column (reporting per unit), as CNY rates are quoted the other way.
    const s = await run(w, "date,currency,rate\n2026-02-01,CNY,7.2\n2026-02-01,EUR,1.1\n");
    expect(s).toMatchObject({ written: true, errors: [] });
    expect(s.warnings).toEqual([
      {
        file: "rates.csv",
        row: 2,
        column: "rate",
        value: "7.2",
        reason:
          "CNY rate 7.2 USD per CNY on 2026-02-01 is 51.8× the previous rate 0.139 USD per CNY (2026-01-01). " +
          "It looks entered the other way round: read as units_per_reporting it gives 0.1389 USD per CNY, near the previous rate.",
      },
    ]);
  });

  it("should warn on jumps within the file, and compare a currency's first rate with the next one", async () => {
    const w = nextWorkspace();
    await run(w, "date,currency,rate\n2026-03-01,JPY,0.0067\n");
    const s = await run(
      w,
      "date,currency,units_per_reporting\n2026-01-01,GBP,0.79\n2026-02-01,GBP,0.8\n2026-03-01,GBP,79\n2026-02-01,JPY,0.0068\n",
    );
    expect(s.warnings.map((e) => [e.row, e.column, e.reason])).toEqual([
      [
        4,
        "units_per_reporting",
        "GBP rate 79 GBP per USD (0.01266 USD per GBP) on 2026-03-01 is 1/98.8 of the previous rate 1.25 USD per GBP (2026-02-01).",
      ],
      [
        5,
        "units_per_reporting",
        "JPY rate 0.0068 JPY per USD (147.059 USD per JPY) on 2026-02-01 is 21,949× the next rate 0.0067 USD per JPY (2026-03-01). It looks entered the other way round: read as reporting_per_unit it gives 0.0068 USD per JPY, near the next rate.",
      ],
    ]);
  });

  it("should warn when a currency's first-ever rate is far from its typical magnitude, and suggest the inversion", async () => {
    const w = nextWorkspace();
    // The first CNY rate: 7.2 in the `rate` column (USD per CNY), as CNY rates are quoted the other way.
    const s = await run(w, "date,currency,rate\n2026-01-01,CNY,7.2\n2026-01-01,EUR,1.08\n2026-01-01,ARS,5\n");
    expect(s).toMatchObject({ written: true, errors: [] });
    expect(s.warnings).toEqual([
      {
        file: "rates.csv",
        row: 2,
        column: "rate",
        value: "7.2",
        reason:
          "CNY rate 7.2 USD per CNY on 2026-01-01 is the currency's first rate and 51.8× a typical rate (about 0.139 USD per CNY). " +
          "It looks entered the other way round: read as units_per_reporting it gives 0.1389 USD per CNY, near the typical rate.",
      },
    ]);
    // In a CNY workspace the same table is crossed: 1 JPY is about 0.048 CNY, not 150.
    const cny = await run(nextWorkspace(), "date,currency,units_per_reporting\n2026-01-01,JPY,0.048\n", {
      reportingCurrency: "CNY",
    });
    expect(cny.warnings.map((e) => [e.row, e.column, e.reason.split(". ")[0]])).toEqual([
      [
        2,
        "units_per_reporting",
        "JPY rate 0.048 JPY per CNY (20.8333 CNY per JPY) on 2026-01-01 is the currency's first rate and 432× a typical rate (about 0.0482 CNY per JPY)",
      ],
    ]);
    // Rightly entered first rates, and a currency the table does not know, pass without a word.
    const ok = await run(
      nextWorkspace(),
      "date,currency,units_per_usd\n2026-01-01,CNY,7.1\n2026-01-01,JPY,151\n",
    );
    expect(ok.warnings).toEqual([]);
  });
});
