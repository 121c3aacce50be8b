import { TenureError } from "@tenure/core";
import { requireWorkspace } from "@tenure/services";
import { DEFAULT_WORKSPACE_ID, type Storage } from "@tenure/storage";
import { type Io, writeLine } from "../output";

const KINDS = ["admin", "read", "write"] as const;

/** `tenure keys create`: prints the new key once; only its hash is stored. */
export async function keysCreateCommand(
  storage: Storage,
  args: { workspaceId: string; kind: string; name?: string; json: boolean },
  io: Io,
): Promise<number> {
  if (!KINDS.includes(args.kind as (typeof KINDS)[number])) {
    throw new TenureError("validation", `--kind must be one of ${KINDS.join(", ")}, got "${args.kind}"`);
  }
  // The default workspace exists on first use; any other must have been created (a typo is not a workspace).
  if (args.workspaceId === DEFAULT_WORKSPACE_ID)
    await storage.workspaces.ensure(args.workspaceId, args.workspaceId);
  else await requireWorkspace(storage, args.workspaceId);
  const created = await storage.apiKeys.create(args.workspaceId, {
    name: args.name ?? `${args.kind} key`,
    kind: args.kind as (typeof KINDS)[number],
  });
  if (args.json) writeLine(io.out, JSON.stringify({ key: created.key, id: created.id, kind: args.kind }));
  else writeLine(io.out, `${created.key}\n(store it now: Tenure keeps only its hash)`);
  return 0;
}

/** `tenure keys list`. */
export async function keysListCommand(
  storage: Storage,
  args: { workspaceId: string; json: boolean },
  io: Io,
) {
  const keys = await storage.apiKeys.list(args.workspaceId);
  if (args.json) writeLine(io.out, JSON.stringify({ keys }));
  else for (const k of keys) writeLine(io.out, JSON.stringify(k));
  return 0;
}

/**
 * `tenure keys revoke ID`: fails (not_found, exit 1) when the workspace has no active key with that id,
 * so a typo never reads as a revoked key.
 */
export async function keysRevokeCommand(storage: Storage, args: { workspaceId: string; id: string }, io: Io) {
  if (!(await storage.apiKeys.revoke(args.workspaceId, args.id))) {
    const known = (await storage.apiKeys.list(args.workspaceId)).find((k) => k.id === args.id);
    throw new TenureError(
      "not_found",
      known !== undefined
        ? `API key ${args.id} was already revoked (at ${known.revokedAt}); nothing changed`
        : `No API key with id "${args.id}" in workspace "${args.workspaceId}"; nothing was revoked ` +
            "(tenure keys list shows the ids)",
    );
  }
  writeLine(io.out, `Revoked ${args.id}`);
  return 0;
}
