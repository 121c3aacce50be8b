import type { Role } from "@tenure/core";
import { seedDemo } from "@tenure/services";
import { openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROUTE_RULES } from "../src/access/index";
import { createApp } from "../src/app";
import { createUserAdmin } from "../src/identity/user-admin";
import { CALLERS, type Caller } from "./support/credentials";
import { allowed, servedRoutes, urlOf } from "./support/route-walk";

/**
 * Issue 16 §2 over real credentials: every route × every caller, generated from the route table as in
 * route-access.test.ts, but the four roles are users signed in through `POST /api/auth/sign-in/email`
 * (their session cookie, their membership, the CSM's and manager's team member) and the keys are real
 * API keys, on SQLite and PostgreSQL. One app and one set of users per database.
 */
const WS = "a";
const TODAY = "2026-11-15";
const ORIGIN = "http://localhost";

describe.each(testDialects())("route × role access over real sessions and keys on %s", (dialect) => {
  let db: TestStorage;
  let app: ReturnType<typeof createApp>;
  const headers = new Map<Caller, Record<string, string>>();
  /** The CSM's member and one account it owns. */
  const book = { memberId: "", teamId: "", own: "" };
  let checked = 0;

  beforeAll(async () => {
    db = await openTestStorage(dialect);
    await seedDemo(db.storage, { workspaceId: WS, accounts: 24, seed: 11, asOf: TODAY, activity: false });
    app = createApp({
      storage: db.storage,
      config: { reportingCurrency: "USD", grossMargin: 1 },
      today: () => TODAY,
    });
    const members = await db.storage.team.listMembers(WS);
    const teamOf = new Map(members.map((m) => [m.id, m.teamId]));
    const owned = (await db.storage.team.ownership(WS)).find(
      (o) => o.ownerId !== null && teamOf.get(o.ownerId) != null,
    );
    if (owned?.ownerId == null) throw new Error("the demo needs an account owned by a team member");
    const teamId = teamOf.get(owned.ownerId) as string;
    const colleague = members.find((m) => m.teamId === teamId && m.id !== owned.ownerId);
    if (colleague === undefined) throw new Error("the demo needs two members in a team");
    Object.assign(book, { memberId: owned.ownerId, teamId, own: owned.accountId });

    // Real users: the CSM is the account's owner, the manager a member of the same team.
    const users = createUserAdmin(db.storage);
    const people: [Role, string | null][] = [
      ["admin", null],
      ["manager", colleague.id],
      ["csm", owned.ownerId],
      ["viewer", null],
    ];
    let ip = 0;
    for (const [role, memberId] of people) {
      const email = `${role}@walk.example.com`;
      const password = `${role} walk password`;
      await users.create(WS, { email, name: role, role, memberId, password });
      const res = await app.request("/api/auth/sign-in/email", {
        method: "POST",
        headers: { "content-type": "application/json", "x-forwarded-for": `10.9.0.${++ip}` },
        body: JSON.stringify({ email, password }),
      });
      if (res.status !== 200) throw new Error(`sign-in of the ${role}: ${res.status} ${await res.text()}`);
      const cookie = (res.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
      // A signed-in change comes from our own pages (the CSRF check asks for the Origin).
      headers.set(role, { cookie, origin: ORIGIN });
    }
    for (const kind of ["admin", "read", "write"] as const) {
      const { key } = await db.storage.apiKeys.create(WS, { name: `walk ${kind}`, kind });
      headers.set(`${kind}-key`, { authorization: `Bearer ${key}` });
    }
    headers.set("none", {});
  }, 120_000);

  afterAll(async () => {
    console.log(
      `route access over sessions and keys (${dialect}): ${Object.keys(ROUTE_RULES).length} routes × ${CALLERS.length} callers = ${checked} checks`,
    );
    await db?.cleanup();
  });

  it("should sign the roles in as themselves: role, member and team as their membership says", async () => {
    const me = async (caller: Caller) =>
      (await (await app.request("/api/me", { headers: headers.get(caller) })).json()) as {
        role: string;
        memberId: string | null;
        user: { email: string } | null;
      };
    expect(await me("csm")).toMatchObject({
      role: "csm",
      memberId: book.memberId,
      user: { email: "csm@walk.example.com" },
    });
    expect(await me("manager")).toMatchObject({
      role: "manager",
      user: { email: "manager@walk.example.com" },
    });
    expect(await me("admin-key")).toMatchObject({ role: "admin", user: null });
    expect((await app.request("/api/me", { headers: headers.get("none") })).status).toBe(401);
  });

  it("should have exactly one rule for every served route (a new route without one fails)", () => {
    const served = servedRoutes(app);
    expect(served.filter((r) => ROUTE_RULES[r] === undefined)).toEqual([]);
    expect(Object.keys(ROUTE_RULES).filter((r) => !served.includes(r))).toEqual([]);
  });

  it("should answer 401/403 exactly when the rule forbids the caller, and never 500", async () => {
    const wrong: string[] = [];
    for (const [key, rule] of Object.entries(ROUTE_RULES)) {
      const { method, url } = urlOf(key, book.own, WS);
      for (const caller of CALLERS) {
        const own = headers.get(caller) ?? {};
        const init: RequestInit =
          method === "GET"
            ? { headers: own }
            : { method, headers: { ...own, "content-type": "application/json" }, body: "{}" };
        const res = await app.request(url, init);
        const denied = res.status === 401 || res.status === 403;
        const ok = allowed(rule, caller, method) ? !denied && res.status < 500 : denied;
        checked++;
        if (!ok) wrong.push(`${caller} ${method} ${url} → ${res.status} ${(await res.text()).slice(0, 160)}`);
      }
    }
    expect(wrong).toEqual([]);
    // Every session survived the walk (nothing signed a role out on the way).
    for (const role of ["admin", "manager", "csm", "viewer"] as const)
      expect((await app.request("/api/me", { headers: headers.get(role) })).status).toBe(200);
  }, 120_000);
});
