import { afterEach, describe, expect, it } from "vitest";
import { jsonLine, reportUsage, scratch, tenure } from "./helpers";

let s: ReturnType<typeof scratch>;
afterEach(() => s?.cleanup());

describe("tenure import entitlements + report usage", () => {
  it("should report the quota pace of an account with an allowance and leave other reports unchanged", async () => {
    s = scratch();
    const events = [
      jsonLine({ type: "group", userId: "u1", groupId: "acme", messageId: "g1" }),
      ...Array.from({ length: 6 }, (_, i) =>
        jsonLine({
          type: "track",
          userId: "u1",
          event: "Export",
          messageId: `m${i}`,
          timestamp: `2026-05-0${1 + (i % 3)}T08:00:00Z`,
        }),
      ),
    ];
    expect((await tenure("--db", s.db, "import", "events", s.file("e.jsonl", events.join("\n")))).code).toBe(
      0,
    );
    const quota = s.file(
      "quota.csv",
      "account_id,metric,allowance,period_start,period_end\nacme,Export,8,2026-05-01,2026-06-01\n",
    );
    const imp = await tenure("--db", s.db, "import", "entitlements", quota, "--json");
    expect(imp.code).toBe(0);
    expect(JSON.parse(imp.stdout)).toMatchObject({ kind: "entitlements", inserted: 1 });

    const r = await reportUsage(s.db, "acme", "2026-05-01", "2026-05-03", "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { days: unknown[]; quotas: Record<string, unknown>[] };
    expect(out.days).toHaveLength(3);
    // 6 of 8 in 3 days (2/day): 2 left → 1 day → 2026-05-04, 27 days before the term ends.
    expect(out.quotas).toEqual([
      expect.objectContaining({
        metric: "Export",
        consumed: 6,
        entitled: 8,
        usedRatio: 0.75,
        dailyRunRate: 2,
        exhaustionDate: "2026-05-04",
        daysShort: 27,
        status: "exhausts_early",
      }),
    ]);
    const table = await reportUsage(s.db, "acme", "2026-05-01", "2026-05-03");
    expect(table.stdout).toContain(
      "Quota Export: 6 of 8 (75%) in 2026-05-01..2026-06-01; runs out on 2026-05-04",
    );

    const bad = s.file(
      "bad.csv",
      "account_id,metric,quantity,period_start,period_end\nacme,Export,0,2026-05-01,2026-06-01\n",
    );
    const rejected = await tenure("--db", s.db, "import", "entitlements", bad);
    expect(rejected.code).toBe(1);
    expect(rejected.stderr + rejected.stdout).toContain("quantity must be > 0");
  });
});
