import { randomUUID } from "node:crypto";
import { TenureError } from "@tenure/core";
import type { Storage, Workspace } from "@tenure/storage";

/** Longest workspace name. */
export const MAX_WORKSPACE_NAME = 100;

/**
 * Creates a workspace with a new random id: its data, keys and settings are apart from every other.
 * The name is what people read (trimmed, 1-100 characters, no control characters; names may repeat).
 * @example const { id } = await createWorkspace(storage, "Acme EMEA");
 */
export async function createWorkspace(storage: Storage, name: string): Promise<Workspace> {
  const trimmed = name.trim();
  if (trimmed === "") throw new TenureError("validation", "name: must not be empty");
  if (trimmed.length > MAX_WORKSPACE_NAME) {
    throw new TenureError("validation", `name: at most ${MAX_WORKSPACE_NAME} characters`);
  }
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is refused.
  if (/[\u0000-\u001f\u007f]/.test(trimmed)) {
    throw new TenureError("validation", "name: must not hold control characters");
  }
  return storage.workspaces.ensure(randomUUID(), trimmed);
}

/** Every workspace, by id. */
export function listWorkspaces(storage: Storage): Promise<Workspace[]> {
  return storage.workspaces.list();
}

/** The workspace, or a not_found error that says how to find the ids. */
export async function requireWorkspace(storage: Storage, id: string): Promise<Workspace> {
  const found = await storage.workspaces.get(id);
  if (found === null) {
    throw new TenureError("not_found", `No workspace "${id}" (tenure workspaces list shows the ids)`);
  }
  return found;
}
