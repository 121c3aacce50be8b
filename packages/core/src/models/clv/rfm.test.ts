import { describe, expect, it } from "vitest";
import { TenureError } from "../../errors";
import { dayNumber, rfmSummary } from "./rfm";
import { parseTransactionsText } from "./transactions-text";

describe("rfmSummary", () => {
  const log = [
    { customerId: "2", date: "2024-01-01", amount: 10 },
    { customerId: "2", date: "2024-01-01", amount: 5 }, // same day: one purchase of 15
    { customerId: "2", date: "2024-01-15", amount: 20 },
    { customerId: "2", date: "2024-01-15", amount: 2 },
    { customerId: "2", date: "2024-01-29", amount: 30 },
    { customerId: "2", date: "2024-03-01", amount: 99 }, // after calibration: ignored
    { customerId: "10", date: "2024-01-22", amount: 7 },
    { customerId: "3", date: "2024-02-10", amount: 7 }, // first purchase after the end: not a customer yet
  ];

  it("should count distinct purchase days and average repeat days only when building the summary", () => {
    const s = rfmSummary(log, { calibrationEnd: "2024-02-05", timeUnit: "week" });
    expect(s.customers).toEqual([
      { customerId: "2", frequency: 2, recency: 4, T: 5, monetaryValue: 26 },
      { customerId: "10", frequency: 0, recency: 0, T: 2, monetaryValue: 0 },
    ]);
    expect(s.ignoredTransactions).toBe(2);
  });

  it("should express recency and T in days or months when asked", () => {
    const days = rfmSummary(log, { calibrationEnd: "2024-02-05", timeUnit: "day" });
    expect(days.customers[0]).toMatchObject({ recency: 28, T: 35 });
    const months = rfmSummary(log, { calibrationEnd: "2024-02-05", timeUnit: "month" });
    expect(months.customers[0]!.T).toBeCloseTo(35 / 30.4375, 12);
  });

  it("should throw a validation error when a date or amount is invalid", () => {
    expect(() =>
      rfmSummary([{ customerId: "1", date: "2024-02-30", amount: 1 }], {
        calibrationEnd: "2024-03-01",
        timeUnit: "day",
      }),
    ).toThrow(TenureError);
    expect(() =>
      rfmSummary([{ customerId: "1", date: "2024-02-01", amount: Number.NaN }], {
        calibrationEnd: "2024-03-01",
        timeUnit: "day",
      }),
    ).toThrow(/amount/);
    expect(() => dayNumber("20240101")).toThrow(/YYYY-MM-DD/);
  });
});

describe("parseTransactionsText", () => {
  it("should read a CSV with a customer_id,date,amount header", () => {
    expect(parseTransactionsText("customer_id,date,amount\nc1,2024-01-02,12.5\n\nc2,2024-01-03,3\n")).toEqual(
      [
        { customerId: "c1", date: "2024-01-02", amount: 12.5 },
        { customerId: "c2", date: "2024-01-03", amount: 3 },
      ],
    );
  });

  it("should read the CDNOW whitespace layouts with or without the sample id and header", () => {
    const sample = " 00004 0001 19970101  2   29.33\n 00004 0001 19970118  2   29.73\n";
    const master = " customer_id  date number_of_cds  dollar_value\n 00001 19970101  1   11.77\n";
    expect(parseTransactionsText(sample)).toEqual([
      { customerId: "00004", date: "1997-01-01", amount: 29.33 },
      { customerId: "00004", date: "1997-01-18", amount: 29.73 },
    ]);
    expect(parseTransactionsText(master)).toEqual([
      { customerId: "00001", date: "1997-01-01", amount: 11.77 },
    ]);
  });

  it("should return nothing for empty text and throw for malformed rows", () => {
    expect(parseTransactionsText("\n")).toEqual([]);
    expect(() => parseTransactionsText("id,when,value\n1,2024-01-01,3")).toThrow(/customer_id/);
    expect(() => parseTransactionsText("customer_id,date,amount\n1,2024-01-01,abc")).toThrow(/line 2/);
    expect(() => parseTransactionsText(" 1 19970101 1 2\n 1 1997 1 2")).toThrow(/line 2/);
  });
});
