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
