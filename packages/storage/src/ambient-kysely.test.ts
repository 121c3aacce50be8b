import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AuditOrigin } from "./repositories/audit-repository";
import { openTestStorage, type TestStorage, testDialects } from "./testing";

const origin: AuditOrigin = {
  workspaceId: "a",
  actor: { type: "user", id: "admin-1", label: "ann@example.com" },
  ip: "10.0.0.1",
  requestId: "req-k",
};

/** A user row as better-auth writes it, through `storage.kysely`. */
const userRow = (t: TestStorage, id: string) => ({
  id,
  name: id,
  email: `${id}@example.com`,
  email_verified: t.storage.dialect === "sqlite" ? 1 : true,
  image: null,
  banned: t.storage.dialect === "sqlite" ? 0 : false,
  last_sign_in_at: null,
  created_at: new Date().toISOString(),
  updated_at: new Date().toISOString(),
});

describe.each(testDialects())("storage.kysely joins the audited transaction on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    await t.storage.workspaces.ensure("a", "A");
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("should commit what is written through it together with the audit row", async () => {
    await t.storage.audited(origin, async (tx, record) => {
      await t.storage.kysely.insertInto("auth_users").values(userRow(t, "kim")).execute();
      // Seen by the transaction's own repositories before commit: it is the same transaction (on the
      // pool, PostgreSQL would not show it yet, and SQLite would wait for this transaction forever).
      expect((await tx.users.get("kim"))?.email).toBe("kim@example.com");
      await record({ action: "user.create", entityType: "user", entityId: "kim" });
    });
    expect((await t.storage.users.get("kim"))?.email).toBe("kim@example.com");
    expect((await t.storage.audit.list("a", { entityId: "kim" })).entries).toHaveLength(1);
  });

  it("should roll back what is written through it when the audit write fails", async () => {
    await expect(
      t.storage.audited(origin, async (_tx, record) => {
        await t.storage.kysely.insertInto("auth_users").values(userRow(t, "lou")).execute();
        // The audit write fails (its `after` cannot be encoded): the user row must not stay.
        await record({ action: "user.create", entityType: "user", entityId: "lou", after: { n: 1n } });
      }),
    ).rejects.toThrow(/BigInt/);
    expect(await t.storage.users.get("lou")).toBeNull();
    expect((await t.storage.audit.list("a", { entityId: "lou" })).entries).toEqual([]);
  });

  it("should run on the pool outside an audited change, and refuse a transaction of its own", async () => {
    await t.storage.kysely.insertInto("auth_users").values(userRow(t, "max")).execute();
    expect((await t.storage.users.get("max"))?.name).toBe("max");
    await expect(
      t.storage.kysely
        .transaction()
        .execute(async (trx) => trx.selectFrom("auth_users").selectAll().execute()),
    ).rejects.toThrow("Storage.transaction");
  });
});
