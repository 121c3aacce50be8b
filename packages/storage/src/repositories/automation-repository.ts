import type { Kysely } from "kysely";
import type { Database } from "../schema";
import { atomically, chunksFor, excluded, type RepositoryContext } from "./repository-context";

/** A stored automation: its current version's definition (JSON of core's AutomationDefinition). */
export interface AutomationRecord {
  id: string;
  version: number;
  name: string;
  enabled: boolean;
  definition: unknown;
  createdAt: string;
  updatedAt: string;
}

/** One immutable version of an automation. */
export interface AutomationVersionRecord {
  version: number;
  definition: unknown;
  createdAt: string;
}

/** Result of one action step of a run, as the run log shows it. */
export interface AutomationStepRecord {
  step: number;
  type: string;
  status: "done" | "failed" | "skipped";
  at: string;
  /** What the step made (a task, run or delivery id), when it made something. */
  ref?: string | null;
  error?: string | null;
}

/** Run status: `open` while steps remain, `done`/`failed` once over, `none` for matches not treated. */
export type AutomationRunStatus = "open" | "done" | "failed" | "none";

/** One row of an automation's run log: an account its trigger matched and what became of it. */
export interface AutomationRunRecord {
  id: string;
  automationId: string;
  version: number;
  accountId: string;
  /** Trigger occurrence; unique per automation and account (a fire's idempotency key). */
  instance: string;
  outcome: string;
  status: AutomationRunStatus;
  /** Index of the next action to run. */
  nextStep: number;
  /** When the next step is due (after a wait); null when due now or finished. */
  resumeAt: string | null;
  steps: AutomationStepRecord[];
  /** How often the trigger fired again while this run was open (updates instead of new work). */
  retriggers: number;
  createdAt: string;
  updatedAt: string;
}

/** An account's facts at the last evaluation. */
export interface AutomationSnapshotRecord {
  accountId: string;
  stage: string | null;
  segment: string | null;
  band: string | null;
}

/** Guard memory of one automation and account, read for an evaluation pass. */
export interface AutomationGuardRecord {
  automationId: string;
  accountId: string;
  lastEnteredAt: string | null;
  openRunId: string | null;
}

export interface AutomationLogQuery {
  limit?: number;
  /** Only rows created strictly before this timestamp (paging, newest first). */
  before?: string;
  outcome?: string;
  /** Only rows of the accounts this member owns (a CSM's book). */
  ownerId?: string;
}

export interface AutomationRepository {
  /** Every automation of the workspace, ordered by name then id. */
  list(workspaceId: string): Promise<AutomationRecord[]>;
  get(workspaceId: string, id: string): Promise<AutomationRecord | null>;
  /** Every version of an automation, newest first. */
  versions(workspaceId: string, id: string): Promise<AutomationVersionRecord[]>;
  /**
   * Stores a definition: a new automation at version 1, or the next version of an existing one, both
   * rows in one transaction. Returns the stored record.
   */
  save(
    workspaceId: string,
    input: { id: string; name: string; enabled: boolean; definition: unknown; at: string },
  ): Promise<AutomationRecord>;
  /** Switches an automation on or off (not a new version); null when there is none. */
  setEnabled(workspaceId: string, id: string, enabled: boolean, at: string): Promise<AutomationRecord | null>;
  /**
   * Inserts log rows; a row whose automation, account and instance is already logged is left as it
   * is. Returns the ids of the rows actually inserted.
   */
  insertRuns(workspaceId: string, runs: readonly AutomationRunRecord[]): Promise<Set<string>>;
  getRun(workspaceId: string, id: string): Promise<AutomationRunRecord | null>;
  /** Writes a run's progress (status, next step, resume time, steps). */
  updateRun(
    workspaceId: string,
    id: string,
    patch: Pick<AutomationRunRecord, "status" | "nextStep" | "resumeAt" | "steps" | "updatedAt">,
  ): Promise<void>;
  /** Counts one more trigger on open runs (the dedupe path). */
  addRetriggers(workspaceId: string, runIds: readonly string[], at: string): Promise<void>;
  /** Open runs whose next step is due at `now` (resume time null or passed), oldest first. */
  dueRuns(workspaceId: string, now: string, limit: number): Promise<AutomationRunRecord[]>;
  /** Log rows of one automation, newest first. */
  log(workspaceId: string, automationId: string, query?: AutomationLogQuery): Promise<AutomationRunRecord[]>;
  /** Log rows per outcome of one automation. */
  outcomeCounts(workspaceId: string, automationId: string): Promise<Record<string, number>>;
  /** Last entry (fired or held out) and open run per automation and account. */
  guards(workspaceId: string): Promise<AutomationGuardRecord[]>;
  /** Snoozes an account in an automation until `until` (replaces an earlier snooze). */
  snooze(
    workspaceId: string,
    automationId: string,
    accountId: string,
    until: string,
    at: string,
  ): Promise<void>;
  /** Ends a snooze; false when there was none. */
  unsnooze(workspaceId: string, automationId: string, accountId: string): Promise<boolean>;
  /** Active snoozes (until after `now`). */
  snoozes(
    workspaceId: string,
    now: string,
  ): Promise<Array<{ automationId: string; accountId: string; until: string }>>;
  /** Every account's facts at the last evaluation. */
  snapshots(workspaceId: string): Promise<AutomationSnapshotRecord[]>;
  /** Replaces the stored facts of these accounts. */
  putSnapshots(workspaceId: string, rows: readonly AutomationSnapshotRecord[]): Promise<void>;
}

type RunRow = Database["automation_runs"];

export function createAutomationRepository(ctx: RepositoryContext): AutomationRepository {
  const { adapter } = ctx;
  const toRecord = (r: Database["automations"]): AutomationRecord => ({
    id: r.id,
    version: Number(r.version),
    name: r.name,
    enabled: Number(r.enabled) === 1,
    definition: adapter.decodeJson(r.definition),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
  const toRun = (r: RunRow): AutomationRunRecord => ({
    id: r.id,
    automationId: r.automation_id,
    version: Number(r.version),
    accountId: r.account_id,
    instance: r.instance,
    outcome: r.outcome,
    status: r.status as AutomationRunStatus,
    nextStep: Number(r.next_step),
    resumeAt: r.resume_at,
    steps: adapter.decodeJson(r.steps) as AutomationStepRecord[],
    retriggers: Number(r.retriggers),
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  });
  const toRow = (ws: string, r: AutomationRunRecord): RunRow => ({
    workspace_id: ws,
    id: r.id,
    automation_id: r.automationId,
    version: r.version,
    account_id: r.accountId,
    instance: r.instance,
    outcome: r.outcome,
    status: r.status,
    next_step: r.nextStep,
    resume_at: r.resumeAt,
    steps: adapter.encodeJson(r.steps),
    retriggers: r.retriggers,
    created_at: r.createdAt,
    updated_at: r.updatedAt,
  });
  const getIn = async (db: Kysely<Database>, ws: string, id: string) => {
    const row = await db
      .selectFrom("automations")
      .selectAll()
      .where("workspace_id", "=", ws)
      .where("id", "=", id)
      .executeTakeFirst();
    return row === undefined ? null : toRecord(row);
  };

  return {
    async list(ws) {
      const rows = await ctx.db
        .selectFrom("automations")
        .selectAll()
        .where("workspace_id", "=", ws)
        .orderBy("name")
        .orderBy("id")
        .execute();
      return rows.map(toRecord);
    },

    get: (ws, id) => getIn(ctx.db, ws, id),

    async versions(ws, id) {
      const rows = await ctx.db
        .selectFrom("automation_versions")
        .select(["version", "definition", "created_at"])
        .where("workspace_id", "=", ws)
        .where("automation_id", "=", id)
        .orderBy("version", "desc")
        .execute();
      return rows.map((r) => ({
        version: Number(r.version),
        definition: adapter.decodeJson(r.definition),
        createdAt: r.created_at,
      }));
    },

    save(ws, input) {
      return atomically(ctx, async (db) => {
        const current = await getIn(db, ws, input.id);
        const version = (current?.version ?? 0) + 1;
        const definition = adapter.encodeJson(input.definition);
        await db
          .insertInto("automation_versions")
          .values({
            workspace_id: ws,
            automation_id: input.id,
            version,
            definition,
            created_at: input.at,
          })
          .execute();
        // An integer column on both dialects (0/1), like the members' `active`.
        const enabled = input.enabled ? 1 : 0;
        if (current === null)
          await db
            .insertInto("automations")
            .values({
              workspace_id: ws,
              id: input.id,
              version,
              name: input.name,
              enabled,
              definition,
              created_at: input.at,
              updated_at: input.at,
            })
            .execute();
        else
          await db
            .updateTable("automations")
            .set({ version, name: input.name, enabled, definition, updated_at: input.at })
            .where("workspace_id", "=", ws)
            .where("id", "=", input.id)
            .execute();
        return (await getIn(db, ws, input.id)) as AutomationRecord;
      });
    },

    setEnabled(ws, id, enabled, at) {
      return atomically(ctx, async (db) => {
        const current = await getIn(db, ws, id);
        if (current === null) return null;
        // The definition carries the switch too, so a read of it alone is never out of date.
        const definition = { ...(current.definition as Record<string, unknown>), enabled };
        await db
          .updateTable("automations")
          .set({
            enabled: enabled ? 1 : 0,
            definition: adapter.encodeJson(definition),
            updated_at: at,
          })
          .where("workspace_id", "=", ws)
          .where("id", "=", id)
          .execute();
        return getIn(db, ws, id);
      });
    },

    async insertRuns(ws, runs) {
      const inserted = new Set<string>();
      if (runs.length === 0) return inserted;
      await atomically(ctx, async (db) => {
        for (const chunk of chunksFor(adapter, runs, 14)) {
          const rows = await db
            .insertInto("automation_runs")
            .values(chunk.map((r) => toRow(ws, r)))
            .onConflict((oc) =>
              oc.columns(["workspace_id", "automation_id", "account_id", "instance"]).doNothing(),
            )
            .returning("id")
            .execute();
          for (const r of rows) inserted.add(r.id);
        }
      });
      return inserted;
    },

    async getRun(ws, id) {
      const row = await ctx.db
        .selectFrom("automation_runs")
        .selectAll()
        .where("workspace_id", "=", ws)
        .where("id", "=", id)
        .executeTakeFirst();
      return row === undefined ? null : toRun(row);
    },

    async updateRun(ws, id, patch) {
      await ctx.db
        .updateTable("automation_runs")
        .set({
          status: patch.status,
          next_step: patch.nextStep,
          resume_at: patch.resumeAt,
          steps: adapter.encodeJson(patch.steps),
          updated_at: patch.updatedAt,
        })
        .where("workspace_id", "=", ws)
        .where("id", "=", id)
        .execute();
    },

    async addRetriggers(ws, runIds, at) {
      for (const chunk of chunksFor(adapter, runIds, 1))
        await ctx.db
          .updateTable("automation_runs")
          .set((eb) => ({ retriggers: eb("retriggers", "+", 1), updated_at: at }))
          .where("workspace_id", "=", ws)
          .where("id", "in", chunk)
          .execute();
    },

    async dueRuns(ws, now, limit) {
      const rows = await ctx.db
        .selectFrom("automation_runs")
        .selectAll()
        .where("workspace_id", "=", ws)
        .where("status", "=", "open")
        .where((eb) => eb.or([eb("resume_at", "is", null), eb("resume_at", "<=", now)]))
        .orderBy("created_at")
        .orderBy("id")
        .limit(limit)
        .execute();
      return rows.map(toRun);
    },

    async log(ws, automationId, query = {}) {
      let q = ctx.db
        .selectFrom("automation_runs")
        .selectAll()
        .where("workspace_id", "=", ws)
        .where("automation_id", "=", automationId);
      if (query.before !== undefined) q = q.where("created_at", "<", query.before);
      if (query.outcome !== undefined) q = q.where("outcome", "=", query.outcome);
      const ownerId = query.ownerId;
      if (ownerId !== undefined)
        q = q.where("account_id", "in", (eb) =>
          eb
            .selectFrom("accounts")
            .select("accounts.id")
            .where("accounts.workspace_id", "=", ws)
            .where("accounts.owner_id", "=", ownerId),
        );
      const rows = await q
        .orderBy("created_at", "desc")
        .orderBy("id", "desc")
        .limit(query.limit ?? 100)
        .execute();
      return rows.map(toRun);
    },

    async outcomeCounts(ws, automationId) {
      const rows = await ctx.db
        .selectFrom("automation_runs")
        .select((eb) => ["outcome", eb.fn.countAll().as("n")])
        .where("workspace_id", "=", ws)
        .where("automation_id", "=", automationId)
        .groupBy("outcome")
        .execute();
      const out: Record<string, number> = {};
      for (const r of rows) out[r.outcome] = adapter.parseNumber(r.n);
      return out;
    },

    async guards(ws) {
      const entered = await ctx.db
        .selectFrom("automation_runs")
        .select((eb) => ["automation_id", "account_id", eb.fn.max("created_at").as("last")])
        .where("workspace_id", "=", ws)
        .where("outcome", "in", ["fired", "held_out"])
        .groupBy(["automation_id", "account_id"])
        .execute();
      const open = await ctx.db
        .selectFrom("automation_runs")
        .select(["automation_id", "account_id", "id"])
        .where("workspace_id", "=", ws)
        .where("status", "=", "open")
        .execute();
      const out = new Map<string, AutomationGuardRecord>();
      const key = (a: string, b: string) => `${a}\u0000${b}`;
      for (const r of entered)
        out.set(key(r.automation_id, r.account_id), {
          automationId: r.automation_id,
          accountId: r.account_id,
          lastEnteredAt: r.last as string | null,
          openRunId: null,
        });
      for (const r of open) {
        const k = key(r.automation_id, r.account_id);
        const g = out.get(k);
        if (g !== undefined) g.openRunId = r.id;
        else
          out.set(k, {
            automationId: r.automation_id,
            accountId: r.account_id,
            lastEnteredAt: null,
            openRunId: r.id,
          });
      }
      return [...out.values()];
    },

    async snooze(ws, automationId, accountId, until, at) {
      await ctx.db
        .insertInto("automation_snoozes")
        .values({
          workspace_id: ws,
          automation_id: automationId,
          account_id: accountId,
          until,
          created_at: at,
        })
        .onConflict((oc) =>
          oc.columns(["workspace_id", "automation_id", "account_id"]).doUpdateSet({ until, created_at: at }),
        )
        .execute();
    },

    async unsnooze(ws, automationId, accountId) {
      const res = await ctx.db
        .deleteFrom("automation_snoozes")
        .where("workspace_id", "=", ws)
        .where("automation_id", "=", automationId)
        .where("account_id", "=", accountId)
        .executeTakeFirst();
      return Number(res.numDeletedRows) > 0;
    },

    async snoozes(ws, now) {
      const rows = await ctx.db
        .selectFrom("automation_snoozes")
        .select(["automation_id", "account_id", "until"])
        .where("workspace_id", "=", ws)
        .where("until", ">", now)
        .execute();
      return rows.map((r) => ({ automationId: r.automation_id, accountId: r.account_id, until: r.until }));
    },

    async snapshots(ws) {
      const rows = await ctx.db
        .selectFrom("automation_snapshots")
        .select(["account_id", "stage", "segment", "band"])
        .where("workspace_id", "=", ws)
        .execute();
      return rows.map((r) => ({ accountId: r.account_id, stage: r.stage, segment: r.segment, band: r.band }));
    },

    putSnapshots(ws, rows) {
      return atomically(ctx, async (db) => {
        for (const chunk of chunksFor(adapter, rows, 5))
          await db
            .insertInto("automation_snapshots")
            .values(
              chunk.map((r) => ({
                workspace_id: ws,
                account_id: r.accountId,
                stage: r.stage,
                segment: r.segment,
                band: r.band,
              })),
            )
            .onConflict((oc) =>
              oc.columns(["workspace_id", "account_id"]).doUpdateSet(excluded(["stage", "segment", "band"])),
            )
            .execute();
      });
    },
  };
}
