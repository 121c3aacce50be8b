import type { Principal } from "@tenure/core";
import type { AuditQuery, AuditRecord, Storage } from "@tenure/storage";
import { requireAdmin } from "../keys/index";

export type AuditExportFormat = "csv" | "jsonl";

/** A page of the workspace's audit log, newest first (admin only). */
export function listAudit(storage: Storage, principal: Principal, query: AuditQuery) {
  requireAdmin(principal, "read the audit log");
  return storage.audit.list(principal.workspaceId, query);
}

const CSV_COLUMNS = [
  "at",
  "actor_type",
  "actor_id",
  "actor",
  "action",
  "entity_type",
  "entity_id",
  "ip",
  "request_id",
  "before",
  "after",
] as const;

/**
 * One CSV cell: quoted when needed, and a cell a spreadsheet would run as a formula (first
 * character = + - @, or a tab or carriage return) is neutralised with a leading apostrophe.
 */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\n\r]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

const csvRow = (r: AuditRecord) =>
  [
    r.at,
    r.actor.type,
    r.actor.id,
    r.actor.label,
    r.action,
    r.entityType,
    r.entityId ?? "",
    r.ip ?? "",
    r.requestId ?? "",
    r.before === null || r.before === undefined ? "" : JSON.stringify(r.before),
    r.after === null || r.after === undefined ? "" : JSON.stringify(r.after),
  ]
    .map(csvCell)
    .join(",");

/**
 * The audit log as CSV or JSON lines, one line at a time (admin only): read in pages, so an export
 * of a year's log never sits in memory.
 */
export async function* exportAudit(
  storage: Storage,
  principal: Principal,
  format: AuditExportFormat,
  query: Omit<AuditQuery, "before" | "limit">,
): AsyncGenerator<string> {
  requireAdmin(principal, "export the audit log");
  if (format === "csv") yield `${CSV_COLUMNS.join(",")}\r\n`;
  for await (const r of storage.audit.stream(principal.workspaceId, query)) {
    yield format === "csv" ? `${csvRow(r)}\r\n` : `${JSON.stringify(r)}\n`;
  }
}
