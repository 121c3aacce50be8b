import { rmSync } from "node:fs";
import type { DemoCompany } from "@tenure/services";
import { openStorage } from "@tenure/storage";

/** Deletes a SQLite database file and its WAL/SHM side files. */
export function removeSqliteFile(file: string): void {
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${file}${suffix}`, { force: true });
}

/**
 * Writes a generated company into a fresh SQLite store, the way `seedDemo` (@tenure/services) does:
 * one transaction, each record kind through its repository's upsertMany. Reusing the generated
 * company keeps the store identical to the in-memory data without generating it twice.
 */
export async function seedSqliteStore(file: string, workspaceId: string, demo: DemoCompany): Promise<void> {
  removeSqliteFile(file);
  const storage = await openStorage({ sqliteFile: file });
  try {
    await storage.workspaces.ensure(workspaceId, demo.name);
    await storage.transaction(async (tx) => {
      await tx.products.upsertMany(workspaceId, demo.products);
      await tx.plans.upsertMany(workspaceId, demo.plans);
      await tx.accounts.upsertMany(workspaceId, demo.accounts);
      await tx.contacts.upsertMany(workspaceId, demo.contacts);
      await tx.subscriptions.upsertMany(workspaceId, demo.subscriptions);
      await tx.exchangeRates.upsertMany(workspaceId, demo.exchangeRates);
      await tx.spend.upsertMany(workspaceId, demo.spend);
    });
  } finally {
    await storage.close();
  }
}
