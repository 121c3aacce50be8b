import { seedDemo } from "@tenure/services";
import { openStorage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { scratch, tenure } from "./helpers";

const s = scratch();
const AS_OF = "2026-11-15";

beforeAll(async () => {
  const storage = await openStorage({ sqliteFile: s.db });
  await seedDemo(storage, { workspaceId: "default", accounts: 80, seed: 3, asOf: AS_OF });
  await storage.close();
}, 120_000);
afterAll(() => s.cleanup());

interface Calendar {
  until: string;
  rows: { accountId: string; renewalDate: string; arr: number; outcome: string | null }[];
  byMonth: { key: string; arr: number }[];
  totals: { arr: number };
}

describe("tenure renewals, referrals and surveys", () => {
  it("should print the renewal calendar as JSON and record an outcome, naming a bad reason", async () => {
    const list = await tenure("--db", s.db, "renewals", "list", "--as-of", AS_OF, "--months", "4", "--json");
    expect(list.code).toBe(0);
    const cal = JSON.parse(list.stdout) as Calendar;
    expect(cal.until).toBe("2027-02-28");
    expect(cal.byMonth.reduce((x, m) => x + m.arr, 0)).toBeCloseTo(cal.totals.arr, 6);
    const row = cal.rows[0];
    if (row === undefined) throw new Error("no renewal");
    const bad = await tenure(
      "--db",
      s.db,
      "renewals",
      "outcome",
      row.accountId,
      row.renewalDate,
      "churned",
      "--reason",
      "rain",
    );
    expect(bad.code).not.toBe(0);
    expect(bad.stderr).toContain('reasonKey: "rain" is not a reason');
    const ok = await tenure(
      "--db",
      s.db,
      "renewals",
      "outcome",
      row.accountId,
      row.renewalDate,
      "downgraded",
      "--arr-after",
      String(Math.round(row.arr / 2)),
      "--reason",
      "budget",
      "--json",
    );
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.stdout)).toMatchObject({ outcome: "downgraded", reasonKey: "budget" });
  });

  it("should print churn reasons with the manageable share and the save campaign's ROI", async () => {
    const r = await tenure("--db", s.db, "renewals", "reasons", "--json");
    const a = JSON.parse(r.stdout) as { churned: number; manageableShare: number | null };
    expect(a.churned).toBeGreaterThan(0);
    expect(a.manageableShare).not.toBeNull();
    const c = await tenure("--db", s.db, "renewals", "campaigns", "--json");
    const campaigns = JSON.parse(c.stdout) as { campaigns: { roi: number }[] };
    expect(campaigns.campaigns[0]?.roi).toBeCloseTo(2.23, 2);
  });

  it("should add and list referrals, and import survey answers from CSV", async () => {
    const storage = await openStorage({ sqliteFile: s.db });
    const [a] = await storage.accounts.ids("default");
    await storage.close();
    const add = await tenure(
      "--db",
      s.db,
      "referrals",
      "add",
      String(a),
      "--name",
      "Kestrel Labs",
      "--arr",
      "15000",
      "--json",
    );
    expect(add.code).toBe(0);
    const list = JSON.parse((await tenure("--db", s.db, "referrals", "list", "--json")).stdout) as {
      referrals: { referredName: string; referredArr: number }[];
    };
    expect(list.referrals.some((r) => r.referredName === "Kestrel Labs" && r.referredArr === 15000)).toBe(
      true,
    );
    const file = s.file(
      "nps.csv",
      `account_id,score,kind,date\n${a},9,nps,2027-03-01\n${a},5,csat,2027-03-01\n`,
    );
    const imp = await tenure("--db", s.db, "surveys", "import", file, "--json");
    expect(JSON.parse(imp.stdout)).toEqual({ recorded: 2 });
    const sum = JSON.parse(
      (
        await tenure(
          "--db",
          s.db,
          "surveys",
          "summary",
          "--from",
          "2027-03-01",
          "--to",
          "2027-03-31",
          "--json",
        )
      ).stdout,
    ) as { nps: { score: number }; csat: { satisfiedShare: number } };
    expect(sum.nps.score).toBe(100);
    expect(sum.csat.satisfiedShare).toBe(1);
  });
});
