import { openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { PendingUsage } from "./ingest";
import { parseTrackingMessage, type TrackingMessage } from "./tracking-message";

const message = (raw: Record<string, unknown>): TrackingMessage => {
  const r = parseTrackingMessage({ timestamp: "2026-11-02T00:00:00Z", ...raw }, "test", {
    receivedAt: "2026-11-02T00:00:00Z",
  });
  if (!r.ok) throw new Error(r.issue.message);
  return r.message;
};

describe.each(testDialects())("PendingUsage on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
  });
  afterAll(() => t.cleanup());

  /** Flushes the users and calls in one transaction, in `parts` flushes (as a bulk import's steps do). */
  const flushIn = async (ws: string, parts: Array<{ users: string[]; calls: TrackingMessage[] }>) => {
    await t.storage.workspaces.ensure(ws, ws);
    const created: string[] = [];
    await t.storage.transaction(async (tx) => {
      const before = new Set<string>();
      for (const part of parts) {
        const pending = new PendingUsage(undefined, false);
        for (const u of part.users) pending.addUser(u, u, `anon-${u}`);
        for (const m of part.calls) pending.addMessage(m);
        for (const id of await pending.flush(tx, ws, before)) {
          before.add(id);
          created.push(id);
        }
      }
    });
    return {
      created,
      users: await t.storage.usageUsers.list(ws),
      accounts: (await t.storage.accounts.list(ws)).map((a) => [a.id, a.name]),
    };
  };

  it("should store the same users and accounts in several flushes of one transaction as in one", async () => {
    const calls = [
      message({ type: "group", messageId: "1", userId: "ann", groupId: "acme" }),
      message({
        type: "identify",
        messageId: "2",
        userId: "bob",
        traits: { email: "bob@x.io", team: "Ops" },
      }),
      message({ type: "group", messageId: "3", userId: "bob", groupId: "beta", traits: { name: "Beta" } }),
      // Named only by a later call: the account created earlier still takes the name.
      message({
        type: "group",
        messageId: "4",
        userId: "cyd",
        groupId: "acme",
        traits: { name: "Acme Inc" },
      }),
      message({ type: "identify", messageId: "5", userId: "ann", traits: { role: "Admin" } }),
    ];
    const one = await flushIn("ws-one", [{ users: ["ann", "bob", "cyd", "dee"], calls }]);
    const split = await flushIn("ws-split", [
      { users: ["ann", "bob"], calls: calls.slice(0, 2) },
      { users: ["cyd"], calls: calls.slice(2, 4) },
      { users: ["dee"], calls: calls.slice(4) },
    ]);
    expect(one.accounts).toEqual([
      ["acme", "Acme Inc"],
      ["beta", "Beta"],
    ]);
    expect(split.accounts).toEqual(one.accounts);
    expect(split.created).toEqual(one.created);
    expect(split.users).toEqual(one.users);
    expect(one.users.find((u) => u.userKey === "ann")).toMatchObject({
      accountId: "acme",
      role: "Admin",
      anonymousId: "anon-ann",
    });
    expect(one.users.find((u) => u.userKey === "bob")).toMatchObject({
      email: "bob@x.io",
      department: "Ops",
    });
    expect(one.users.find((u) => u.userKey === "dee")).toMatchObject({
      accountId: null,
      anonymousId: "anon-dee",
    });
  });
});
