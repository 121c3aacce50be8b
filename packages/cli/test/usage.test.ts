import { afterEach, describe, expect, it } from "vitest";
import { jsonLine, reportUsage, scratch, tenure } from "./helpers";

let s: ReturnType<typeof scratch>;
afterEach(() => s?.cleanup());

// Sent twice (a client retry): counted once.
const u2Login = jsonLine({
  type: "track",
  userId: "u2",
  event: "Login",
  messageId: "m2",
  timestamp: "2026-05-01T09:00:00Z",
});
const lines = [
  jsonLine({
    type: "track",
    userId: "u1",
    event: "Login",
    messageId: "m1",
    timestamp: "2026-05-01T08:00:00Z",
  }),
  jsonLine({ type: "group", userId: "u1", groupId: "acme", traits: { name: "Acme" }, messageId: "g1" }),
  jsonLine({ type: "group", userId: "u2", groupId: "acme", messageId: "g2" }),
  jsonLine({ type: "identify", userId: "u2", traits: { email: "u2@acme.io" }, messageId: "i1" }),
  u2Login,
  jsonLine({ type: "page", userId: "u2", name: "Home", messageId: "m3", timestamp: "2026-05-03T09:00:00Z" }),
  u2Login,
];

describe("tenure import events + report usage", () => {
  it("should import JSON lines with dedup and late mapping and report zero-filled days", async () => {
    s = scratch();
    const file = s.file("events.jsonl", `${lines.join("\n")}\n`);
    const imp = await tenure("--db", s.db, "import", "events", file, "--json");
    expect(imp.code).toBe(0);
    expect(JSON.parse(imp.stdout)).toMatchObject({
      rowsRead: 7,
      accepted: 6,
      duplicates: 1,
      written: true,
      errors: [],
    });
    const again = await tenure("--db", s.db, "import", "events", file, "--json");
    expect(JSON.parse(again.stdout)).toMatchObject({ accepted: 0, duplicates: 7 });

    const r = await reportUsage(s.db, "acme", "2026-05-01", "2026-05-03", "--json");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual({
      days: [
        { date: "2026-05-01", events: { Login: 2 }, activeUsers: 2 },
        { date: "2026-05-02", events: {}, activeUsers: 0 },
        { date: "2026-05-03", events: { page: 1 }, activeUsers: 1 },
      ],
    });
    const table = await reportUsage(s.db, "acme", "2026-05-01", "2026-05-03");
    expect(table.stdout).toContain("Usage of acme");
  });

  it("should write nothing and report the line and field when one line is bad", async () => {
    s = scratch();
    const bad = [
      ...lines.slice(0, 3),
      jsonLine({ type: "track", event: "NoUser" }),
      "{oops",
      ...lines.slice(3),
    ];
    const file = s.file("bad.jsonl", bad.join("\n"));
    const imp = await tenure("--db", s.db, "import", "events", file);
    expect(imp.code).toBe(1);
    expect(imp.stdout).toContain("nothing written");
    expect(imp.stderr).toContain("bad.jsonl:4 userId: userId or anonymousId is required");
    expect(imp.stderr).toContain("bad.jsonl:5: invalid JSON");
    const r = await reportUsage(s.db, "acme", "2026-05-01", "2026-05-01", "--json");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('No account with id "acme"');
  });

  it("should print exactly a JSON object with the key when keys create --json --kind write", async () => {
    s = scratch();
    const r = await tenure("--db", s.db, "keys", "create", "--kind", "write", "--json");
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout) as { key: string; kind: string };
    expect(out.key).toMatch(/^tk_/);
    expect(out.kind).toBe("write");
  });

  it("should refuse report usage when --account or the dates are missing or invalid", async () => {
    s = scratch();
    const none = await tenure("--db", s.db, "report", "usage", "--json");
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("--account");
    const bad = await reportUsage(s.db, "a", "2026-05", "2026-05-02");
    expect(bad.stderr).toContain("from must be a date as YYYY-MM-DD");
  });
});
