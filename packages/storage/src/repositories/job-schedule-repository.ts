import type { JobScheduleTable } from "../schema";
import type { RepositoryContext } from "./repository-context";

/** A recurring job as stored: `cron` in `timezone`, enqueuing `kind` with `payload` at `nextRunAt`. */
export interface JobScheduleRecord {
  workspaceId: string;
  name: string;
  cron: string;
  timezone: string;
  kind: string;
  payload: unknown;
  enabled: boolean;
  /** ISO 8601 UTC. */
  nextRunAt: string;
  lastRunAt: string | null;
  createdAt: string;
  updatedAt: string;
}

/** A schedule to create or replace (validated, and its next run computed, by the service). */
export type JobScheduleInput = Omit<JobScheduleRecord, "lastRunAt" | "createdAt" | "updatedAt">;

/** Recurring jobs. Firing one is `advance` (conditional) plus an enqueue, in one transaction. */
export interface JobScheduleRepository {
  /** Creates or replaces the schedule `name` of the workspace. */
  upsert(input: JobScheduleInput, now?: Date): Promise<void>;
  get(workspaceId: string, name: string): Promise<JobScheduleRecord | null>;
  list(workspaceId: string): Promise<JobScheduleRecord[]>;
  /** Deletes the schedule; false when there was none. */
  remove(workspaceId: string, name: string): Promise<boolean>;
  /** Enabled schedules of every workspace whose next run is at or before `now`, soonest first. */
  due(now: Date, limit: number): Promise<JobScheduleRecord[]>;
  /**
   * Moves a schedule's next run from `from` to `to` and records `from` as its last run, only when its
   * next run is still `from`: of two workers firing the same run, exactly one gets true.
   */
  advance(workspaceId: string, name: string, from: string, to: string, now?: Date): Promise<boolean>;
}

export function createJobScheduleRepository(ctx: RepositoryContext): JobScheduleRepository {
  const { adapter } = ctx;
  const decode = (r: JobScheduleTable): JobScheduleRecord => ({
    workspaceId: r.workspace_id,
    name: r.name,
    cron: r.cron,
    timezone: r.timezone,
    kind: r.kind,
    payload: adapter.decodeJson(r.payload),
    enabled: adapter.decodeBoolean(r.enabled),
    nextRunAt: r.next_run_at,
    lastRunAt: r.last_run_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });

  return {
    async upsert(input, now = new Date()) {
      const at = now.toISOString();
      await ctx.db
        .insertInto("job_schedules")
        .values({
          workspace_id: input.workspaceId,
          name: input.name,
          cron: input.cron,
          timezone: input.timezone,
          kind: input.kind,
          payload: adapter.encodeJson(input.payload ?? null),
          enabled: adapter.encodeBoolean(input.enabled),
          next_run_at: input.nextRunAt,
          last_run_at: null,
          created_at: at,
          updated_at: at,
        })
        .onConflict((oc) =>
          oc.columns(["workspace_id", "name"]).doUpdateSet((eb) => ({
            cron: eb.ref("excluded.cron"),
            timezone: eb.ref("excluded.timezone"),
            kind: eb.ref("excluded.kind"),
            payload: eb.ref("excluded.payload"),
            enabled: eb.ref("excluded.enabled"),
            next_run_at: eb.ref("excluded.next_run_at"),
            updated_at: eb.ref("excluded.updated_at"),
          })),
        )
        .execute();
    },

    async get(workspaceId, name) {
      const r = await ctx.db
        .selectFrom("job_schedules")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("name", "=", name)
        .executeTakeFirst();
      return r === undefined ? null : decode(r);
    },

    async list(workspaceId) {
      const rows = await ctx.db
        .selectFrom("job_schedules")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .orderBy("name")
        .execute();
      return rows.map(decode);
    },

    async remove(workspaceId, name) {
      const res = await ctx.db
        .deleteFrom("job_schedules")
        .where("workspace_id", "=", workspaceId)
        .where("name", "=", name)
        .executeTakeFirst();
      return Number(res.numDeletedRows) === 1;
    },

    async due(now, limit) {
      const rows = await ctx.db
        .selectFrom("job_schedules")
        .selectAll()
        .where("next_run_at", "<=", now.toISOString())
        .where("enabled", "=", adapter.encodeBoolean(true))
        .orderBy("next_run_at")
        .limit(limit)
        .execute();
      return rows.map(decode);
    },

    async advance(workspaceId, name, from, to, now = new Date()) {
      const res = await ctx.db
        .updateTable("job_schedules")
        .set({ next_run_at: to, last_run_at: from, updated_at: now.toISOString() })
        .where("workspace_id", "=", workspaceId)
        .where("name", "=", name)
        .where("next_run_at", "=", from)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) === 1;
    },
  };
}
