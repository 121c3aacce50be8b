import { afterEach, describe, expect, it } from "vitest";
import { scratch, tenure } from "./helpers";

let s: ReturnType<typeof scratch>;
afterEach(() => s?.cleanup());

describe("tenure health recompute", () => {
  it("should score imported accounts and print the JSON summary when --json is given", async () => {
    s = scratch();
    const accounts = s.file("accounts.csv", "account_id,name\nacme,Acme\nbeta,Beta\n");
    expect((await tenure("--db", s.db, "import", "accounts", accounts)).code).toBe(0);
    const subs = s.file(
      "subscriptions.csv",
      "subscription_id,account_id,plan,start_date,amount,currency,interval,quantity,discount_pct\ns1,acme,pro,2026-01-01,100,USD,month,5,20\n",
    );
    const imp = await tenure("--db", s.db, "import", "subscriptions", subs);
    expect(imp.stderr).toBe("");
    const r = await tenure("--db", s.db, "health", "recompute", "--as-of", "2026-06-30", "--json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as Record<string, number>;
    expect(Object.keys(out).sort()).toEqual(["accounts", "ms", "scored", "signalsOpened", "signalsResolved"]);
    expect(out).toMatchObject({ accounts: 2, scored: 1 });
    const text = await tenure("--db", s.db, "health", "recompute", "--as-of", "2026-06-30");
    expect(text.stdout).toContain("1 of 2 accounts scored");
  });

  it("should fail with a message when --as-of is not a date", async () => {
    s = scratch();
    const r = await tenure("--db", s.db, "health", "recompute", "--as-of", "June");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("--as-of");
  });
});
