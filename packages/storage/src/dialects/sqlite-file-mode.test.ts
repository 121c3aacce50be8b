import { chmodSync, existsSync, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { openStorage } from "../storage";

const mode = (file: string) => statSync(file).mode & 0o777;

// Issue 14 §7: the SQLite file was created world-readable (0644 under the usual umask).
describe.skipIf(process.platform === "win32")("SQLite file permissions", () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), "tenure-mode-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("should create the database, its -wal and -shm files and a new data folder as 0600/0700", async () => {
    const dataDir = path.join(dir, "data");
    const storage = await openStorage({ dataDir });
    try {
      await storage.workspaces.ensure("w1", "One");
      const db = path.join(dataDir, "tenure.db");
      expect(existsSync(`${db}-wal`)).toBe(true);
      expect(existsSync(`${db}-shm`)).toBe(true);
      expect([mode(db), mode(`${db}-wal`), mode(`${db}-shm`)]).toEqual([0o600, 0o600, 0o600]);
      expect(mode(dataDir)).toBe(0o700);
    } finally {
      await storage.close();
    }
  });

  it("should keep the mode of an existing database file", async () => {
    const file = path.join(dir, "shared.db");
    const first = await openStorage({ sqliteFile: file });
    await first.close();
    chmodSync(file, 0o640);
    const again = await openStorage({ sqliteFile: file });
    await again.workspaces.ensure("w1", "One");
    expect(mode(file)).toBe(0o640);
    await again.close();
  });
});
