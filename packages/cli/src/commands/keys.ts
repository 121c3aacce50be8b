import { systemPrincipal, TenureError } from "@tenure/core";
import {
  createKey,
  listKeys,
  parseOverlap,
  parseScope,
  requireWorkspace,
  revokeKey,
  rotateKey,
} from "@tenure/services";
import { DEFAULT_WORKSPACE_ID, type Storage } from "@tenure/storage";
import { cliOrigin } from "../audit-cli";
import { type Io, writeLine } from "../output";

/** `tenure keys create`: prints the new key once; only its hash is stored. Recorded in the audit log. */
export async function keysCreateCommand(
  storage: Storage,
  args: { workspaceId: string; scope?: string; kind?: string; team?: string; name?: string; json: boolean },
  io: Io,
): Promise<number> {
  const scope =
    args.scope !== undefined ? parseScope(args.scope, "--scope") : parseScope(args.kind ?? "admin", "--kind");
  // The default workspace exists on first use; any other must have been created (a typo is not a workspace).
  if (args.workspaceId === DEFAULT_WORKSPACE_ID)
    await storage.workspaces.ensure(args.workspaceId, args.workspaceId);
  else await requireWorkspace(storage, args.workspaceId);
  const principal = systemPrincipal(args.workspaceId, "cli");
  const created = await storage.audited(cliOrigin(args.workspaceId), async (_tx, record) => {
    const made = await createKey(storage, principal, { scope, name: args.name, teamId: args.team ?? null });
    await record({
      action: "api_key.create",
      entityType: "api_key",
      entityId: made.info.id,
      after: made.info,
    });
    return made;
  });
  if (args.json)
    writeLine(
      io.out,
      JSON.stringify({
        key: created.key,
        id: created.info.id,
        scope,
        kind: created.info.kind,
        teamId: created.info.teamId,
        name: created.info.name,
      }),
    );
  else writeLine(io.out, `${created.key}\n(store it now: Tenure keeps only its hash)`);
  return 0;
}

/** `tenure keys list`: name, scope, team, created, last used, expires; never a key. */
export async function keysListCommand(
  storage: Storage,
  args: { workspaceId: string; json: boolean },
  io: Io,
) {
  const keys = await listKeys(storage, systemPrincipal(args.workspaceId, "cli"));
  if (args.json) writeLine(io.out, JSON.stringify({ keys }));
  else
    for (const k of keys) {
      const state =
        k.revokedAt !== null
          ? `revoked ${k.revokedAt}`
          : k.expiresAt !== null
            ? `expires ${k.expiresAt}`
            : "active";
      writeLine(
        io.out,
        `${k.id}  ${k.name}  ${k.scope}${k.teamId !== null ? ` team=${k.teamId}` : ""}  created ${k.createdAt}  last used ${k.lastUsedAt ?? "never"}  ${state}`,
      );
    }
  return 0;
}

/**
 * `tenure keys rotate ID [--overlap 24h]`: prints the new key once; the old key keeps working until
 * the overlap ends.
 */
export async function keysRotateCommand(
  storage: Storage,
  args: { workspaceId: string; id: string; overlap?: string; json: boolean },
  io: Io,
): Promise<number> {
  const overlapMs = parseOverlap(args.overlap ?? "24h", "--overlap");
  const principal = systemPrincipal(args.workspaceId, "cli");
  let rotated: Awaited<ReturnType<typeof rotateKey>>;
  try {
    rotated = await storage.audited(cliOrigin(args.workspaceId), async (_tx, record) => {
      const before = await storage.apiKeys.get(args.workspaceId, args.id);
      const r = await rotateKey(storage, principal, args.id, overlapMs);
      await record({
        action: "api_key.rotate",
        entityType: "api_key",
        entityId: args.id,
        before,
        after: r.previous,
      });
      await record({ action: "api_key.create", entityType: "api_key", entityId: r.info.id, after: r.info });
      return r;
    });
  } catch (err) {
    if (err instanceof TenureError && err.code === "not_found") {
      writeLine(io.err, `Error: ${err.message} (tenure keys list shows the ids)`);
      return 1;
    }
    throw err;
  }
  if (args.json)
    writeLine(
      io.out,
      JSON.stringify({
        key: rotated.key,
        id: rotated.info.id,
        previous: { id: args.id, expiresAt: rotated.previous.expiresAt },
      }),
    );
  else
    writeLine(
      io.out,
      `${rotated.key}\n(store it now: Tenure keeps only its hash; the old key works until ${rotated.previous.expiresAt})`,
    );
  return 0;
}

/**
 * `tenure keys revoke ID`: exit 1 with a message when the workspace has no active key with that id,
 * so a typo never reads as a revoked key.
 */
export async function keysRevokeCommand(storage: Storage, args: { workspaceId: string; id: string }, io: Io) {
  const principal = systemPrincipal(args.workspaceId, "cli");
  try {
    await storage.audited(cliOrigin(args.workspaceId), async (_tx, record) => {
      const before = await storage.apiKeys.get(args.workspaceId, args.id);
      const after = await revokeKey(storage, principal, args.id);
      await record({ action: "api_key.revoke", entityType: "api_key", entityId: args.id, before, after });
    });
  } catch (err) {
    if (err instanceof TenureError && err.code === "not_found") {
      writeLine(io.err, `Error: ${err.message} (tenure keys list shows the ids)`);
      return 1;
    }
    throw err;
  }
  writeLine(io.out, `Revoked ${args.id}`);
  return 0;
}
