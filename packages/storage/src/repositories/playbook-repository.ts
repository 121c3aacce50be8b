import type { PlaybookDefinition, PlaybookMetric, RunStatus, RunStep } from "@tenure/core";
import type { PlaybookRunTable } from "../schema";
import { atomically, chunksFor, type RepositoryContext } from "./repository-context";

/** Where a playbook came from: the starter library or the team. */
export type PlaybookOrigin = "starter" | "custom";

/** A playbook with its latest version's definition. */
export interface PlaybookRecord {
  key: string;
  latestVersion: number;
  origin: PlaybookOrigin;
  archivedAt: string | null;
  createdAt: string;
  updatedAt: string;
  definition: PlaybookDefinition;
}

/** One immutable version of a playbook. */
export interface PlaybookVersionRecord {
  key: string;
  version: number;
  definition: PlaybookDefinition;
  createdAt: string;
  createdBy: string | null;
}

/** What started a run. */
export type RunSource = "manual" | "automation" | "demo";

/** The account as it was when a run started (what a matched control is matched on). */
export interface RunBaseline {
  segment: string | null;
  tier: string | null;
  band: string;
  arr: number;
}

/** One run of one playbook version on one account; `holdout` runs are controls without tasks. */
export interface PlaybookRunRecord {
  id: string;
  playbookKey: string;
  version: number;
  accountId: string;
  status: RunStatus;
  holdout: boolean;
  source: RunSource;
  triggerAutomationId: string | null;
  triggerSignalId: string | null;
  idempotencyKey: string | null;
  /** ISO timestamp. */
  startedAt: string;
  /** YYYY-MM-DD: the day the start value was read for. */
  startDate: string;
  /** YYYY-MM-DD: the day the end value is read for. */
  windowEnd: string;
  metric: PlaybookMetric;
  startValue: number | null;
  endValue: number | null;
  measuredAt: string | null;
  baseline: RunBaseline;
  steps: RunStep[];
  snoozedUntil: string | null;
  startedBy: string | null;
  completedAt: string | null;
  updatedAt: string;
}

/** Fields of a run that change after it starts. */
export type RunPatch = Partial<
  Pick<
    PlaybookRunRecord,
    | "status"
    | "endValue"
    | "measuredAt"
    | "steps"
    | "snoozedUntil"
    | "completedAt"
    | "windowEnd"
    | "startDate"
  >
>;

export interface RunQuery {
  playbookKey?: string;
  accountId?: string;
  status?: RunStatus;
  /** Only runs on the accounts this member owns (a CSM's book). */
  ownerId?: string;
  limit?: number;
}

export interface PlaybookRepository {
  /** Playbooks by key with their latest definition; archived ones only when asked. */
  list(workspaceId: string, opts?: { includeArchived?: boolean }): Promise<PlaybookRecord[]>;
  get(workspaceId: string, key: string): Promise<PlaybookRecord | null>;
  /** Every version of a playbook, newest first. */
  versions(workspaceId: string, key: string): Promise<PlaybookVersionRecord[]>;
  version(workspaceId: string, key: string, version: number): Promise<PlaybookVersionRecord | null>;
  /** The definition each run started with (its playbook version), by run id; unknown ids are left out. */
  runDefinitions(workspaceId: string, runIds: readonly string[]): Promise<Map<string, PlaybookDefinition>>;
  /** Creates a playbook at version 1; false (and nothing written) when the key exists. */
  create(
    workspaceId: string,
    input: {
      key: string;
      origin: PlaybookOrigin;
      definition: PlaybookDefinition;
      createdBy: string | null;
      at: string;
    },
  ): Promise<boolean>;
  /** Stores the next version and makes it the latest; returns its number (null when no such playbook). */
  addVersion(
    workspaceId: string,
    key: string,
    input: { definition: PlaybookDefinition; createdBy: string | null; at: string },
  ): Promise<number | null>;
  /** Archives (a timestamp) or restores (null); false when no such playbook. */
  setArchived(workspaceId: string, key: string, archivedAt: string | null, at: string): Promise<boolean>;

  /**
   * Inserts a run unless its open key (one open run per playbook and account) or idempotency key is
   * taken; false when nothing was inserted.
   */
  insertRun(workspaceId: string, run: PlaybookRunRecord): Promise<boolean>;
  getRun(workspaceId: string, id: string): Promise<PlaybookRunRecord | null>;
  runByIdempotencyKey(workspaceId: string, key: string): Promise<PlaybookRunRecord | null>;
  /** The open (active) run of a playbook on an account, if any. */
  openRun(workspaceId: string, playbookKey: string, accountId: string): Promise<PlaybookRunRecord | null>;
  /** Updates a run; closing it (status other than active) frees its open key. */
  updateRun(workspaceId: string, id: string, patch: RunPatch, at: string): Promise<void>;
  /** Runs, newest first. */
  listRuns(workspaceId: string, query?: RunQuery): Promise<PlaybookRunRecord[]>;
  /** Runs not yet measured whose window ended on or before `day`, oldest window first. */
  dueForMeasurement(workspaceId: string, day: string, limit: number): Promise<PlaybookRunRecord[]>;
  /** Workspaces with runs whose window ended on or before `day` and that are not measured yet. */
  workspacesDueForMeasurement(day: string): Promise<string[]>;
}

const openKey = (playbookKey: string, accountId: string) => `${playbookKey}|${accountId}`;

export function createPlaybookRepository(ctx: RepositoryContext): PlaybookRepository {
  const { adapter } = ctx;
  const num = (v: number | string | null): number | null => (v === null ? null : adapter.parseNumber(v));
  const runFromRow = (r: PlaybookRunTable): PlaybookRunRecord => ({
    id: r.id,
    playbookKey: r.playbook_key,
    version: Number(r.version),
    accountId: r.account_id,
    status: r.status as RunStatus,
    holdout: adapter.decodeBoolean(r.holdout),
    source: r.source as RunSource,
    triggerAutomationId: r.trigger_automation_id,
    triggerSignalId: r.trigger_signal_id,
    idempotencyKey: r.idempotency_key,
    startedAt: r.started_at,
    startDate: r.start_date,
    windowEnd: r.window_end,
    metric: adapter.decodeJson(r.metric) as PlaybookMetric,
    startValue: num(r.start_value),
    endValue: num(r.end_value),
    measuredAt: r.measured_at,
    baseline: adapter.decodeJson(r.baseline) as RunBaseline,
    steps: adapter.decodeJson(r.steps) as RunStep[],
    snoozedUntil: r.snoozed_until,
    startedBy: r.started_by,
    completedAt: r.completed_at,
    updatedAt: r.updated_at,
  });
  const runs = () => ctx.db.selectFrom("playbook_runs").selectAll();
  const latestQuery = (workspaceId: string) =>
    ctx.db
      .selectFrom("playbooks as p")
      .innerJoin("playbook_versions as v", (j) =>
        j
          .onRef("v.workspace_id", "=", "p.workspace_id")
          .onRef("v.playbook_key", "=", "p.key")
          .onRef("v.version", "=", "p.latest_version"),
      )
      .select([
        "p.key",
        "p.latest_version",
        "p.origin",
        "p.archived_at",
        "p.created_at",
        "p.updated_at",
        "v.definition",
      ])
      .where("p.workspace_id", "=", workspaceId);
  type LatestRow = Awaited<ReturnType<ReturnType<typeof latestQuery>["execute"]>>[number];
  const playbookFromRow = (r: LatestRow): PlaybookRecord => ({
    key: r.key,
    latestVersion: Number(r.latest_version),
    origin: r.origin as PlaybookOrigin,
    archivedAt: r.archived_at,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    definition: adapter.decodeJson(r.definition) as PlaybookDefinition,
  });

  return {
    async list(workspaceId, opts = {}) {
      const rows = await latestQuery(workspaceId)
        .$if(opts.includeArchived !== true, (q) => q.where("p.archived_at", "is", null))
        .orderBy("p.key")
        .execute();
      return rows.map(playbookFromRow);
    },

    async get(workspaceId, key) {
      const row = await latestQuery(workspaceId).where("p.key", "=", key).executeTakeFirst();
      return row === undefined ? null : playbookFromRow(row);
    },

    async versions(workspaceId, key) {
      const rows = await ctx.db
        .selectFrom("playbook_versions")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("playbook_key", "=", key)
        .orderBy("version", "desc")
        .execute();
      return rows.map((r) => ({
        key: r.playbook_key,
        version: Number(r.version),
        definition: adapter.decodeJson(r.definition) as PlaybookDefinition,
        createdAt: r.created_at,
        createdBy: r.created_by,
      }));
    },

    async runDefinitions(workspaceId, runIds) {
      const out = new Map<string, PlaybookDefinition>();
      // A page of tasks names a few versions: each definition is decoded once.
      const decoded = new Map<string, PlaybookDefinition>();
      for (const chunk of chunksFor(adapter, [...new Set(runIds)], 1)) {
        if (chunk.length === 0) continue;
        const rows = await ctx.db
          .selectFrom("playbook_runs as r")
          .innerJoin("playbook_versions as v", (j) =>
            j
              .onRef("v.workspace_id", "=", "r.workspace_id")
              .onRef("v.playbook_key", "=", "r.playbook_key")
              .onRef("v.version", "=", "r.version"),
          )
          .select(["r.id", "v.playbook_key", "v.version", "v.definition"])
          .where("r.workspace_id", "=", workspaceId)
          .where("r.id", "in", chunk)
          .execute();
        for (const r of rows) {
          const key = `${r.playbook_key}@${r.version}`;
          let definition = decoded.get(key);
          if (definition === undefined) {
            definition = adapter.decodeJson(r.definition) as PlaybookDefinition;
            decoded.set(key, definition);
          }
          out.set(r.id, definition);
        }
      }
      return out;
    },

    async version(workspaceId, key, version) {
      const r = await ctx.db
        .selectFrom("playbook_versions")
        .selectAll()
        .where("workspace_id", "=", workspaceId)
        .where("playbook_key", "=", key)
        .where("version", "=", version)
        .executeTakeFirst();
      if (r === undefined) return null;
      return {
        key: r.playbook_key,
        version: Number(r.version),
        definition: adapter.decodeJson(r.definition) as PlaybookDefinition,
        createdAt: r.created_at,
        createdBy: r.created_by,
      };
    },

    create(workspaceId, input) {
      return atomically(ctx, async (db) => {
        const res = await db
          .insertInto("playbooks")
          .values({
            workspace_id: workspaceId,
            key: input.key,
            latest_version: 1,
            origin: input.origin,
            archived_at: null,
            created_at: input.at,
            updated_at: input.at,
          })
          .onConflict((oc) => oc.columns(["workspace_id", "key"]).doNothing())
          .executeTakeFirst();
        if (Number(res.numInsertedOrUpdatedRows ?? 0) === 0) return false;
        await db
          .insertInto("playbook_versions")
          .values({
            workspace_id: workspaceId,
            playbook_key: input.key,
            version: 1,
            definition: adapter.encodeJson(input.definition),
            created_at: input.at,
            created_by: input.createdBy,
          })
          .execute();
        return true;
      });
    },

    addVersion(workspaceId, key, input) {
      return atomically(ctx, async (db) => {
        // Bumping the counter first takes the row lock, so two concurrent edits get distinct versions.
        const bumped = await db
          .updateTable("playbooks")
          .set((eb) => ({ latest_version: eb("latest_version", "+", 1), updated_at: input.at }))
          .where("workspace_id", "=", workspaceId)
          .where("key", "=", key)
          .returning("latest_version")
          .executeTakeFirst();
        if (bumped === undefined) return null;
        const version = Number(bumped.latest_version);
        await db
          .insertInto("playbook_versions")
          .values({
            workspace_id: workspaceId,
            playbook_key: key,
            version,
            definition: adapter.encodeJson(input.definition),
            created_at: input.at,
            created_by: input.createdBy,
          })
          .execute();
        return version;
      });
    },

    async setArchived(workspaceId, key, archivedAt, at) {
      const res = await ctx.db
        .updateTable("playbooks")
        .set({ archived_at: archivedAt, updated_at: at })
        .where("workspace_id", "=", workspaceId)
        .where("key", "=", key)
        .executeTakeFirst();
      return Number(res.numUpdatedRows) > 0;
    },

    async insertRun(workspaceId, run) {
      const res = await ctx.db
        .insertInto("playbook_runs")
        .values({
          workspace_id: workspaceId,
          id: run.id,
          playbook_key: run.playbookKey,
          version: run.version,
          account_id: run.accountId,
          status: run.status,
          holdout: adapter.encodeBoolean(run.holdout),
          source: run.source,
          trigger_automation_id: run.triggerAutomationId,
          trigger_signal_id: run.triggerSignalId,
          idempotency_key: run.idempotencyKey,
          open_key: run.status === "active" ? openKey(run.playbookKey, run.accountId) : null,
          started_at: run.startedAt,
          start_date: run.startDate,
          window_end: run.windowEnd,
          metric: adapter.encodeJson(run.metric),
          start_value: run.startValue,
          end_value: run.endValue,
          measured_at: run.measuredAt,
          baseline: adapter.encodeJson(run.baseline),
          steps: adapter.encodeJson(run.steps),
          snoozed_until: run.snoozedUntil,
          started_by: run.startedBy,
          completed_at: run.completedAt,
          updated_at: run.updatedAt,
        })
        .onConflict((oc) => oc.doNothing())
        .executeTakeFirst();
      return Number(res.numInsertedOrUpdatedRows ?? 0) > 0;
    },

    async getRun(workspaceId, id) {
      const r = await runs().where("workspace_id", "=", workspaceId).where("id", "=", id).executeTakeFirst();
      return r === undefined ? null : runFromRow(r);
    },

    async runByIdempotencyKey(workspaceId, key) {
      const r = await runs()
        .where("workspace_id", "=", workspaceId)
        .where("idempotency_key", "=", key)
        .executeTakeFirst();
      return r === undefined ? null : runFromRow(r);
    },

    async openRun(workspaceId, playbookKey, accountId) {
      const r = await runs()
        .where("workspace_id", "=", workspaceId)
        .where("open_key", "=", openKey(playbookKey, accountId))
        .executeTakeFirst();
      return r === undefined ? null : runFromRow(r);
    },

    async updateRun(workspaceId, id, patch, at) {
      const set: Partial<PlaybookRunTable> = { updated_at: at };
      if (patch.status !== undefined) {
        set.status = patch.status;
        if (patch.status !== "active") set.open_key = null;
      }
      if (patch.endValue !== undefined) set.end_value = patch.endValue;
      if (patch.measuredAt !== undefined) set.measured_at = patch.measuredAt;
      if (patch.steps !== undefined) set.steps = adapter.encodeJson(patch.steps);
      if (patch.snoozedUntil !== undefined) set.snoozed_until = patch.snoozedUntil;
      if (patch.completedAt !== undefined) set.completed_at = patch.completedAt;
      if (patch.windowEnd !== undefined) set.window_end = patch.windowEnd;
      if (patch.startDate !== undefined) set.start_date = patch.startDate;
      await ctx.db
        .updateTable("playbook_runs")
        .set(set)
        .where("workspace_id", "=", workspaceId)
        .where("id", "=", id)
        .execute();
    },

    async listRuns(workspaceId, query = {}) {
      const rows = await runs()
        .where("workspace_id", "=", workspaceId)
        .$if(query.playbookKey !== undefined, (q) => q.where("playbook_key", "=", query.playbookKey ?? ""))
        .$if(query.accountId !== undefined, (q) => q.where("account_id", "=", query.accountId ?? ""))
        .$if(query.status !== undefined, (q) => q.where("status", "=", query.status ?? "active"))
        .$if(query.ownerId !== undefined, (q) =>
          q.where("account_id", "in", (eb) =>
            eb
              .selectFrom("accounts")
              .select("accounts.id")
              .where("accounts.workspace_id", "=", workspaceId)
              .where("accounts.owner_id", "=", query.ownerId ?? ""),
          ),
        )
        .orderBy("started_at", "desc")
        .orderBy("id", "desc")
        .$if(query.limit !== undefined, (q) => q.limit(query.limit ?? 0))
        .execute();
      return rows.map(runFromRow);
    },

    async dueForMeasurement(workspaceId, day, limit) {
      const rows = await runs()
        .where("workspace_id", "=", workspaceId)
        .where("measured_at", "is", null)
        .where("window_end", "<=", day)
        .orderBy("window_end")
        .orderBy("id")
        .limit(limit)
        .execute();
      return rows.map(runFromRow);
    },

    async workspacesDueForMeasurement(day) {
      const rows = await ctx.db
        .selectFrom("playbook_runs")
        .select("workspace_id")
        .distinct()
        .where("measured_at", "is", null)
        .where("window_end", "<=", day)
        .execute();
      return rows.map((r) => r.workspace_id);
    },
  };
}
