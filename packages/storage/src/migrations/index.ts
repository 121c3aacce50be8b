import type { Migration, MigrationProvider } from "kysely";
import * as m20261123_0001 from "./2026_11_23_0001_initial";
import * as m20261123_0002 from "./2026_11_23_0002_usage";

/** Every migration, listed explicitly (no file-system scanning, so bundlers and tsx agree). */
export const migrationProvider: MigrationProvider = {
  async getMigrations(): Promise<Record<string, Migration>> {
    return {
      "2026_11_23_0001_initial": m20261123_0001,
      "2026_11_23_0002_usage": m20261123_0002,
    };
  },
};
