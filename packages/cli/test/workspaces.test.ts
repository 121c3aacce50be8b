import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { scratch, tenure } from "./helpers";

// Issue 16 §3: workspaces are created by name and named by id everywhere else.
describe("tenure workspaces", () => {
  let s: ReturnType<typeof scratch>;
  beforeEach(() => {
    s = scratch();
  });
  afterEach(() => s.cleanup());

  it("should print the new workspace's id and name as JSON when created, and list it", async () => {
    const created = await tenure("--db", s.db, "workspaces", "create", "  Acme EMEA ", "--json");
    expect(created.code).toBe(0);
    const ws = JSON.parse(created.stdout) as { id: string; name: string };
    expect(Object.keys(ws)).toEqual(["id", "name"]);
    expect(ws.name).toBe("Acme EMEA");
    expect(ws.id).toMatch(/^[0-9a-f-]{36}$/);
    const other = JSON.parse(
      (await tenure("--db", s.db, "workspaces", "create", "Acme EMEA", "--json")).stdout,
    );
    expect(other.id).not.toBe(ws.id);
    const list = JSON.parse((await tenure("--db", s.db, "workspaces", "list", "--json")).stdout) as {
      workspaces: { id: string; name: string }[];
    };
    expect(list.workspaces.map((w) => w.id).sort()).toEqual([ws.id, other.id].sort());
  });

  it("should refuse an empty or over-long name, naming the field, and create nothing", async () => {
    const empty = await tenure("--db", s.db, "workspaces", "create", "   ", "--json");
    expect(empty.code).not.toBe(0);
    expect(empty.stderr).toMatch(/name: must not be empty/);
    const long = await tenure("--db", s.db, "workspaces", "create", "x".repeat(101));
    expect(long.stderr).toMatch(/name: at most 100 characters/);
    const list = JSON.parse((await tenure("--db", s.db, "workspaces", "list", "--json")).stdout);
    expect(list.workspaces).toEqual([]);
  });

  it("should create keys in a created workspace with --workspace, and refuse an unknown one", async () => {
    const ws = JSON.parse((await tenure("--db", s.db, "workspaces", "create", "Beta", "--json")).stdout);
    const key = await tenure(
      "--db",
      s.db,
      "keys",
      "create",
      "--workspace",
      ws.id,
      "--kind",
      "read",
      "--json",
    );
    expect(key.code).toBe(0);
    const listed = JSON.parse(
      (await tenure("--db", s.db, "--workspace", ws.id, "keys", "list", "--json")).stdout,
    );
    expect(listed.keys).toHaveLength(1);
    const typo = await tenure("--db", s.db, "keys", "create", "--workspace", "no-such-ws", "--json");
    expect(typo.code).not.toBe(0);
    expect(typo.stderr).toMatch(/No workspace "no-such-ws" \(tenure workspaces list shows the ids\)/);
    // The default workspace still comes into being with its first key.
    expect((await tenure("--db", s.db, "keys", "create", "--json")).code).toBe(0);
  });
});
