import { systemPrincipal } from "@tenure/core";
import { type AuditExportFormat, exportAudit, listAudit } from "@tenure/services";
import type { AuditQuery, Storage } from "@tenure/storage";
import { type Io, writeLine } from "../output";

export type AuditFilterArgs = Pick<
  AuditQuery,
  "actor" | "action" | "entityType" | "entityId" | "from" | "to"
>;

/** `tenure audit list`: newest first, one line per change (JSON with --json). */
export async function auditListCommand(
  storage: Storage,
  args: { workspaceId: string; limit?: number; json: boolean } & AuditFilterArgs,
  io: Io,
): Promise<number> {
  const { workspaceId, json, ...query } = args;
  const page = await listAudit(storage, systemPrincipal(workspaceId, "cli"), query);
  if (json) writeLine(io.out, JSON.stringify(page));
  else
    for (const e of page.entries)
      writeLine(
        io.out,
        `${e.at}  ${e.actor.label}  ${e.action}  ${e.entityType}${e.entityId ? ` ${e.entityId}` : ""}`,
      );
  return 0;
}

/** `tenure audit export --format csv|jsonl`: the whole filtered log on stdout. */
export async function auditExportCommand(
  storage: Storage,
  args: { workspaceId: string; format: AuditExportFormat } & AuditFilterArgs,
  io: Io,
): Promise<number> {
  const { workspaceId, format, ...query } = args;
  for await (const line of exportAudit(storage, systemPrincipal(workspaceId, "cli"), format, query))
    io.out.write(line);
  return 0;
}
