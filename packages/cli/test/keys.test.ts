import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { scratch, tenure } from "./helpers";

// Issue 14 §7: `keys revoke <unknown id>` said it revoked.
describe("tenure keys revoke", () => {
  let s: ReturnType<typeof scratch>;
  beforeEach(() => {
    s = scratch();
  });
  afterEach(() => s.cleanup());

  it("should fail with a clear error and a non-zero exit when the id is unknown", async () => {
    await tenure("--db", s.db, "keys", "create", "--kind", "read", "--json");
    const r = await tenure("--db", s.db, "keys", "revoke", "no-such-id");
    expect(r.code).not.toBe(0);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(/No API key with id "no-such-id" in workspace "default"; nothing was revoked/);
  });

  it("should revoke a known key once, and fail the second time naming it already revoked", async () => {
    const created = JSON.parse(
      (await tenure("--db", s.db, "keys", "create", "--kind", "read", "--json")).stdout,
    );
    const first = await tenure("--db", s.db, "keys", "revoke", created.id);
    expect(first).toMatchObject({ code: 0, stdout: `Revoked ${created.id}\n` });
    const list = JSON.parse((await tenure("--db", s.db, "keys", "list", "--json")).stdout);
    expect(list.keys.find((k: { id: string }) => k.id === created.id).revokedAt).not.toBeNull();
    const again = await tenure("--db", s.db, "keys", "revoke", created.id);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toMatch(new RegExp(`API key ${created.id} was already revoked`));
  });
});

describe("tenure keys scopes, rotation and the audit log", () => {
  let s: ReturnType<typeof scratch>;
  beforeEach(() => {
    s = scratch();
  });
  afterEach(() => s.cleanup());

  const json = async (...args: string[]) => {
    const r = await tenure("--db", s.db, ...args);
    expect(r.stderr).toBe("");
    return JSON.parse(r.stdout);
  };

  it("should exit 1 with a message when revoking an unknown id", async () => {
    const r = await tenure("--db", s.db, "keys", "revoke", "no-such-id");
    expect(r.code).toBe(1);
    expect(r.stderr).toContain('No API key with id "no-such-id"');
  });

  it("should create a scoped key in the given workspace and refuse an unknown team when created", async () => {
    // A workspace must exist before it gets keys (a typo is not a workspace).
    const acme = (await json("workspaces", "create", "Acme", "--json")) as { id: string };
    const created = await json(
      "keys",
      "create",
      "--workspace",
      acme.id,
      "--scope",
      "tracking",
      "--name",
      "site",
      "--json",
    );
    expect(created).toMatchObject({ scope: "tracking", kind: "write", name: "site", teamId: null });
    const list = await json("--workspace", acme.id, "keys", "list", "--json");
    expect(list.keys).toEqual([
      expect.objectContaining({ id: created.id, scope: "tracking", lastUsedAt: null }),
    ]);
    expect(JSON.stringify(list)).not.toContain(created.key);
    const bad = await tenure("--db", s.db, "keys", "create", "--scope", "read", "--team", "nope", "--json");
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('team: no team "nope"');
    const badScope = await tenure("--db", s.db, "keys", "create", "--scope", "write-all");
    expect(badScope.code).not.toBe(0);
  });

  it("should print a new key and keep the old one until the overlap ends when rotated", async () => {
    const created = await json("keys", "create", "--scope", "admin", "--name", "ci", "--json");
    const rotated = await json("keys", "rotate", created.id, "--overlap", "2h", "--json");
    expect(rotated.key).toMatch(/^tk_/);
    expect(rotated.key).not.toBe(created.key);
    const hours = (Date.parse(rotated.previous.expiresAt) - Date.now()) / 3_600_000;
    expect(hours).toBeGreaterThan(1.9);
    expect(hours).toBeLessThanOrEqual(2);
    const list = await json("keys", "list", "--json");
    expect(list.keys.map((k: { name: string }) => k.name)).toEqual(["ci", "ci"]);
    const unknown = await tenure("--db", s.db, "keys", "rotate", "nope");
    expect(unknown.code).toBe(1);
    const badOverlap = await tenure("--db", s.db, "keys", "rotate", rotated.id, "--overlap", "soon");
    expect(badOverlap.code).toBe(2);
    expect(badOverlap.stderr).toContain("--overlap must be a duration");
  });

  it("should record key changes as the cli in the audit log and export them when asked", async () => {
    const created = await json("keys", "create", "--scope", "read", "--name", "=cmd|' /C calc'!A0", "--json");
    await tenure("--db", s.db, "keys", "revoke", created.id);
    const page = await json("audit", "list", "--json");
    expect(page.entries.map((e: { action: string }) => e.action)).toEqual([
      "api_key.revoke",
      "api_key.create",
    ]);
    expect(page.entries[0]).toMatchObject({
      actor: { type: "system", id: "cli", label: "cli" },
      entityType: "api_key",
      entityId: created.id,
      before: expect.objectContaining({ revokedAt: null }),
      after: expect.objectContaining({ revokedAt: expect.any(String) }),
    });
    expect(JSON.stringify(page)).not.toContain(created.key);
    const filtered = await json("audit", "list", "--action", "api_key.create", "--json");
    expect(filtered.entries).toHaveLength(1);
    const csv = await tenure("--db", s.db, "audit", "export", "--format", "csv");
    expect(csv.stdout.split("\r\n")[0]).toMatch(/^at,actor_type,actor_id,actor,action,entity_type/);
    // The key's name starts with "=": no spreadsheet runs it as a formula.
    expect(csv.stdout).not.toMatch(/(^|,)=cmd/m);
    const jsonl = await tenure("--db", s.db, "audit", "export", "--format", "jsonl");
    expect(jsonl.stdout.trim().split("\n")).toHaveLength(2);
  });

  it("should record a failed command's change nowhere when the command fails", async () => {
    await tenure("--db", s.db, "keys", "revoke", "no-such-id");
    expect((await json("audit", "list", "--json")).entries).toEqual([]);
  });
});
