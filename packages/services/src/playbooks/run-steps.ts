import type { LocalizedText, PlaybookDefinition, StepOwner, TextLocale } from "@tenure/core";
import type { MemberRecord, PlaybookRunRecord, StorageTransaction } from "@tenure/storage";
import type { Assignment } from "../tasks/assignment";
import { createTask } from "../tasks/task-service";

/** Text in `locale`, else in the other language (a team's playbook may have only one). */
export function localized(text: LocalizedText, locale: TextLocale): string {
  return text[locale] ?? text.en ?? text["zh-CN"] ?? "";
}

/**
 * How a step's task is assigned: to the account's owner; to a named team's pool or the account's team
 * pool; for a role label, to the active member holding it (case-insensitive) with the fewest open
 * tasks, preferring the account's team (the owner's assignment when nobody holds it).
 */
function assignmentOf(
  owner: StepOwner,
  accountTeam: string | null,
  members: readonly MemberRecord[],
  openLoad: Map<string, number>,
  teams: ReadonlyMap<string, string>,
): Assignment {
  if (owner.kind === "account_owner") return { strategy: "owner" };
  if (owner.kind === "team_pool") {
    const teamId =
      (owner.team === undefined ? undefined : teams.get(owner.team.toLowerCase())) ?? accountTeam;
    return teamId === null ? { strategy: "owner" } : { strategy: "pool", teamId };
  }
  const want = owner.role.trim().toLowerCase();
  const holders = members.filter((m) => m.active && m.role?.trim().toLowerCase() === want);
  const inTeam = holders.filter((m) => m.teamId === accountTeam);
  let best: MemberRecord | null = null;
  for (const m of inTeam.length > 0 ? inTeam : holders) {
    if (best === null || (openLoad.get(m.id) ?? 0) < (openLoad.get(best.id) ?? 0)) best = m;
  }
  if (best === null) return { strategy: "owner" };
  openLoad.set(best.id, (openLoad.get(best.id) ?? 0) + 1);
  return { strategy: "member", memberId: best.id };
}

/**
 * Creates one task per step of a run through the task service, in the caller's transaction (linked to
 * the run, its step, signal and automation, on the account's timeline), each with a dedupe key of the
 * run and step so a retried start never doubles them. Returns the task ids by step index.
 */
export async function createStepTasks(
  tx: StorageTransaction,
  ws: string,
  run: PlaybookRunRecord,
  def: PlaybookDefinition,
  opts: { locale: TextLocale; at: string; today: string },
): Promise<Map<number, string>> {
  const [ownership] = await tx.team.ownership(ws, [run.accountId]);
  const accountTeam = ownership?.teamId ?? null;
  const needsRoles = def.steps.some((s) => s.owner.kind === "role");
  const needsTeams = def.steps.some((s) => s.owner.kind === "team_pool" && s.owner.team !== undefined);
  const members = needsRoles ? await tx.team.listMembers(ws) : [];
  const openLoad = new Map<string, number>();
  if (needsRoles)
    for (const l of await tx.tasks.loadByAssignee(ws, opts.today)) openLoad.set(l.assigneeId, l.open);
  const teams = new Map<string, string>();
  if (needsTeams) for (const t of await tx.team.listTeams(ws)) teams.set(t.name.toLowerCase(), t.id);
  const acting = { actorId: run.startedBy, at: new Date(opts.at) };
  const ids = new Map<number, string>();
  for (const s of run.steps) {
    const step = def.steps[s.index];
    if (step === undefined) continue;
    const { task } = await createTask(
      tx,
      ws,
      {
        accountId: run.accountId,
        title: localized(step.title, opts.locale),
        description: localized(step.instructions, opts.locale) || null,
        dueDate: s.dueDate,
        signalId: run.triggerSignalId,
        automationId: run.triggerAutomationId,
        playbookRunId: run.id,
        playbookStep: s.index,
        dedupeKey: `playbook-run:${run.id}:${s.index}`,
        assign: assignmentOf(step.owner, accountTeam, members, openLoad, teams),
      },
      acting,
    );
    ids.set(s.index, task.id);
  }
  return ids;
}
