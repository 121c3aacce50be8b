import { STARTER_PLAYBOOKS } from "@tenure/core";
import { openStorage, type PlaybookRunRecord } from "@tenure/storage";
import { afterEach, describe, expect, it } from "vitest";
import { scratch, tenure } from "./helpers";

const WS = "ws-effects-cli";
const AT = "2026-03-02T09:00:00.000Z";

let s: ReturnType<typeof scratch> | undefined;
afterEach(() => s?.cleanup());

/** A low-adoption rescue with 12 treated runs (+3 active users) and 12 measured hold-outs. */
async function seed(db: string) {
  const storage = await openStorage({ sqliteFile: db });
  try {
    const def = STARTER_PLAYBOOKS.find((p) => p.key === "low-adoption-rescue")?.definition;
    if (!def) throw new Error("no low-adoption-rescue starter");
    await storage.playbooks.create(WS, {
      key: "low-adoption-rescue",
      origin: "starter",
      definition: def,
      createdBy: null,
      at: AT,
    });
    for (let i = 0; i < 24; i++) {
      const holdout = i % 2 === 1;
      const pre = 10 + (i % 5);
      const wobble = ((i * 37) % 7) / 7 - 0.4;
      const run: PlaybookRunRecord = {
        id: `r${i}`,
        playbookKey: "low-adoption-rescue",
        version: 1,
        accountId: `a${i}`,
        status: holdout ? "active" : "completed",
        holdout,
        source: "automation",
        triggerAutomationId: "auto",
        triggerSignalId: null,
        idempotencyKey: null,
        startedAt: AT,
        startDate: "2026-03-02",
        windowEnd: "2026-04-01",
        metric: { kind: "active_users" },
        startValue: pre,
        endValue: pre + (holdout ? 0 : 3) + wobble,
        measuredAt: "2026-04-01T00:00:00.000Z",
        baseline: { segment: null, tier: null, band: "none", arr: 0 },
        steps: [],
        snoozedUntil: null,
        startedBy: null,
        completedAt: null,
        updatedAt: AT,
      };
      await storage.playbooks.insertRun(WS, run);
    }
  } finally {
    await storage.close();
  }
}

describe("tenure effect report", () => {
  it("should print exactly the documented keys per playbook version with its hold-out control", async () => {
    s = scratch();
    await seed(s.db);
    const { code, stdout, stderr } = await tenure(
      "--db",
      s.db,
      "--workspace",
      WS,
      "effect",
      "report",
      "--json",
    );
    expect(stderr).toBe("");
    expect(code).toBe(0);
    const r = JSON.parse(stdout) as { playbooks: Record<string, unknown>[] };
    expect(r.playbooks).toHaveLength(1);
    const p = r.playbooks[0] ?? {};
    expect(Object.keys(p)).toEqual([
      "key",
      "version",
      "runs",
      "effect",
      "ciLow",
      "ciHigh",
      "nTreated",
      "nControl",
      "control",
    ]);
    expect(p).toMatchObject({
      key: "low-adoption-rescue",
      version: 1,
      runs: 12,
      nTreated: 12,
      nControl: 12,
      control: "holdout",
    });
    expect(p.effect as number).toBeCloseTo(3, 0);
    expect(p.ciLow as number).toBeGreaterThan(0);
  });

  it("should print the effects and success tables when --json is not given", async () => {
    s = scratch();
    await seed(s.db);
    const { code, stdout } = await tenure("--db", s.db, "--workspace", WS, "effect", "report");
    expect(code).toBe(0);
    expect(stdout).toContain("Playbook effects");
    expect(stdout).toMatch(/low-adoption-rescue\s+1\s+12/);
    expect(stdout).toContain("excludes 0");
    expect(stdout).toContain("100%");
  });
});
