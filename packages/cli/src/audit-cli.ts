import { systemPrincipal } from "@tenure/core";
import type { AuditEntry, AuditOrigin, Storage } from "@tenure/storage";

/** Who the audit log says made a CLI change: the system principal labelled "cli". */
export function cliOrigin(workspaceId: string): AuditOrigin {
  return { workspaceId, actor: systemPrincipal(workspaceId, "cli").actor, ip: null, requestId: null };
}

/** What a command's audit row says; `after` defaults to the command's arguments. */
export type CommandAudit = Omit<AuditEntry, "before"> & {
  bulk?: boolean;
  /**
   * Keep what a non-zero exit wrote (an import with --allow-partial writes its good rows and exits 1):
   * the row then records the exit code.
   */
  keepOnFailure?: boolean;
};

class CommandFailed extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
  }
}

/**
 * Runs a changing command and its audit row in one transaction: a command that fails (throws or
 * exits non-zero) writes neither.
 */
export async function auditedCommand<R extends number | "keep-open">(
  storage: Storage,
  workspaceId: string,
  audit: CommandAudit,
  exec: () => Promise<R>,
): Promise<R> {
  const { bulk, keepOnFailure, ...entry } = audit;
  try {
    return await storage.audited(
      cliOrigin(workspaceId),
      async (_tx, record) => {
        const code = await exec();
        if (typeof code === "number" && code !== 0) {
          if (!keepOnFailure) throw new CommandFailed(code);
          await record({ ...entry, after: { ...(entry.after as object), exitCode: code } });
          return code;
        }
        await record(entry);
        return code;
      },
      { bulk },
    );
  } catch (err) {
    if (err instanceof CommandFailed) return err.code as R;
    throw err;
  }
}
