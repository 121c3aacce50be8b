import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { type MrrJson, scratch, tenure } from "./helpers";

const PLAYBOOK = fileURLToPath(
  new URL("../../../../shared/datasets/mrr-playbook/subscription_periods.csv", import.meta.url),
);

let s: ReturnType<typeof scratch>;
afterEach(() => s?.cleanup());

async function mrrJson(db: string, ...extra: string[]): Promise<MrrJson> {
  const r = await tenure("--db", db, "report", "mrr", "--json", ...extra);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  return JSON.parse(r.stdout) as MrrJson;
}

const month = (report: MrrJson, m: string) => {
  const row = report.months.find((x) => x.month === m);
  if (!row) throw new Error(`month ${m} missing from report`);
  return row;
};

describe("tenure import + report mrr --json", () => {
  it("should reproduce the dbt mrr-playbook totals when importing its subscription_periods.csv", async () => {
    s = scratch();
    const imp = await tenure("--db", s.db, "import", "subscriptions", PLAYBOOK, "--json");
    expect(imp.code).toBe(0);
    const summary = JSON.parse(imp.stdout);
    expect(summary).toMatchObject({ written: true, rowsRead: 121, inserted: 121, errors: [] });
    expect(summary.createdAccounts).toHaveLength(55);

    const report = await mrrJson(s.db);
    expect(report.currency).toBe("USD");
    expect(Object.keys(report.months[0] ?? {})).toEqual([
      "month",
      "mrr",
      "customers",
      "new",
      "expansion",
      "contraction",
      "churn",
      "reactivation",
    ]);
    const sum = (k: "new" | "expansion" | "contraction" | "churn" | "reactivation") =>
      report.months.reduce((a, m) => a + m[k], 0);
    expect(sum("new")).toBe(2295);
    expect(sum("expansion")).toBe(660);
    expect(sum("contraction")).toBe(-555);
    expect(sum("churn")).toBe(-2550);
    expect(sum("reactivation")).toBe(150);
    expect(month(report, "2019-12")).toEqual({
      month: "2019-12",
      mrr: 1255,
      customers: expect.any(Number),
      new: 100,
      expansion: 50,
      contraction: -30,
      churn: -705,
      reactivation: 0,
    });
    let previous = 0;
    for (const m of report.months) {
      expect(m.new + m.expansion + m.contraction + m.churn + m.reactivation).toBeCloseTo(m.mrr - previous, 6);
      previous = m.mrr;
    }
  });

  it("should give nothing new when the same file is imported twice", async () => {
    s = scratch();
    await tenure("--db", s.db, "import", "subscriptions", PLAYBOOK);
    const before = await mrrJson(s.db);
    const again = await tenure("--db", s.db, "import", "subscriptions", PLAYBOOK, "--json");
    expect(JSON.parse(again.stdout)).toMatchObject({ inserted: 0, updated: 0, unchanged: 121 });
    expect(await mrrJson(s.db)).toEqual(before);
  });

  it("should normalise annual, quarterly, discounted, multi-seat, multi-currency and multi-product accounts", async () => {
    s = scratch();
    const rates = s.file("rates.csv", "date,currency,rate\n2024-01-01,EUR,1.10\n2024-03-01,EUR,1.20\n");
    const subs = s.file(
      "subs.csv",
      [
        "account_id,subscription_id,plan,start_date,end_date,amount,currency,interval,quantity,discount_pct",
        // ChartMogul: $2,000/year -> 166.67 MRR of new business
        "annual,s1,pro_annual,2024-01-01,2025-01-01,2000,USD,year,1,0",
        // ProfitWell: $120/year with 10% discount -> $9
        "disc,s2,basic_annual,2024-01-01,,120,USD,year,1,10",
        // quarterly 300 x 2 seats -> 200/month
        "quarterly,s3,team_q,2024-01-01,,300,USD,quarter,2,0",
        // EUR at the rate in force at the start (1.10), unaffected by the March rate change
        "eur,s4,pro_monthly,2024-01-15,,100,EUR,month,1,0",
        // two products; product B dropped in March while A stays -> contraction, not churn
        "multi,s5,product_a,2024-01-01,,50,USD,month,1,0",
        "multi,s6,product_b,2024-01-01,2024-03-01,30,USD,month,1,0",
        // same-day plan switch (upgrade) -> one expansion, not churn + new
        "switch,s7,starter,2024-01-01,2024-02-01,40,USD,month,1,0",
        "switch,s8,growth,2024-02-01,,90,USD,month,1,0",
        // trial and 100% discount are not MRR
        "trial,s9,pro_monthly,2024-01-01,,0,USD,month,1,0",
        "partner,s10,pro_monthly,2024-01-01,,100,USD,month,1,100",
      ].join("\n"),
    );
    expect((await tenure("--db", s.db, "import", "exchange-rates", rates)).code).toBe(0);
    const imp = await tenure("--db", s.db, "import", "subscriptions", subs);
    expect(imp.stderr).toBe("");
    expect(imp.code).toBe(0);

    const report = await mrrJson(s.db, "--from", "2024-01", "--to", "2024-04");
    const jan = month(report, "2024-01");
    // 166.67 + 9 + 200 + 110 + 80 + 40
    expect(jan.mrr).toBeCloseTo(605.67, 2);
    expect(jan.new).toBeCloseTo(605.67, 2);
    expect(jan.customers).toBe(6);
    const feb = month(report, "2024-02");
    expect(feb).toMatchObject({ expansion: 50, contraction: 0, churn: 0, new: 0, reactivation: 0 });
    const mar = month(report, "2024-03");
    expect(mar).toMatchObject({ contraction: -30, churn: 0, expansion: 0 });
    expect(mar.mrr).toBeCloseTo(625.67, 2);
    expect(month(report, "2024-04").mrr).toBeCloseTo(625.67, 2);
  });

  it("should report churn and then reactivation when an account comes back", async () => {
    s = scratch();
    const subs = s.file(
      "subs.csv",
      [
        "customer_id,subscription_id,plan,start_date,end_date,monthly_amount",
        "a,1,basic,2024-01-01,2024-03-01,100",
        "a,2,basic,2024-05-01,,120",
      ].join("\n"),
    );
    expect((await tenure("--db", s.db, "import", "subscriptions", subs)).code).toBe(0);
    const r = await mrrJson(s.db, "--to", "2024-06");
    expect(r.months.map((m) => [m.month, m.new, m.churn, m.reactivation])).toEqual([
      ["2024-01", 100, 0, 0],
      ["2024-02", 0, 0, 0],
      ["2024-03", 0, -100, 0],
      ["2024-04", 0, 0, 0],
      ["2024-05", 0, 0, 120],
      ["2024-06", 0, 0, 0],
    ]);
  });

  it("should cut the report by segment when --segment is given", async () => {
    s = scratch();
    const accounts = s.file(
      "accounts.csv",
      "account_id,name,tier\nbig,Big Co,enterprise\nsmall,Small Co,smb\n",
    );
    const subs = s.file(
      "subs.csv",
      "account_id,subscription_id,plan,start_date,end_date,amount\nbig,1,ent,2024-01-01,,1000\nsmall,2,smb,2024-01-01,,50\n",
    );
    await tenure("--db", s.db, "import", "accounts", accounts);
    await tenure("--db", s.db, "import", "subscriptions", subs);
    const r = await mrrJson(s.db, "--segment", "tier=enterprise", "--to", "2024-01");
    expect(r.months).toEqual([
      {
        month: "2024-01",
        mrr: 1000,
        customers: 1,
        new: 1000,
        expansion: 0,
        contraction: 0,
        churn: 0,
        reactivation: 0,
      },
    ]);
  });
});

describe("tenure report (other kinds)", () => {
  it("should list every account movement when report movements runs (regression: the report kind filtered them all out)", async () => {
    s = scratch();
    await tenure("--db", s.db, "import", "subscriptions", PLAYBOOK);
    const r = await tenure("--db", s.db, "report", "movements", "--json");
    expect(r.code).toBe(0);
    const { movements } = JSON.parse(r.stdout) as { movements: { kind: string; amount: number }[] };
    const count = (k: string) => movements.filter((m) => m.kind === k).length;
    expect([
      count("new"),
      count("expansion"),
      count("contraction"),
      count("churn"),
      count("reactivation"),
    ]).toEqual([55, 30, 27, 58, 3]);
    expect(movements.reduce((a, m) => a + m.amount, 0)).toBeCloseTo(0, 6);
  });

  it("should print readable tables and JSON for every revenue report", async () => {
    s = scratch();
    await tenure("--db", s.db, "import", "subscriptions", PLAYBOOK);
    for (const kind of ["retention", "cohorts", "unit-economics", "bundles", "whatif"]) {
      const table = await tenure("--db", s.db, "report", kind);
      expect(table.code, kind).toBe(0);
      expect(table.stdout.split("\n").length, kind).toBeGreaterThan(3);
      const json = await tenure("--db", s.db, "report", kind, "--json");
      expect(json.code, kind).toBe(0);
      expect(JSON.parse(json.stdout).currency, kind).toBe("USD");
    }
    const whatif = JSON.parse(
      (await tenure("--db", s.db, "report", "whatif", "--json", "--months", "6")).stdout,
    );
    expect(whatif.scenarios.map((x: { rate: number }) => x.rate)).toEqual([0, 0.03, -0.03, -0.05]);
    expect(whatif.scenarios[0].points).toHaveLength(6);
  });
});

describe("tenure errors", () => {
  it("should exit 1 and name file, row and column when a row is bad", async () => {
    s = scratch();
    const subs = s.file(
      "bad.csv",
      "account_id,subscription_id,plan,start_date,end_date,amount\na,1,basic,2024-01-01,,100\nb,2,basic,2024-13-01,,100\n",
    );
    const r = await tenure("--db", s.db, "import", "subscriptions", subs);
    expect(r.code).toBe(1);
    expect(r.stdout).toContain("nothing written");
    expect(r.stderr).toMatch(/bad\.csv:3 column start_date/);
    const report = await tenure("--db", s.db, "report", "mrr", "--json");
    const months = JSON.parse(report.stdout).months as { mrr: number }[];
    expect(months.every((m) => m.mrr === 0)).toBe(true);
  });

  it("should reject an unknown report and a bad month with a clear message", async () => {
    s = scratch();
    const unknown = await tenure("--db", s.db, "report", "nope");
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain("nope");
    const badMonth = await tenure("--db", s.db, "report", "mrr", "--from", "2024-13");
    expect(badMonth.code).toBe(2);
    expect(badMonth.stderr).toContain("from must be a month as YYYY-MM");
  });
});
