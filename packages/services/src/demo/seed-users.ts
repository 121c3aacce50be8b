import type { Storage } from "@tenure/storage";

/** The demo admin: no password, signed in only by the demo's one-click `POST /api/auth/demo`. */
export const DEMO_ADMIN_EMAIL = "demo@tenure.local";

/**
 * The demo's users (idempotent): the admin, plus for each demo team its first member as a manager and
 * its second as a CSM, linked to those team members so that their role and book show. None of them
 * has a password: outside demo mode nobody can sign in as them.
 */
export async function seedDemoUsers(storage: Storage, ws: string): Promise<{ users: number }> {
  const ensure = async (email: string, name: string) =>
    (await storage.users.findByEmail(email)) ?? (await storage.users.insertWithoutPassword({ email, name }));
  const admin = await ensure(DEMO_ADMIN_EMAIL, "Demo Admin");
  await storage.memberships.put(ws, admin.id, { role: "admin", memberId: null });
  let users = 1;
  const members = (await storage.team.listMembers(ws)).filter((m) => m.active);
  const teams = [...new Set(members.map((m) => m.teamId).filter((t): t is string => t !== null))].sort();
  for (const team of teams) {
    const [manager, csm] = members.filter((m) => m.teamId === team).sort((a, b) => (a.id < b.id ? -1 : 1));
    for (const [member, role] of [
      [manager, "manager"],
      [csm, "csm"],
    ] as const) {
      if (member === undefined) continue;
      const user = await ensure(member.email, member.name);
      await storage.memberships.put(ws, user.id, { role, memberId: member.id });
      users++;
    }
  }
  return { users };
}
