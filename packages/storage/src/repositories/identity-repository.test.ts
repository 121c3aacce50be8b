import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStorage, type Storage } from "../storage";
import { openTestStorage, type TestStorage, testDialects } from "../testing";

const T0 = new Date("2026-12-10T09:00:00.000Z");
const at = (ms: number) => new Date(T0.getTime() + ms);
const MINUTE = 60_000;
const DAY = 24 * 60 * MINUTE;

describe.each(testDialects())("identity repositories on %s", (dialect) => {
  let t: TestStorage;
  let other: Storage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    other = await openStorage(t.config);
    await t.storage.workspaces.ensure("ws-a", "Alpha");
    await t.storage.workspaces.ensure("ws-b", "Beta");
  });
  afterAll(async () => {
    await other.close();
    await t.cleanup();
  });

  it("should store users by lower-cased email and count them", async () => {
    expect(await t.storage.users.count()).toBe(0);
    const user = await t.storage.users.insertWithoutPassword({ email: " Ada@Example.COM ", name: "Ada" });
    expect(user).toMatchObject({ email: "ada@example.com", name: "Ada", banned: false, lastSignInAt: null });
    expect(await t.storage.users.findByEmail("ADA@example.com")).toEqual(user);
    expect(await t.storage.users.count()).toBe(1);
    await t.storage.users.recordSignIn(user.id, T0);
    expect(await t.storage.users.setBanned(user.id, true)).toBe(true);
    expect(await t.storage.users.get(user.id)).toMatchObject({
      banned: true,
      lastSignInAt: T0.toISOString(),
    });
    expect(await t.storage.users.setBanned("nobody", true)).toBe(false);
  });

  it("should keep a user's role and member link per workspace, the first membership first", async () => {
    const bo = await t.storage.users.insertWithoutPassword({ email: "bo@example.com", name: "Bo" });
    await t.storage.memberships.put("ws-a", bo.id, { role: "viewer" });
    await t.storage.memberships.put("ws-b", bo.id, { role: "csm", memberId: "csm-bo" });
    const workspaces = await t.storage.memberships.listForUser(bo.id);
    expect(workspaces.map((w) => [w.workspaceId, w.workspaceName, w.role, w.memberId])).toEqual([
      ["ws-a", "Alpha", "viewer", null],
      ["ws-b", "Beta", "csm", "csm-bo"],
    ]);
    // Changing the role keeps the member link when none is given.
    await t.storage.memberships.put("ws-b", bo.id, { role: "manager" });
    expect(await t.storage.memberships.get("ws-b", bo.id)).toMatchObject({
      role: "manager",
      memberId: "csm-bo",
    });
    expect(await t.storage.memberships.setRole("ws-a", bo.id, "admin")).toBe(true);
    expect(await t.storage.memberships.setRole("ws-a", "nobody", "admin")).toBe(false);
    expect((await t.storage.memberships.findByMember("ws-b", "csm-bo"))?.userId).toBe(bo.id);
    const users = await t.storage.memberships.listUsers("ws-b");
    expect(users.map((u) => [u.email, u.role, u.memberId])).toEqual([
      ["bo@example.com", "manager", "csm-bo"],
    ]);
    expect(await t.storage.memberships.listUsers("ws-none")).toEqual([]);
    expect(await t.storage.memberships.remove("ws-a", bo.id)).toBe(true);
    expect((await t.storage.memberships.listForUser(bo.id)).map((w) => w.workspaceId)).toEqual(["ws-b"]);
  });

  it("should open an invitation by its token once, never after expiry, and store only a hash", async () => {
    const { link, token } = await t.storage.authLinks.create(
      { kind: "invite", workspaceId: "ws-a", email: "Cy@Example.com", role: "csm", ttlMs: 7 * DAY },
      T0,
    );
    expect(token).toMatch(/^tl_[A-Za-z0-9_-]{43}$/);
    const stored = await t.storage.kysely
      .selectFrom("auth_links")
      .select("token_hash")
      .executeTakeFirstOrThrow();
    expect(stored.token_hash).not.toContain(token);
    expect(await t.storage.authLinks.find(token, "invite", at(DAY))).toMatchObject({
      id: link.id,
      email: "cy@example.com",
    });
    expect(await t.storage.authLinks.find(token, "reset", at(DAY))).toBeNull();
    expect(await t.storage.authLinks.find(token, "invite", at(7 * DAY + 1))).toBeNull();
    expect((await t.storage.authLinks.listPendingInvites("ws-a", at(DAY))).map((l) => l.id)).toEqual([
      link.id,
    ]);
    // Two processes accepting at once: exactly one wins.
    const wins = await Promise.all([
      t.storage.authLinks.consume(link.id, at(DAY)),
      other.authLinks.consume(link.id, at(DAY)),
    ]);
    expect(wins.filter(Boolean)).toHaveLength(1);
    expect(await t.storage.authLinks.find(token, "invite", at(DAY))).toBeNull();
    expect(await t.storage.authLinks.listPendingInvites("ws-a", at(DAY))).toEqual([]);
  });

  it("should refuse a revoked link and only revoke within its workspace", async () => {
    const { link, token } = await t.storage.authLinks.create(
      { kind: "invite", workspaceId: "ws-a", email: "dee@example.com", role: "viewer", ttlMs: DAY },
      T0,
    );
    expect(await t.storage.authLinks.revoke("ws-b", link.id, at(1))).toBe(false);
    expect(await t.storage.authLinks.revoke("ws-a", link.id, at(1))).toBe(true);
    expect(await t.storage.authLinks.find(token, "invite", at(2))).toBeNull();
    expect(await t.storage.authLinks.consume(link.id, at(2))).toBe(false);
  });

  it("should share sign-in failures between processes within the window and clear them", async () => {
    for (let i = 0; i < 3; i++)
      await t.storage.signInAttempts.record("email:eve@example.com", at(i * MINUTE));
    await other.signInAttempts.record("email:eve@example.com", at(20 * MINUTE));
    expect(await other.signInAttempts.window("email:eve@example.com", at(MINUTE))).toEqual({
      count: 3,
      oldest: at(MINUTE).toISOString(),
      newest: at(20 * MINUTE).toISOString(),
    });
    expect(await t.storage.signInAttempts.prune(at(2 * MINUTE))).toBe(2);
    await t.storage.signInAttempts.clear("email:eve@example.com");
    expect(await t.storage.signInAttempts.window("email:eve@example.com", T0)).toEqual({
      count: 0,
      oldest: null,
      newest: null,
    });
  });

  it("should keep the first instance setting written", async () => {
    expect(await t.storage.instanceSettings.ensure("auth_secret", "first")).toBe("first");
    expect(await other.instanceSettings.ensure("auth_secret", "second")).toBe("first");
  });
});
