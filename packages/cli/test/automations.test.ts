import { saveAutomation } from "@tenure/services";
import { minimalAccount, openStorage } from "@tenure/storage";
import { afterEach, describe, expect, it } from "vitest";
import { scratch, tenure } from "./helpers";

let s: ReturnType<typeof scratch> | undefined;
afterEach(() => s?.cleanup());
const WS = "default";

describe("tenure automations", () => {
  it("should list automations as JSON and dry-run one without writing", async () => {
    s = scratch();
    const storage = await openStorage({ sqliteFile: s.db });
    let id: string;
    try {
      await storage.workspaces.ensure(WS, "Default");
      await storage.accounts.upsertMany(WS, [
        { ...minimalAccount("acme"), name: "Acme", lifecycleStage: "adoption" },
      ]);
      id = (
        await saveAutomation(
          storage,
          WS,
          {
            name: "Weekly check-in tag",
            enabled: true,
            trigger: { type: "schedule", cron: "0 8 * * *" },
            conditions: null,
            actions: [{ type: "add_tag", tag: "checked-in" }],
            options: { includeChurned: false, reentryDays: 7, holdoutPct: 20 },
          },
          { at: new Date().toISOString() },
        )
      ).id;
    } finally {
      await storage.close();
    }
    const list = await tenure("--db", s.db, "--workspace", WS, "automations", "list", "--json");
    expect(list.stderr).toBe("");
    expect(list.code).toBe(0);
    const { automations } = JSON.parse(list.stdout);
    expect(automations).toHaveLength(1);
    expect(automations[0]).toMatchObject({
      id,
      name: "Weekly check-in tag",
      enabled: true,
      version: 1,
      trigger: { type: "schedule", cron: "0 8 * * *" },
      options: { holdoutPct: 20 },
      counts: {},
    });

    const dry = await tenure(
      "--db",
      s.db,
      "--workspace",
      WS,
      "automations",
      "dry-run",
      id,
      "--days",
      "2",
      "--json",
    );
    expect(dry.code).toBe(0);
    const r = JSON.parse(dry.stdout);
    // A daily 08:00 slot is in any 2-day window; the one account is fired or held out by its hash.
    expect(r.matched).toBe(1);
    expect(r.rows[0]).toMatchObject({ accountId: "acme", accountName: "Acme" });
    expect(["fired", "held_out"]).toContain(r.rows[0].outcome);

    const bad = await tenure("--db", s.db, "--workspace", WS, "automations", "dry-run", id, "--days", "zero");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('--days must be a whole number of days from 1 to 365, got "zero"');
    const missing = await tenure("--db", s.db, "--workspace", WS, "automations", "dry-run", "auto_nope");
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toContain('No automation with id "auto_nope"');
  });
});
