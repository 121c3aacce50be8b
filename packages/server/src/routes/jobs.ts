import { createRoute, OpenAPIHono, z } from "@hono/zod-openapi";
import { JobQueue } from "@tenure/services";
import { JOB_STATUSES, type JobRecord } from "@tenure/storage";
import type { AuthVariables } from "../auth";
import { ErrorSchema, json } from "../schemas";
import { errors, idParam, notFound, type RouteDeps, sec } from "./route-kit";

const conflict = { 409: json(ErrorSchema, "The job has not failed") } as const;

const JobStatusSchema = z.enum(JOB_STATUSES as [string, ...string[]]).openapi({
  description: "queued (waiting or retrying later), running, done, or failed (out of attempts)",
});

export const JobSchema = z
  .object({
    id: z.string(),
    kind: z.string().openapi({ description: "The handler that runs it, e.g. delivery.email" }),
    status: JobStatusSchema,
    payload: z.unknown(),
    priority: z.number().int().openapi({ description: "Lower runs first among due jobs" }),
    runAt: z.string().openapi({ description: "When a queued job is due; a running job's lease expiry" }),
    attempt: z.number().int().openapi({ description: "Attempts started so far" }),
    maxAttempts: z.number().int(),
    idempotencyKey: z.string().nullable(),
    lastError: z.string().nullable().openapi({ description: "The last failed attempt's error" }),
    scheduleName: z.string().nullable().openapi({ description: "The recurring schedule that enqueued it" }),
    createdAt: z.string(),
    updatedAt: z.string(),
    finishedAt: z.string().nullable(),
  })
  .openapi("Job");

const JobCountsSchema = z
  .object({
    queued: z.number().int(),
    running: z.number().int(),
    done: z.number().int(),
    failed: z.number().int(),
  })
  .openapi("JobCounts");

/** The job as the API shows it (the claim id is the workers' business). */
const view = (j: JobRecord) => ({
  id: j.id,
  kind: j.kind,
  status: j.status,
  payload: j.payload,
  priority: j.priority,
  runAt: j.runAt,
  attempt: j.attempt,
  maxAttempts: j.maxAttempts,
  idempotencyKey: j.idempotencyKey,
  lastError: j.lastError,
  scheduleName: j.scheduleName,
  createdAt: j.createdAt,
  updatedAt: j.updatedAt,
  finishedAt: j.finishedAt,
});

/** The job log: list (by status and kind, paged) with counts per status, one job, retry a failed one. */
export function jobRoutes(deps: Pick<RouteDeps, "storage">) {
  const queue = new JobQueue(deps.storage);
  const app = new OpenAPIHono<{ Variables: AuthVariables }>();

  app.openapi(
    createRoute({
      method: "get",
      path: "/jobs",
      tags: ["jobs"],
      summary: "The job log, newest first, with the workspace's counts per status",
      security: sec,
      request: {
        query: z.object({
          status: JobStatusSchema.optional(),
          kind: z.string().min(1).max(100).optional(),
          limit: z.coerce.number().int().min(1).max(500).default(50),
          offset: z.coerce.number().int().min(0).max(10_000_000).default(0),
        }),
      },
      responses: {
        200: json(
          z.object({
            jobs: z.array(JobSchema),
            total: z.number().int().openapi({ description: "Jobs matching the filter" }),
            counts: JobCountsSchema,
          }),
          "Jobs",
        ),
        ...errors,
      },
    }),
    async (c) => {
      const ws = c.get("workspaceId");
      const q = c.req.valid("query");
      const [page, counts] = await Promise.all([
        queue.list(ws, {
          status: q.status as JobRecord["status"] | undefined,
          kind: q.kind,
          limit: q.limit,
          offset: q.offset,
        }),
        queue.counts(ws),
      ]);
      return c.json({ jobs: page.jobs.map(view), total: page.total, counts }, 200);
    },
  );

  app.openapi(
    createRoute({
      method: "get",
      path: "/jobs/{id}",
      tags: ["jobs"],
      summary: "One job with its attempts and last error",
      security: sec,
      request: { params: idParam },
      responses: { 200: json(JobSchema, "The job"), ...errors, ...notFound },
    }),
    async (c) => c.json(view(await queue.get(c.get("workspaceId"), c.req.valid("param").id)), 200),
  );

  app.openapi(
    createRoute({
      method: "post",
      path: "/jobs/{id}/retry",
      tags: ["jobs"],
      summary: "Queue a failed job again now, with a fresh set of attempts (409 unless it failed)",
      security: sec,
      request: { params: idParam },
      responses: { 200: json(JobSchema, "The job, queued"), ...errors, ...notFound, ...conflict },
    }),
    async (c) => c.json(view(await queue.retry(c.get("workspaceId"), c.req.valid("param").id)), 200),
  );

  return app;
}
