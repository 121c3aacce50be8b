import { afterAll, describe, expect, it } from "vitest";
import { openStorage } from "./storage";
import { openTestStorage, type TestStorage, testDialects } from "./testing";

describe.each(testDialects())("migrations on %s", (dialect) => {
  let t: TestStorage | undefined;
  afterAll(async () => {
    await t?.cleanup();
  });

  it("should keep data and not fail when the same database is opened twice", async () => {
    t = await openTestStorage(dialect);
    await t.storage.accounts.ensureMinimal("ws", ["a"]);
    const again = await openStorage(t.config);
    expect(again.dialect).toBe(dialect);
    expect(await again.accounts.count("ws")).toBe(1);
    await again.close();
    // A second connection of the same process (the server's threads) skips the migrator.
    const second = await openStorage(t.config, { migrate: false });
    expect(await second.accounts.count("ws")).toBe(1);
    await second.close();
  });

  it("should migrate a new database next to another migrated one (PostgreSQL: another schema)", async () => {
    // A second store in the same PostgreSQL database: Kysely must not take the first schema's
    // migration tables for its own (it did when the migration schema was left unnamed).
    const other = await openTestStorage(dialect);
    try {
      await other.storage.accounts.ensureMinimal("ws", ["x", "y"]);
      expect(await other.storage.accounts.count("ws")).toBe(2);
    } finally {
      await other.cleanup();
    }
  });
});

describe("sqlite in memory", () => {
  it("should open an empty migrated database when sqliteFile is :memory:", async () => {
    const storage = await openStorage({ sqliteFile: ":memory:" });
    expect(storage.dialect).toBe("sqlite");
    expect(await storage.accounts.count("ws")).toBe(0);
    await storage.close();
  });
});
