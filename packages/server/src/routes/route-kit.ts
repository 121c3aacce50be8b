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
