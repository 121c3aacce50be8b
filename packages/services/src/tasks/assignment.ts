import { TenureError } from "@tenure/core";
import type { MemberRecord, StorageTransaction } from "@tenure/storage";

/**
 * How a task finds its assignee: the account's owner, the next member of a team in turn, the team member
 * with the fewest open tasks, a named member, or a team's pool (no one yet).
 */
export type Assignment =
  | { strategy: "owner" }
  | { strategy: "round_robin"; teamId: string }
  | { strategy: "least_loaded"; teamId: string }
  | { strategy: "member"; memberId: string }
  | { strategy: "pool"; teamId: string };

export const ASSIGNMENT_STRATEGIES = ["owner", "round_robin", "least_loaded", "member", "pool"] as const;

/** Where a task lands: a member (and the team it counts for) or a team's pool (assignee null). */
export interface Assignee {
  assigneeId: string | null;
  teamId: string | null;
}

const byId = (a: MemberRecord, b: MemberRecord) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

async function activeMembersOf(tx: StorageTransaction, ws: string, teamId: string): Promise<MemberRecord[]> {
  if ((await tx.team.getTeam(ws, teamId)) === null)
    throw new TenureError("validation", `assign.teamId: no team "${teamId}"`, { field: "assign.teamId" });
  return (await tx.team.listMembers(ws)).filter((m) => m.teamId === teamId && m.active).sort(byId);
}

/**
 * Resolves an assignment for a task on `accountId` inside the task's transaction (round-robin moves the
 * team's turn in the same transaction, so a rolled-back task does not skip anyone). A team with no active
 * member, or an account with no owner, leaves the task in the team's pool.
 */
export async function resolveAssignment(
  tx: StorageTransaction,
  ws: string,
  accountId: string,
  assign: Assignment,
  today: string,
): Promise<Assignee> {
  switch (assign.strategy) {
    case "member": {
      const m = await tx.team.getMember(ws, assign.memberId);
      if (m === null || !m.active)
        throw new TenureError("validation", `assign.memberId: no active team member "${assign.memberId}"`, {
          field: "assign.memberId",
        });
      return { assigneeId: m.id, teamId: m.teamId };
    }
    case "pool":
      await activeMembersOf(tx, ws, assign.teamId);
      return { assigneeId: null, teamId: assign.teamId };
    case "owner": {
      const [own] = await tx.team.ownership(ws, [accountId]);
      if (own?.ownerId != null) {
        const m = await tx.team.getMember(ws, own.ownerId);
        if (m?.active) return { assigneeId: m.id, teamId: m.teamId };
      }
      return { assigneeId: null, teamId: own?.teamId ?? null };
    }
    case "round_robin": {
      const members = await activeMembersOf(tx, ws, assign.teamId);
      const first = members[0];
      if (first === undefined) return { assigneeId: null, teamId: assign.teamId };
      const team = await tx.team.getTeam(ws, assign.teamId);
      const last = team?.roundRobinMemberId ?? null;
      // The first member after the last one served, in id order (members who left are simply passed).
      const next = (last === null ? undefined : members.find((m) => m.id > last)) ?? first;
      await tx.team.setRoundRobin(ws, assign.teamId, next.id);
      return { assigneeId: next.id, teamId: assign.teamId };
    }
    case "least_loaded": {
      const members = await activeMembersOf(tx, ws, assign.teamId);
      if (members.length === 0) return { assigneeId: null, teamId: assign.teamId };
      const loads = new Map((await tx.tasks.loadByAssignee(ws, today)).map((l) => [l.assigneeId, l.open]));
      let best: MemberRecord | undefined;
      for (const m of members) {
        if (best === undefined || (loads.get(m.id) ?? 0) < (loads.get(best.id) ?? 0)) best = m;
      }
      const chosen = best as MemberRecord;
      return { assigneeId: chosen.id, teamId: assign.teamId };
    }
  }
}
