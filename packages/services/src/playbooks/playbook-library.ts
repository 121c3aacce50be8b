import {
  type PlaybookDefinition,
  type PlaybookReferences,
  STARTER_PLAYBOOKS,
  TenureError,
  validatePlaybook,
  validatePlaybookKey,
} from "@tenure/core";
import type { PlaybookRecord, PlaybookVersionRecord, Storage } from "@tenure/storage";
import { scheduleRunMeasurement } from "./job-module";

/** A playbook with every version, newest first. */
export interface PlaybookDetail {
  playbook: PlaybookRecord;
  versions: PlaybookVersionRecord[];
}

const ANY_DAY = ["0000-01-01", "9999-12-31"] as const;

/** What a definition may refer to in this workspace: its signal rules, tracked events and templates. */
export async function playbookReferences(storage: Storage, ws: string): Promise<PlaybookReferences> {
  const [rules, events, templates] = await Promise.all([
    storage.signalRules.list(ws),
    storage.healthScores.eventTotals(ws, ANY_DAY[0], ANY_DAY[1]),
    storage.deliveryTemplates.list(ws),
  ]);
  const ruleIds: string[] = [];
  for (const r of rules) {
    const id = (r as { id?: unknown } | null)?.id;
    if (typeof id === "string") ruleIds.push(id);
  }
  return {
    ruleIds,
    features: events.map((e) => e.event),
    templates: [...new Set(templates.map((t) => t.name))],
  };
}

/** The library: playbooks by key with their latest version (archived ones when asked). */
export async function listPlaybooks(
  storage: Storage,
  ws: string,
  opts: { includeArchived?: boolean } = {},
): Promise<PlaybookRecord[]> {
  await ensureStarterLibrary(storage, ws);
  return storage.playbooks.list(ws, opts);
}

/** One playbook with its version history; 404 when there is none. */
export async function getPlaybook(storage: Storage, ws: string, key: string): Promise<PlaybookDetail> {
  await ensureStarterLibrary(storage, ws);
  const [playbook, versions] = await Promise.all([
    storage.playbooks.get(ws, key),
    storage.playbooks.versions(ws, key),
  ]);
  if (playbook === null) throw new TenureError("not_found", `No playbook with key "${key}"`);
  return { playbook, versions };
}

/** Creates a team playbook at version 1 after validating it; 409 when the key is taken. */
export async function createPlaybook(
  storage: Storage,
  ws: string,
  input: { key: string; definition: PlaybookDefinition; createdBy?: string | null },
  at: string = new Date().toISOString(),
): Promise<PlaybookDetail> {
  validatePlaybookKey(input.key);
  validatePlaybook(input.definition, await playbookReferences(storage, ws));
  const created = await storage.playbooks.create(ws, {
    key: input.key,
    origin: "custom",
    definition: input.definition,
    createdBy: input.createdBy ?? null,
    at,
  });
  if (!created) throw new TenureError("conflict", `A playbook with key "${input.key}" already exists`);
  return getPlaybook(storage, ws, input.key);
}

/** Saves an edit as a new immutable version (runs keep the version they started with). */
export async function updatePlaybook(
  storage: Storage,
  ws: string,
  key: string,
  input: { definition: PlaybookDefinition; createdBy?: string | null },
  at: string = new Date().toISOString(),
): Promise<PlaybookDetail> {
  validatePlaybook(input.definition, await playbookReferences(storage, ws));
  const version = await storage.playbooks.addVersion(ws, key, {
    definition: input.definition,
    createdBy: input.createdBy ?? null,
    at,
  });
  if (version === null) throw new TenureError("not_found", `No playbook with key "${key}"`);
  return getPlaybook(storage, ws, key);
}

/** Archives a playbook (no new runs; its runs and history stay) or restores it. */
export async function archivePlaybook(
  storage: Storage,
  ws: string,
  key: string,
  archived: boolean,
  at: string = new Date().toISOString(),
): Promise<PlaybookRecord> {
  if (!(await storage.playbooks.setArchived(ws, key, archived ? at : null, at)))
    throw new TenureError("not_found", `No playbook with key "${key}"`);
  return (await getPlaybook(storage, ws, key)).playbook;
}

/**
 * Installs the starter library (idempotent: a key the workspace already has, edited or archived, is
 * left as it is) and schedules the daily window-end measurement. Returns the keys installed now.
 */
export async function installStarterPlaybooks(
  storage: Storage,
  ws: string,
  at: string = new Date().toISOString(),
): Promise<string[]> {
  const installed: string[] = [];
  await storage.transaction(async (tx) => {
    for (const s of STARTER_PLAYBOOKS) {
      if (
        await tx.playbooks.create(ws, {
          key: s.key,
          origin: "starter",
          definition: s.definition,
          createdBy: null,
          at,
        })
      )
        installed.push(s.key);
    }
  });
  await scheduleRunMeasurement(storage, ws);
  return installed;
}

/**
 * Gives a workspace that has never had a playbook the starter library: every workspace starts with it
 * (playbooks are archived, never deleted, so an empty library is one never installed).
 */
export async function ensureStarterLibrary(storage: Storage, ws: string): Promise<void> {
  if ((await storage.playbooks.list(ws, { includeArchived: true })).length === 0)
    await installStarterPlaybooks(storage, ws);
}
