import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { apiFetch, withQuery } from "../../api/client";
import type { Schema } from "../../api/schema";

export type AuditEntry = Schema<"AuditEntry">;

/** The filters of the audit log page (all optional). */
export interface AuditFilters {
  actor?: string;
  action?: string;
  entityType?: string;
  entityId?: string;
  from?: string;
  to?: string;
}

export const AUDIT_PAGE_SIZE = 50;

/** GET /api/audit: one page, newest first; `before` is the previous page's `next`. */
export function useAudit(filters: AuditFilters, before: string | undefined) {
  return useQuery({
    queryKey: ["audit", filters, before ?? null],
    queryFn: () =>
      apiFetch<{ entries: AuditEntry[]; next: string | null }>(
        withQuery("/api/audit", { ...filters, before, limit: AUDIT_PAGE_SIZE }),
      ),
    placeholderData: keepPreviousData,
  });
}

/** The export link of the filtered log (the browser downloads it with the session cookie). */
export const auditExportUrl = (filters: AuditFilters, format: "csv" | "jsonl") =>
  withQuery("/api/audit/export", { ...filters, format });
