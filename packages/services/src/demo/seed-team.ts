import type { Account } from "@tenure/core";
import type { MemberInput, Storage } from "@tenure/storage";
import { closeTask, createTask } from "../tasks/task-service";
import { slugId } from "../team/team-service";
import { deriveSeed, Rng } from "./prng";
import { CSM_NAMES, FIRST_NAMES, LAST_NAMES } from "./word-lists";

/** A stream of its own, so the team never shifts a draw of the generator (other tests pin its figures). */
const TEAM_STREAM = 0x7ea4;

/** Accounts per CSM the demo aims at (seed 004: one CSM looks after about 50 customers). */
export const DEMO_BOOK_SIZE = 50;

const TEAMS = [
  {
    id: "enterprise",
    name: "High-touch enterprise",
    kind: "high_touch",
    tier: "enterprise",
    named: CSM_NAMES.slice(0, 4),
  },
  {
    id: "mid-market",
    name: "Mid-market",
    kind: "mid_market",
    tier: "mid-market",
    named: CSM_NAMES.slice(4, 8),
  },
  {
    id: "tech-touch",
    name: "Tech-touch pool",
    kind: "tech_touch",
    tier: "smb",
    named: [] as readonly string[],
  },
] as const;

const ROLES: Record<string, string> = {
  high_touch: "Enterprise CSM",
  mid_market: "CSM",
  tech_touch: "Scaled CSM",
};

export interface SeedTeamResult {
  teams: number;
  members: number;
  ownedAccounts: number;
  tasks: number;
}

/** FNV-1a of a member id: which of their accounts gets the demo tasks, without a draw. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) h = Math.imul(h ^ text.charCodeAt(i), 0x01000193) >>> 0;
  return h;
}

/**
 * The demo's customer-success team: three teams (high-touch enterprise, mid-market, a tech-touch pool)
 * of about one CSM per 50 accounts of their tier (~45 for the default 2,400 accounts). The generator's
 * named CSMs keep up to 50 of the accounts they owned; the rest of each tier fills the smallest books. Each CSM also gets a couple of manual tasks, one done and one open.
 */
export async function seedDemoTeam(
  storage: Storage,
  ws: string,
  accounts: readonly Account[],
  opts: { seed: number; asOf: string },
): Promise<SeedTeamResult> {
  const rng = new Rng(deriveSeed(opts.seed, TEAM_STREAM));
  const members: (MemberInput & { tier: string })[] = [];
  const usedNames = new Set<string>(CSM_NAMES);
  for (const team of TEAMS) {
    const inTier = accounts.filter((a) => a.tier === team.tier).length;
    const count = Math.max(team.named.length, 2, Math.round(inTier / DEMO_BOOK_SIZE));
    for (let i = 0; i < count; i++) {
      let name = team.named[i];
      while (name === undefined || (i >= team.named.length && usedNames.has(name)))
        name = `${rng.pick(FIRST_NAMES)} ${rng.pick(LAST_NAMES)}`;
      usedNames.add(name);
      const id = `csm-${slugId(name)}`;
      members.push({
        id,
        name,
        email: `${slugId(name).replace(/-/g, ".")}@lumenary.example`,
        teamId: team.id,
        role: ROLES[team.kind] ?? "CSM",
        capacity: DEMO_BOOK_SIZE + 5 * rng.int(-2, 2),
        active: true,
        deactivatedAt: null,
        successorId: null,
        tier: team.tier,
      });
    }
  }
  await storage.team.upsertTeams(
    ws,
    TEAMS.map(({ id, name, kind }) => ({ id, name, kind })),
  );
  await storage.team.upsertMembers(
    ws,
    members.map(({ tier: _tier, ...m }) => m),
  );

  // Named CSMs keep their accounts up to a full book; the rest is spread below.
  const books = new Map<string, string[]>(members.map((m) => [m.id, []]));
  const byName = new Map(members.map((m) => [m.name, m]));
  const sorted = [...accounts].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const rest: Account[] = [];
  for (const a of sorted) {
    const named = a.owner === null ? undefined : byName.get(a.owner);
    const book = named === undefined || named.tier !== a.tier ? undefined : books.get(named.id);
    if (book !== undefined && book.length < DEMO_BOOK_SIZE) book.push(a.id);
    else rest.push(a);
  }
  // The rest fills the smallest books of the tier's team first (ties: the first member), so books even out.
  for (const a of rest) {
    let smallest: string | undefined;
    for (const m of members) {
      if (m.tier !== a.tier) continue;
      if (smallest === undefined || (books.get(m.id)?.length ?? 0) < (books.get(smallest)?.length ?? 0))
        smallest = m.id;
    }
    if (smallest !== undefined) books.get(smallest)?.push(a.id);
  }
  let owned = 0;
  for (const m of members) {
    const ids = books.get(m.id) ?? [];
    owned += await storage.team.assignAccounts(ws, ids, {
      ownerId: m.id,
      ownerName: m.name,
      teamId: m.teamId,
    });
  }

  // A few manual tasks per CSM (playbook runs and automations add the rest of the work lists).
  const at = new Date(`${opts.asOf}T09:00:00Z`);
  const day = (n: number) => new Date(at.getTime() + n * 86_400_000).toISOString().slice(0, 10);
  let tasks = 0;
  for (const m of members) {
    const book = books.get(m.id) ?? [];
    const first = book[hash(m.id) % Math.max(1, book.length)];
    const second = book[(hash(m.id) + 7) % Math.max(1, book.length)];
    if (first === undefined || second === undefined) continue;
    const assign = { strategy: "member" as const, memberId: m.id };
    const acting = { actorId: m.id, at: new Date(at.getTime() - 10 * 86_400_000), today: day(-10) };
    const done = await createTask(
      storage,
      ws,
      {
        accountId: first,
        title: "Check in after the last release",
        dueDate: day(-4),
        assign,
        dedupeKey: `demo:${m.id}:check-in`,
      },
      acting,
    );
    if (done.created)
      await closeTask(
        storage,
        ws,
        done.task.id,
        { status: "done", outcome: "Walked them through the release notes." },
        {
          actorId: m.id,
          at: new Date(at.getTime() - 5 * 86_400_000),
        },
      );
    await createTask(
      storage,
      ws,
      {
        accountId: second,
        title: "Prepare the account plan review",
        description: "Review goals, usage and open risks before the next call.",
        dueDate: day(rng.int(-3, 10)),
        priority: rng.chance(0.2) ? "high" : "normal",
        assign,
        dedupeKey: `demo:${m.id}:plan-review`,
      },
      acting,
    );
    tasks += 2;
  }
  return { teams: TEAMS.length, members: members.length, ownedAccounts: owned, tasks };
}
