import type { LocalizedText, PlaybookDefinition, StepOwner, TextLocale } from "@tenure/core";
import type { MemberRecord, PlaybookRunRecord, StorageTransaction, TaskRecord } from "@tenure/storage";

/** Text in `locale`, else in the other language (a team's playbook may have only one). */
export function localized(text: LocalizedText, locale: TextLocale): string {
  return text[locale] ?? text.en ?? text["zh-CN"] ?? "";
}

/** Who a step's task goes to: a member, or a team's pool (both null: the workspace's unassigned list). */
interface Assignee {
  assigneeId: string | null;
  teamId: string | null;
}

/**
 * Picks the assignee of a step: the account's owner; the owner's team pool; or, for a role label, the
 * active member holding that role (case-insensitive) with the fewest open tasks, preferring the owner's
 * team, else the pool.
 */
function assign(
  owner: StepOwner,
  account: { ownerId: string | null; teamId: string | null },
  members: readonly MemberRecord[],
  openLoad: ReadonlyMap<string, number>,
  teams: ReadonlyMap<string, string>,
): Assignee {
  if (owner.kind === "account_owner") {
    if (account.ownerId !== null) return { assigneeId: account.ownerId, teamId: account.teamId };
    return { assigneeId: null, teamId: account.teamId };
  }
  if (owner.kind === "team_pool") {
    const named = owner.team === undefined ? undefined : teams.get(owner.team.toLowerCase());
    return { assigneeId: null, teamId: named ?? account.teamId };
  }
  const want = owner.role.trim().toLowerCase();
  const holders = members.filter((m) => m.active && m.role?.trim().toLowerCase() === want);
  const inTeam = holders.filter((m) => m.teamId === account.teamId);
  const pool = inTeam.length > 0 ? inTeam : holders;
  let best: MemberRecord | null = null;
  for (const m of pool) {
    if (best === null || (openLoad.get(m.id) ?? 0) < (openLoad.get(best.id) ?? 0)) best = m;
  }
  if (best === null) return { assigneeId: null, teamId: account.teamId };
  return { assigneeId: best.id, teamId: best.teamId };
}

/**
 * Creates one task per step of a run in the caller's transaction (linked to the run, its step, signal
 * and automation), each with a dedupe key of the run and step so a retried start never doubles them.
 * Returns the task ids by step index.
 */
export async function createStepTasks(
  tx: StorageTransaction,
  ws: string,
  run: PlaybookRunRecord,
  def: PlaybookDefinition,
  opts: { locale: TextLocale; at: string; today: string },
): Promise<Map<number, string>> {
  const [ownership] = await tx.team.ownership(ws, [run.accountId]);
  const account = { ownerId: ownership?.ownerId ?? null, teamId: ownership?.teamId ?? null };
  const needsRoles = def.steps.some((s) => s.owner.kind === "role");
  const needsTeams = def.steps.some((s) => s.owner.kind === "team_pool" && s.owner.team !== undefined);
  const members = needsRoles ? await tx.team.listMembers(ws) : [];
  const openLoad = new Map<string, number>();
  if (needsRoles)
    for (const l of await tx.tasks.loadByAssignee(ws, opts.today)) openLoad.set(l.assigneeId, l.open);
  const teams = new Map<string, string>();
  if (needsTeams) for (const t of await tx.team.listTeams(ws)) teams.set(t.name.toLowerCase(), t.id);
  const tasks: TaskRecord[] = [];
  for (const s of run.steps) {
    const step = def.steps[s.index];
    if (step === undefined) continue;
    const who = assign(step.owner, account, members, openLoad, teams);
    if (who.assigneeId !== null) openLoad.set(who.assigneeId, (openLoad.get(who.assigneeId) ?? 0) + 1);
    tasks.push({
      id: `${run.id}-s${s.index}`,
      accountId: run.accountId,
      title: localized(step.title, opts.locale),
      description: localized(step.instructions, opts.locale) || null,
      status: "open",
      priority: "normal",
      assigneeId: who.assigneeId,
      teamId: who.teamId,
      dueDate: s.dueDate,
      signalId: run.triggerSignalId,
      automationId: run.triggerAutomationId,
      playbookRunId: run.id,
      playbookStep: s.index,
      outcome: null,
      dedupeKey: `playbook-run:${run.id}:${s.index}`,
      createdBy: run.startedBy,
      closedBy: null,
      createdAt: opts.at,
      updatedAt: opts.at,
      completedAt: null,
    });
  }
  await tx.tasks.insertMany(ws, tasks);
  return new Map(tasks.map((t) => [t.playbookStep ?? -1, t.id]));
}
