import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { scratch, tenure } from "./helpers";

// Issue 16 §5: changes made by commands are in the audit log, as the cli, in the change's transaction.
describe("tenure audit of command changes", () => {
  let s: ReturnType<typeof scratch>;
  beforeEach(() => {
    s = scratch();
  });
  afterEach(() => s.cleanup());

  const entries = async () =>
    (
      JSON.parse((await tenure("--db", s.db, "audit", "list", "--json")).stdout) as {
        entries: Record<string, unknown>[];
      }
    ).entries;

  it("should record one entry per import and per team change when they succeed", async () => {
    const file = s.file("rates.csv", "date,currency,rate\n2026-01-01,EUR,1.1\n2026-02-01,EUR,1.08\n");
    expect((await tenure("--db", s.db, "import", "exchange-rates", file)).code).toBe(0);
    const add = await tenure("--db", s.db, "team", "add", "--name", "Ann Lee", "--email", "ann@example.com");
    expect(add.code).toBe(0);
    const got = await entries();
    expect(got.map((e) => e.action)).toEqual(["member.update", "import.run"]);
    expect(got[1]).toMatchObject({
      actor: { type: "system", label: "cli" },
      entityType: "import",
      entityId: "exchange-rates",
      after: { kind: "exchange-rates", file: "rates.csv", allowPartial: false },
    });
    expect(got[0]).toMatchObject({
      entityId: "ann@example.com",
      after: expect.objectContaining({ name: "Ann Lee" }),
    });
  });

  it("should record a failed import with its exit code and a refused team change not at all", async () => {
    const bad = s.file("bad.csv", "date,currency,rate\n2026-13-01,EUR,abc\n");
    expect((await tenure("--db", s.db, "import", "exchange-rates", bad)).code).not.toBe(0);
    const refused = await tenure("--db", s.db, "team", "deactivate", "nobody@example.com");
    expect(refused.code).not.toBe(0);
    const got = await entries();
    expect(got).toHaveLength(1);
    expect(got[0]).toMatchObject({ action: "import.run", after: expect.objectContaining({ exitCode: 1 }) });
  });
});
