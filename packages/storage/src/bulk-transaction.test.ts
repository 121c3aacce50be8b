import BetterSqlite3 from "better-sqlite3";
import { afterEach, describe, expect, it } from "vitest";
import { minimalAccount } from "./repositories/account-repository";
import { openStorage, type Storage, type StorageConfig } from "./storage";
import { testDatabase, testDialects } from "./testing";

const WS = "default";

describe.each(testDialects())("bulkTransaction on %s", (dialect) => {
  const opened: Array<{ storage: Storage; drop: () => Promise<void> }> = [];
  afterEach(async () => {
    for (const o of opened.splice(0)) {
      await o.storage.close();
      await o.drop();
    }
  });
  const open = async (): Promise<{ storage: Storage; config: StorageConfig }> => {
    const { config, drop } = await testDatabase(dialect);
    const storage = await openStorage(config);
    opened.push({ storage, drop });
    await storage.workspaces.ensure(WS, "Test");
    return { storage, config };
  };

  it("should commit what it wrote and leave nothing when it throws", async () => {
    const { storage } = await open();
    await storage.bulkTransaction(async (tx) => {
      await tx.accounts.upsertMany(WS, [minimalAccount("a1"), minimalAccount("a2")]);
    });
    await expect(
      storage.bulkTransaction(async (tx) => {
        await tx.accounts.upsertMany(WS, [minimalAccount("a3")]);
        throw new Error("bad line");
      }),
    ).rejects.toThrow("bad line");
    expect((await storage.accounts.list(WS)).map((a) => a.id)).toEqual(["a1", "a2"]);
    // And it can run again, with the database as usable as before.
    await storage.bulkTransaction((tx) => tx.accounts.upsertMany(WS, [minimalAccount("a4")]));
    expect((await storage.accounts.list(WS)).map((a) => a.id)).toEqual(["a1", "a2", "a4"]);
  });

  it.runIf(dialect === "sqlite")(
    "should write through a rollback journal when alone, and go back to the WAL afterwards",
    async () => {
      const { storage, config } = await open();
      const file = `${config.dataDir}/tenure.db`;
      const journal = () => {
        const peek = new BetterSqlite3(file, { readonly: true });
        try {
          return peek.pragma("journal_mode", { simple: true });
        } finally {
          peek.close();
        }
      };
      expect(journal()).toBe("wal");
      let during: unknown = null;
      await storage.bulkTransaction(async (tx) => {
        await tx.accounts.upsertMany(WS, [minimalAccount("a1")]);
        // A new connection reads the mode from the file header: no longer WAL while the write runs.
        during = journal();
      });
      expect(during).toBe("delete");
      expect(journal()).toBe("wal");
      expect((await storage.accounts.list(WS)).map((a) => a.id)).toEqual(["a1"]);
    },
  );

  it.runIf(dialect === "sqlite")(
    "should stay on the WAL when another connection has the file open, so that one can still read",
    async () => {
      const { storage, config } = await open();
      const other = await openStorage(config, { migrate: false });
      try {
        await storage.accounts.upsertMany(WS, [minimalAccount("a0")]);
        await other.accounts.list(WS);
        let seen: string[] = [];
        await storage.bulkTransaction(async (tx) => {
          await tx.accounts.upsertMany(WS, [minimalAccount("a1")]);
          // The other connection reads the last commit while the bulk write is open.
          seen = (await other.accounts.list(WS)).map((a) => a.id);
        });
        expect(seen).toEqual(["a0"]);
        expect((await other.accounts.list(WS)).map((a) => a.id)).toEqual(["a0", "a1"]);
      } finally {
        await other.close();
      }
    },
  );

  it.runIf(dialect === "sqlite")(
    "should say the file is locked when opened while a bulk write holds it",
    async () => {
      const { config, drop } = await testDatabase(dialect);
      const file = `${config.dataDir}/tenure.db`;
      await (await openStorage(config)).close();
      // What a bulk write that has started writing pages holds: the file itself, on a rollback journal.
      const holder = new BetterSqlite3(file);
      holder.pragma("journal_mode = TRUNCATE");
      holder.exec("BEGIN EXCLUSIVE");
      try {
        await expect(openStorage(config)).rejects.toThrow(/is locked by another process \(a bulk import\?\)/);
      } finally {
        holder.exec("ROLLBACK");
        holder.close();
      }
      // Once it is done, the file opens (back on the WAL).
      const storage = await openStorage(config);
      await storage.close();
      await drop();
    },
    15_000,
  );
});
