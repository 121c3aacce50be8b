import { z } from "@hono/zod-openapi";
import type { RollupSources } from "@tenure/services";
import type { Storage } from "@tenure/storage";
import { ErrorSchema, json } from "../schemas";

/** What the domain route files (accounts, health, signals, saved views, usage) need. */
export interface RouteDeps {
  storage: Storage;
  reportingCurrency: string;
  today: () => string;
  /** Called after the scorecard, signal rules or a contact change: recompute (now or soon). */
  healthChanged: (workspaceId: string) => Promise<void>;
  /** This process's in-memory rollup counts, flushed before a usage read that must be exact. */
  rollupSources?: RollupSources;
}

/** The error responses every authenticated route documents. */
export const errors = {
  400: json(ErrorSchema, "Invalid request"),
  401: json(ErrorSchema, "No or unknown API key"),
} as const;
export const notFound = { 404: json(ErrorSchema, "Not found") } as const;
export const idParam = z.object({ id: z.string().min(1) });
/** OpenAPI security requirement: an API key (bearer or session cookie). */
export const sec = [{ apiKey: [] }];

/** A real calendar day YYYY-MM-DD from 1970 to 2100 (the date rule of every input; "2026-02-30" is refused). */
export const calendarDate = z
  .string()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "must be a date YYYY-MM-DD")
  .refine((s) => {
    const t = Date.parse(`${s}T00:00:00Z`);
    return (
      Number.isFinite(t) &&
      new Date(t).toISOString().slice(0, 10) === s &&
      s >= "1970-01-01" &&
      s <= "2100-12-31"
    );
  }, "must be a real date from 1970-01-01 to 2100-12-31");
