import { TenureError } from "@tenure/core";
import {
  deactivateMember,
  listMembers,
  listTeams,
  type OwnerTarget,
  reassignBook,
  saveMember,
  setAccountOwners,
  workload,
} from "@tenure/services";
import type { MemberRecord, Storage } from "@tenure/storage";
import { today } from "../context";
import { type Io, writeLine } from "../output";

const money = (v: number) => Math.round(v).toLocaleString("en-US");

/** A member named by id, email or name (any case); inactive ones too. A clear error when none or two. */
export async function findMember(storage: Storage, ws: string, ref: string): Promise<MemberRecord> {
  const key = ref.trim().toLowerCase();
  const members = await storage.team.listMembers(ws);
  const exact = members.find((m) => m.id.toLowerCase() === key || m.email.toLowerCase() === key);
  if (exact !== undefined) return exact;
  const named = members.filter((m) => m.name.toLowerCase() === key);
  if (named.length === 1 && named[0] !== undefined) return named[0];
  if (named.length > 1)
    throw new TenureError(
      "validation",
      `"${ref}" is the name of ${named.length} members; use their email or id`,
    );
  throw new TenureError("validation", `no team member "${ref}" (tenure team list shows them)`);
}

/** `--to MEMBER` or `--pool TEAM` as an owner target. */
async function targetOf(
  storage: Storage,
  ws: string,
  o: { to?: string; pool?: string },
): Promise<OwnerTarget> {
  if ((o.to === undefined) === (o.pool === undefined))
    throw new TenureError("validation", "give exactly one of --to <member> or --pool <team>");
  return o.to !== undefined
    ? { memberId: (await findMember(storage, ws, o.to)).id }
    : { poolTeamId: o.pool ?? null };
}

/** `tenure team list [--json]`: teams, then members with team, role, capacity and accounts owned. */
export async function teamListCommand(
  storage: Storage,
  args: { workspaceId: string; json: boolean },
  io: Io,
) {
  const [teams, members] = await Promise.all([
    listTeams(storage, args.workspaceId),
    listMembers(storage, args.workspaceId),
  ]);
  if (args.json) {
    writeLine(io.out, JSON.stringify({ teams, members }));
    return 0;
  }
  for (const t of teams) {
    const inTeam = members.filter((m) => m.teamId === t.id);
    writeLine(io.out, `${t.name} (${t.id}, ${t.kind}): ${inTeam.filter((m) => m.active).length} active`);
  }
  for (const m of members)
    writeLine(
      io.out,
      `  ${m.id.padEnd(24)} ${m.name.padEnd(24)} ${(m.teamName ?? "–").padEnd(20)} ${String(m.accounts).padStart(4)}/${m.capacity ?? "–"} accounts${m.active ? "" : "  (inactive)"}`,
    );
  return 0;
}

/** `tenure team add --name N --email E [--team T --role R --capacity C --id ID]`: adds or edits a member. */
export async function teamAddCommand(
  storage: Storage,
  args: {
    workspaceId: string;
    name: string;
    email: string;
    team?: string;
    role?: string;
    capacity?: number;
    id?: string;
    json: boolean;
  },
  io: Io,
) {
  const m = await saveMember(storage, args.workspaceId, {
    id: args.id,
    name: args.name,
    email: args.email,
    teamId: args.team ?? null,
    role: args.role ?? null,
    capacity: args.capacity ?? null,
  });
  writeLine(io.out, args.json ? JSON.stringify(m) : `Saved ${m.name} (${m.id}).`);
  return 0;
}

/**
 * `tenure team deactivate MEMBER [--successor MEMBER] [--json]`: the member's open tasks and accounts go
 * to the successor, or back to their team's pool without one.
 */
export async function teamDeactivateCommand(
  storage: Storage,
  args: { workspaceId: string; member: string; successor?: string; json: boolean },
  io: Io,
) {
  const ws = args.workspaceId;
  const member = await findMember(storage, ws, args.member);
  const successor = args.successor === undefined ? null : await findMember(storage, ws, args.successor);
  const res = await deactivateMember(storage, ws, {
    id: member.id,
    successorId: successor?.id ?? null,
    at: new Date(),
  });
  if (args.json) writeLine(io.out, JSON.stringify(res));
  else
    writeLine(
      io.out,
      `${member.name} deactivated: ${res.tasksMoved} open task(s) and ${res.accountsMoved.length} account(s) went to ${successor?.name ?? "the team's pool"}.`,
    );
  return 0;
}

/** `tenure team reassign FROM (--to MEMBER | --pool TEAM) [--json]`: moves a member's whole book. */
export async function teamReassignCommand(
  storage: Storage,
  args: { workspaceId: string; from: string; to?: string; pool?: string; json: boolean },
  io: Io,
) {
  const ws = args.workspaceId;
  const from = await findMember(storage, ws, args.from);
  const moved = await reassignBook(storage, ws, from.id, await targetOf(storage, ws, args));
  writeLine(
    io.out,
    args.json ? JSON.stringify({ accountIds: moved }) : `Moved ${moved.length} account(s) from ${from.name}.`,
  );
  return 0;
}

/** `tenure team owner ACCOUNT... (--to MEMBER | --pool TEAM)`: sets the owner of accounts. */
export async function teamOwnerCommand(
  storage: Storage,
  args: { workspaceId: string; accounts: string[]; to?: string; pool?: string; json: boolean },
  io: Io,
) {
  const ws = args.workspaceId;
  const changed = await setAccountOwners(storage, ws, args.accounts, await targetOf(storage, ws, args));
  writeLine(io.out, args.json ? JSON.stringify({ changed }) : `${changed} account(s) changed owner.`);
  return 0;
}

/** `tenure team workload [--as-of DATE] [--json]`: accounts, ARR and tasks per CSM against capacity. */
export async function teamWorkloadCommand(
  storage: Storage,
  reportingCurrency: string,
  args: { workspaceId: string; json: boolean },
  io: Io,
) {
  const w = await workload(storage, args.workspaceId, { asOf: today(), reportingCurrency });
  if (args.json) {
    writeLine(io.out, JSON.stringify(w));
    return 0;
  }
  writeLine(io.out, `Workload on ${w.asOf} (ARR in ${w.reportingCurrency})`);
  for (const m of w.members)
    writeLine(
      io.out,
      `  ${m.name.padEnd(24)} ${String(m.accounts).padStart(4)}/${String(m.capacity ?? "–").padEnd(4)} accounts  ARR ${money(m.arr).padStart(12)}  open ${String(m.openTasks).padStart(4)}  overdue ${m.overdueTasks}`,
    );
  for (const p of w.pools)
    writeLine(
      io.out,
      `  pool ${p.teamName.padEnd(19)} ${String(p.accounts).padStart(4)} accounts  ARR ${money(p.arr).padStart(12)}  open ${p.openTasks}`,
    );
  return 0;
}
