import { openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DEMO_ADMIN_EMAIL, seedDemoUsers } from "./seed-users";

const WS = "demo";
const member = (id: string, teamId: string) => ({
  id,
  name: id,
  email: `${id}@lumenary.example`,
  teamId,
  role: "CSM",
  capacity: null,
  active: true,
  deactivatedAt: null,
  successorId: null,
});

describe.each(testDialects())("demo users on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    await t.storage.workspaces.ensure(WS, "Demo");
    await t.storage.team.upsertTeams(WS, [
      { id: "enterprise", name: "Enterprise", kind: "high_touch" },
      { id: "smb", name: "SMB", kind: "tech_touch" },
    ]);
    await t.storage.team.upsertMembers(WS, [
      member("csm-a", "enterprise"),
      member("csm-b", "enterprise"),
      member("csm-c", "enterprise"),
      member("csm-d", "smb"),
    ]);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("should seed the demo admin and a manager and a CSM per team, linked to their members, once", async () => {
    expect(await seedDemoUsers(t.storage, WS)).toEqual({ users: 4 });
    expect(await seedDemoUsers(t.storage, WS)).toEqual({ users: 4 });
    const users = await t.storage.memberships.listUsers(WS);
    expect(users.map((u) => [u.email, u.role, u.memberId])).toEqual([
      ["csm-a@lumenary.example", "manager", "csm-a"],
      ["csm-b@lumenary.example", "csm", "csm-b"],
      ["csm-d@lumenary.example", "manager", "csm-d"],
      [DEMO_ADMIN_EMAIL, "admin", null],
    ]);
    // No credential: nobody signs in as a demo user with a password.
    const credentials = await t.storage.kysely.selectFrom("auth_accounts").selectAll().execute();
    expect(credentials).toEqual([]);
  });
});
