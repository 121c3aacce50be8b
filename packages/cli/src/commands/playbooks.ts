import { TenureError } from "@tenure/core";
import { getPlaybook, listPlaybookRuns, listPlaybooks, startRun, type TenureConfig } from "@tenure/services";
import type { Storage } from "@tenure/storage";
import { today } from "../context";
import { type Io, renderTable, writeLine } from "../output";

const nameOf = (text: { en?: string; "zh-CN"?: string }) => text.en ?? text["zh-CN"] ?? "";

/** `tenure playbooks list`: the library, each playbook's latest version (JSON: {playbooks}). */
export async function playbooksListCommand(
  storage: Storage,
  args: { workspaceId: string; archived: boolean; json: boolean },
  io: Io,
): Promise<number> {
  const playbooks = await listPlaybooks(storage, args.workspaceId, { includeArchived: args.archived });
  if (args.json) {
    writeLine(io.out, JSON.stringify({ playbooks }));
    return 0;
  }
  const runs = await listPlaybookRuns(
    storage,
    args.workspaceId,
    { status: "active", limit: 100_000 },
    today(),
  );
  const active = new Map<string, number>();
  for (const r of runs) active.set(r.playbookKey, (active.get(r.playbookKey) ?? 0) + 1);
  writeLine(
    io.out,
    renderTable({
      title: "Playbooks",
      columns: ["key", "name", "version", "steps", "metric", "window (days)", "active runs"],
      rows: playbooks.map((p) => [
        p.archivedAt === null ? p.key : `${p.key} (archived)`,
        nameOf(p.definition.name),
        p.latestVersion,
        p.definition.steps.length,
        p.definition.metric.kind === "feature_weekly_use"
          ? `feature_weekly_use:${p.definition.metric.feature}`
          : p.definition.metric.kind,
        p.definition.windowDays,
        active.get(p.key) ?? 0,
      ]),
    }),
  );
  return 0;
}

/** `tenure playbooks show KEY`: the playbook, its versions and its runs (JSON: {playbook, versions, runs}). */
export async function playbooksShowCommand(
  storage: Storage,
  args: { workspaceId: string; key: string; json: boolean },
  io: Io,
): Promise<number> {
  const detail = await getPlaybook(storage, args.workspaceId, args.key);
  const runs = await listPlaybookRuns(storage, args.workspaceId, { playbookKey: args.key }, today());
  if (args.json) {
    writeLine(io.out, JSON.stringify({ ...detail, runs }));
    return 0;
  }
  const def = detail.playbook.definition;
  writeLine(io.out, `${nameOf(def.name)} (${detail.playbook.key}, version ${detail.playbook.latestVersion})`);
  if (nameOf(def.description)) writeLine(io.out, nameOf(def.description));
  writeLine(
    io.out,
    renderTable({
      title: "Steps",
      columns: ["#", "due (days)", "owner", "step", "action"],
      rows: def.steps.map((s, i) => [
        i + 1,
        s.dueOffsetDays,
        s.owner.kind === "role" ? `role: ${s.owner.role}` : s.owner.kind,
        nameOf(s.title),
        s.action === null ? null : s.action.type,
      ]),
    }),
  );
  writeLine(
    io.out,
    `Runs: ${runs.length} (${runs.filter((r) => r.status === "active").length} active, ${runs.filter((r) => r.holdout).length} hold-out)`,
  );
  return 0;
}

/** `tenure playbooks run KEY --account ID`: starts a run (or shows the open one) (JSON: {run, created}). */
export async function playbooksRunCommand(
  storage: Storage,
  config: TenureConfig,
  args: { workspaceId: string; key: string; account?: string; holdout: boolean; json: boolean },
  io: Io,
): Promise<number> {
  if (args.account === undefined || args.account.trim() === "")
    throw new TenureError(
      "validation",
      "--account is required: the id of the account to run the playbook on",
    );
  const { run, created } = await startRun(
    { storage, reportingCurrency: config.reportingCurrency },
    args.workspaceId,
    { playbookKey: args.key, accountId: args.account, holdout: args.holdout, source: "manual" },
  );
  if (args.json) writeLine(io.out, JSON.stringify({ run, created }));
  else
    writeLine(
      io.out,
      created
        ? `Started ${args.key} on ${run.accountId}: ${run.steps.length} tasks, metric ${run.metric.kind} = ${run.startValue ?? "–"} now, judged on ${run.windowEnd} (run ${run.id})`
        : `${args.key} already has an open run on ${run.accountId} (run ${run.id}, started ${run.startDate})`,
    );
  return 0;
}
