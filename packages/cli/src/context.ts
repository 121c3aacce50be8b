import path from "node:path";
import { loadConfig, type TenureConfig } from "@tenure/services";
import { DEFAULT_WORKSPACE_ID, openStorage, type Storage } from "@tenure/storage";

export interface GlobalOptions {
  db?: string;
  /** Unset: the default workspace. */
  workspace?: string;
}

/**
 * Opens the store the global options point to: --db file, else TENURE_DATABASE_URL, else TENURE_DATA_DIR;
 * `ws` is the workspace the command works in.
 */
export async function openFromOptions(
  opts: GlobalOptions,
  env: Record<string, string | undefined> = process.env,
): Promise<{ storage: Storage; config: TenureConfig; ws: string }> {
  const config = loadConfig(env);
  const storage = await openStorage(
    opts.db
      ? { sqliteFile: path.resolve(opts.db) }
      : { databaseUrl: config.databaseUrl, dataDir: path.resolve(config.dataDir) },
  );
  return { storage, config, ws: opts.workspace ?? DEFAULT_WORKSPACE_ID };
}

/** Today's date in UTC as YYYY-MM-DD: the only clock the CLI reads. */
export const today = () => new Date().toISOString().slice(0, 10);
