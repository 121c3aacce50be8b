import { type Permission, roleAllows } from "@tenure/core";
import { seedDemo } from "@tenure/services";
import { openTestStorage, type TestStorage } from "@tenure/storage";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessMiddleware, openApiPath, ROUTE_RULES, type RouteRule } from "../src/access/index";
import { createApp } from "../src/app";
import { EXPORT_TABLES } from "../src/routes/export-columns";
import { CALLERS, type Caller, TestCredentials } from "./support/credentials";

/**
 * Issue 16 §2: every route × every caller, generated from the route table (access/route-rules.ts), so a
 * route without a rule fails here. A forbidden call answers exactly 401/403, an allowed one never
 * 401/403 and never 500; book-scoped writes pass for the CSM's own account and the manager's teams only.
 */
const WS = "a";
const TODAY = "2026-11-15";

/** The served routes (method + OpenAPI-style path), from the app itself. */
const servedRoutes = (app: ReturnType<typeof createApp>) => [
  ...new Set(
    app.routes
      .filter((r) => r.method !== "ALL" && (r.path.startsWith("/api/") || r.path.startsWith("/v1/")))
      .map((r) => `${r.method} ${openApiPath(r.path)}`),
  ),
];

/** What `caller` may do under `rule` (before book scoping). */
function allowed(rule: RouteRule, caller: Caller, method: string): boolean {
  if (rule === "public") return true;
  if (rule === "tracking") return caller === "write-key";
  const role = (
    { admin: "admin", "admin-key": "admin", manager: "manager", csm: "csm", viewer: "viewer" } as const
  )[caller as "admin"];
  if (caller === "read-key") return method === "GET" && roleAllows("viewer", rule.permission);
  if (role === undefined) return false;
  return roleAllows(role, rule.permission as Permission);
}

describe("route × role access (generated from the route table)", () => {
  let db: TestStorage;
  let app: ReturnType<typeof createApp>;
  let creds: TestCredentials;
  /** The CSM's member, its team, one of its accounts and an account of another team. */
  const book = { memberId: "", teamId: "", own: "", other: "", otherTeam: "", otherMember: "" };
  let checked = 0;
  let scopedChecks = 0;

  beforeAll(async () => {
    db = await openTestStorage("sqlite");
    await seedDemo(db.storage, { workspaceId: WS, accounts: 24, seed: 11, asOf: TODAY });
    creds = new TestCredentials(db.storage);
    app = createApp({
      storage: db.storage,
      config: { reportingCurrency: "USD", grossMargin: 1 },
      today: () => TODAY,
      resolvePrincipal: creds.resolvePrincipal,
    });
    const owned = (await db.storage.team.ownership(WS)).filter(
      (o) => o.ownerId !== null && o.teamId !== null,
    );
    const mine = owned[0];
    const theirs = owned.find((o) => o.teamId !== mine?.teamId);
    if (mine === undefined || theirs === undefined)
      throw new Error("the demo needs owned accounts in two teams");
    Object.assign(book, {
      memberId: mine.ownerId,
      teamId: mine.teamId,
      own: mine.accountId,
      other: theirs.accountId,
      otherTeam: theirs.teamId,
      otherMember: theirs.ownerId,
    });
  }, 120_000);

  afterAll(async () => {
    console.log(
      `route access: ${Object.keys(ROUTE_RULES).length} routes × ${CALLERS.length} callers = ${checked} checks; ${scopedChecks} book-scope checks`,
    );
    await db?.cleanup();
  });

  it("should have exactly one rule for every served route and no rule for a route that is not served", () => {
    const served = servedRoutes(app);
    const missing = served.filter((r) => ROUTE_RULES[r] === undefined);
    const stale = Object.keys(ROUTE_RULES).filter((r) => !served.includes(r));
    if (missing.length + stale.length > 0) console.log(JSON.stringify({ missing, stale }));
    expect(missing, "routes without an access rule (add them to access/route-rules.ts)").toEqual([]);
    expect(stale, "rules of routes the app does not serve").toEqual([]);
    expect(served.length).toBeGreaterThan(130);
  });

  it("should answer 403 naming the route when a served route has no rule (fail closed)", async () => {
    const mini = new Hono();
    mini.onError((err, c) =>
      c.json({ message: err.message }, (err as { code?: string }).code === "forbidden" ? 403 : 500),
    );
    mini.use("*", async (c, next) => {
      c.set(
        "principal" as never,
        {
          workspaceId: WS,
          role: "admin",
          actor: { type: "system", id: "t", label: "t" },
          memberId: null,
          teamIds: null,
        } as never,
      );
      await next();
    });
    mini.use(
      "*",
      accessMiddleware(db.storage, () => mini.routes),
    );
    mini.get("/api/unruled/:id", (c) => c.text("reached"));
    const res = await mini.request("/api/unruled/7");
    expect(res.status).toBe(403);
    expect(((await res.json()) as { message: string }).message).toBe("no access rule for GET /api/unruled/7");
    // A path no route serves stays a 404, not a 403.
    expect((await mini.request("/api/nowhere")).status).toBe(404);
  });

  it("should take a static route for itself, not for the parameter route beside it", async () => {
    const viewer = creds.role(WS, "viewer");
    // GET /api/deliveries/settings holds SMTP settings (admins); GET /api/deliveries/{id} is a read.
    expect((await app.request("/api/deliveries/settings", { headers: viewer })).status).toBe(403);
    expect((await app.request("/api/deliveries/no-such-id", { headers: viewer })).status).toBe(404);
  });

  const urlOf = (key: string, account: string) => {
    const [method = "", path = ""] = key.split(" ");
    const url = path
      .replace("{id}", path.startsWith("/api/accounts/") ? account : "no-such-id")
      .replace("{kind}", "accounts")
      .replace("{table}", "accounts")
      .replace("{endpoint}", "track")
      .replace("{quarter}", "2026-Q4")
      .replace(/\{[^}]+\}/g, "no-such-id");
    return { method, url };
  };

  it("should answer 401/403 exactly when the rule forbids the caller, and never 500", async () => {
    const wrong: string[] = [];
    for (const [key, rule] of Object.entries(ROUTE_RULES)) {
      const { method, url } = urlOf(key, book.own);
      for (const caller of CALLERS) {
        const headers = await creds.caller(WS, caller, { memberId: book.memberId, teamIds: [book.teamId] });
        const init: RequestInit =
          method === "GET"
            ? { headers }
            : { method, headers: { ...headers, "content-type": "application/json" }, body: "{}" };
        const res = await app.request(url, init);
        const denied = res.status === 401 || res.status === 403;
        const ok = allowed(rule, caller, method) ? !denied && res.status < 500 : denied;
        checked++;
        if (!ok) wrong.push(`${caller} ${method} ${url} → ${res.status} ${(await res.text()).slice(0, 160)}`);
      }
    }
    expect(wrong).toEqual([]);
  }, 300_000);

  /** Ids of records on `account` for the record-scoped routes. */
  const recordOn = async (kind: string): Promise<{ id: string; accountId: string } | null> => {
    const s = db.storage;
    if (kind === "task") {
      const { tasks } = await s.tasks.list(WS, { status: "open", limit: 500 });
      return tasks.find((t) => t.assigneeId === null || t.assigneeId !== book.memberId) ?? null;
    }
    if (kind === "signal") return (await s.signals.list(WS))[0] ?? null;
    if (kind === "playbookRun") return (await s.playbooks.listRuns(WS))[0] ?? null;
    for (const a of await s.accounts.list(WS)) {
      const [plan] = await s.successPlans.listByAccount(WS, a.id);
      if (plan !== undefined) return plan;
    }
    return null;
  };

  it("should let a CSM change only its own book and a manager only its teams' books", async () => {
    const wrong: string[] = [];
    const owners = new Map((await db.storage.team.ownership(WS)).map((o) => [o.accountId, o]));
    const members = new Map((await db.storage.team.listMembers(WS)).map((m) => [m.id, m]));
    for (const [key, rule] of Object.entries(ROUTE_RULES)) {
      if (typeof rule === "string" || rule.account === undefined || rule.permission !== "book.edit") continue;
      const ref = rule.account;
      // The account acted on, and the record id in the path when the route names a record.
      let account = book.own;
      let recordId: string | null = null;
      if ("record" in ref) {
        const record = await recordOn(ref.record);
        if (record === null) throw new Error(`the demo has no ${ref.record} for ${key}`);
        account = record.accountId;
        recordId = record.id;
      }
      const owner = owners.get(account);
      const ownerId = owner?.ownerId ?? null;
      const team = (ownerId === null ? null : members.get(ownerId)?.teamId) ?? owner?.teamId ?? null;
      const stranger = [...members.values()].find((m) => m.id !== ownerId && m.teamId !== team);
      const otherTeam = stranger?.teamId ?? "no-team";
      const [method = "", path = ""] = key.split(" ");
      const url = path
        .replace("{id}", recordId ?? account)
        .replace("{quarter}", "2026-Q4")
        .replace(/\{[^}]+\}/g, "no-such-id");
      const body = "body" in ref ? JSON.stringify({ [ref.body]: account }) : "{}";
      // Refusals first: an allowed DELETE removes the record the next case would name.
      const cases: [string, Record<string, string>, boolean][] = [
        ["csm (other)", creds.role(WS, "csm", { memberId: stranger?.id ?? "nobody" }), false],
        ["manager (outside)", creds.role(WS, "manager", { teamIds: [otherTeam] }), false],
        [
          "manager (inside)",
          creds.role(WS, "manager", { teamIds: team === null ? [] : [team] }),
          team !== null,
        ],
        ["csm (own)", creds.role(WS, "csm", { memberId: ownerId }), ownerId !== null],
      ];
      for (const [who, headers, mayEdit] of cases) {
        const res = await app.request(url, {
          method,
          headers: { ...headers, "content-type": "application/json" },
          body,
        });
        scopedChecks++;
        const ok = mayEdit ? res.status !== 403 && res.status < 500 : res.status === 403;
        if (!ok)
          wrong.push(`${who} ${method} ${url} (account ${account}) → ${res.status} ${await res.text()}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(scopedChecks).toBeGreaterThan(80);
  }, 120_000);

  it("should let a CSM act on a task assigned to it on another's account, and not on other tasks there", async () => {
    const owners = new Map((await db.storage.team.ownership(WS)).map((o) => [o.accountId, o.ownerId]));
    // Arrange: a task on another member's account, assigned to our CSM (by an admin).
    const created = await app.request("/api/tasks", {
      method: "POST",
      headers: { ...creds.role(WS, "admin"), "content-type": "application/json" },
      body: JSON.stringify({
        accountId: book.other,
        title: "Cover the renewal call",
        assign: { strategy: "member", memberId: book.memberId },
      }),
    });
    expect(created.status).toBe(201);
    const { task } = (await created.json()) as {
      task: { id: string; assigneeId: string; accountId: string };
    };
    expect(task.assigneeId).toBe(book.memberId);
    expect(owners.get(task.accountId)).not.toBe(book.memberId);
    const patch = (memberId: string) =>
      app.request(`/api/tasks/${task.id}`, {
        method: "PATCH",
        headers: { ...creds.role(WS, "csm", { memberId }), "content-type": "application/json" },
        body: JSON.stringify({ priority: "high" }),
      });
    expect((await patch(task.assigneeId as string)).status).toBe(200);
    const someoneElse = (await db.storage.team.listMembers(WS)).find(
      (m) => m.id !== task.assigneeId && m.id !== owners.get(task.accountId),
    );
    expect((await patch(someoneElse?.id ?? "nobody")).status).toBe(403);
  });

  it("should refuse a CSM's batch of survey answers naming another's account, which the route rule cannot see (regression)", async () => {
    // The rule reads a top-level accountId; a batch nests its accounts, so only the service can refuse it.
    const csm = creds.role(WS, "csm", { memberId: book.memberId });
    const post = (body: unknown) =>
      app.request("/api/surveys/responses", {
        method: "POST",
        headers: { ...csm, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
    const before = (await db.storage.timeline.list(WS, book.own, { types: ["nps"] })).length;
    const mixed = await post({
      responses: [
        { accountId: book.own, kind: "nps", score: 9 },
        { accountId: book.other, kind: "nps", score: 1 },
      ],
    });
    expect(mixed.status).toBe(403);
    expect(((await mixed.json()) as { error: { message: string } }).error.message).toContain(book.other);
    const csv = await post({ fileName: "nps.csv", csv: `account_id,score\n${book.other},3\n` });
    expect(csv.status).toBe(403);
    expect((await db.storage.timeline.list(WS, book.own, { types: ["nps"] })).length).toBe(before);
    const own = await post({ responses: [{ accountId: book.own, kind: "nps", score: 9 }] });
    expect(own.status).toBe(201);
  });

  it("should keep a CSM's every list route to its book while the workspace says so (generated)", async () => {
    const csm = creds.role(WS, "csm", { memberId: book.memberId });
    const admin = creds.role(WS, "admin");
    const owners = await db.storage.team.ownership(WS);
    const mine = new Set(owners.filter((o) => o.ownerId === book.memberId).map((o) => o.accountId));
    // A task assigned to the CSM may sit on another's account (it reads and works that task).
    const assigned = await db.storage.tasks.list(WS, {
      assigneeId: book.memberId,
      status: "all",
      limit: 10_000,
    });
    const coverFor = new Set(assigned.tasks.map((x) => x.accountId));
    const others = owners.map((o) => o.accountId).filter((id) => !mine.has(id) && !coverFor.has(id));
    await app.request("/api/settings/access", {
      method: "PUT",
      headers: { ...admin, "content-type": "application/json" },
      body: JSON.stringify({ csmReadsAllAccounts: false }),
    });
    const leaks: string[] = [];
    let lists = 0;
    let ownShown = 0;
    try {
      // Lists behind a path parameter, with the values that make them lists (exports as CSV).
      const automations = await db.storage.automations.list(WS);
      const params: Record<string, string[]> = {
        "/api/export/{table}": EXPORT_TABLES.map((t) => `/api/export/${t}?format=csv`),
        "/api/playbooks/{key}/runs": (await db.storage.playbooks.list(WS)).map(
          (p) => `/api/playbooks/${p.key}/runs`,
        ),
        "/api/automations/{id}/log": automations.map((a) => `/api/automations/${a.id}/log`),
      };
      for (const [key, rule] of Object.entries(ROUTE_RULES)) {
        const [method = "", path = ""] = key.split(" ");
        if (typeof rule === "string" || method !== "GET" || rule.permission !== "read") continue;
        if (rule.account !== undefined || !path.startsWith("/api/")) continue;
        for (const url of path.includes("{") ? (params[path] ?? []) : [path]) {
          const res = await app.request(url, { headers: csm });
          if (res.status !== 200) continue;
          lists++;
          // Ids as JSON strings or CSV cells.
          const cells = new Set((await res.text()).split(/[",\r\n]/));
          const seen = others.filter((id) => cells.has(id));
          if (seen.length > 0) leaks.push(`${url}: ${seen.length} of others' accounts`);
          if ([...mine].some((id) => cells.has(id))) ownShown++;
        }
      }
    } finally {
      await app.request("/api/settings/access", {
        method: "PUT",
        headers: { ...admin, "content-type": "application/json" },
        body: JSON.stringify({ csmReadsAllAccounts: true }),
      });
    }
    expect(leaks).toEqual([]);
    expect(lists).toBeGreaterThan(30);
    // Narrowed, not emptied: the CSM's own accounts still show in many lists.
    expect(ownShown).toBeGreaterThan(8);
  }, 120_000);

  it("should give CSMs the accounts of others to read only while the workspace allows it", async () => {
    const csm = creds.role(WS, "csm", { memberId: book.memberId });
    const admin = creds.role(WS, "admin");
    expect((await app.request(`/api/accounts/${book.other}/overview`, { headers: csm })).status).toBe(200);
    const off = await app.request("/api/settings/access", {
      method: "PUT",
      headers: { ...admin, "content-type": "application/json" },
      body: JSON.stringify({ csmReadsAllAccounts: false }),
    });
    expect(off.status).toBe(200);
    try {
      const theirs = await app.request(`/api/accounts/${book.other}/overview`, { headers: csm });
      expect(theirs.status).toBe(403);
      // Every account read is checked while the route reads (access-middleware.ts): the refusal
      // replaces the answer whole, nothing of the account in it.
      const name = (await db.storage.accounts.get(WS, book.other))?.name ?? "";
      for (const [key, rule] of Object.entries(ROUTE_RULES)) {
        const [method = "", path = ""] = key.split(" ");
        if (typeof rule === "string" || method !== "GET" || rule.account === undefined) continue;
        if (!("param" in rule.account) || "record" in rule.account) continue;
        const res = await app.request(path.replace("{id}", encodeURIComponent(book.other)), { headers: csm });
        expect(res.status, key).toBe(403);
        const body = await res.text();
        expect(body, key).not.toContain(name);
        expect(JSON.parse(body), key).toEqual({ error: { code: "forbidden", message: expect.any(String) } });
      }
      expect((await app.request(`/api/accounts/${book.own}/overview`, { headers: csm })).status).toBe(200);
      // Lists show only the CSM's book, whatever owner it asks for; the worklist too.
      const mine = (await db.storage.team.ownership(WS))
        .filter((o) => o.ownerId === book.memberId)
        .map((o) => o.accountId);
      const list = (await (await app.request("/api/accounts?limit=500", { headers: csm })).json()) as {
        accounts: { id: string }[];
      };
      expect(list.accounts.map((a) => a.id).sort()).toEqual(mine.sort());
      const other = await app.request("/api/accounts?limit=500&owner=Someone%20Else", { headers: csm });
      expect(
        ((await other.json()) as { accounts: { id: string }[] }).accounts.every((a) => mine.includes(a.id)),
      ).toBe(true);
      const work = (await (await app.request("/api/worklist", { headers: csm })).json()) as {
        accounts: { id?: string; accountId?: string }[];
      };
      expect(work.accounts.every((a) => mine.includes((a.id ?? a.accountId) as string))).toBe(true);
      // A CSM who is no team member has no book to list.
      const stray = creds.role(WS, "csm", { memberId: null });
      expect((await app.request("/api/accounts", { headers: stray })).status).toBe(403);
      // A manager is not limited by the setting.
      const manager = creds.role(WS, "manager", { teamIds: [book.teamId] });
      expect((await app.request(`/api/accounts/${book.other}/overview`, { headers: manager })).status).toBe(
        200,
      );
    } finally {
      await app.request("/api/settings/access", {
        method: "PUT",
        headers: { ...admin, "content-type": "application/json" },
        body: JSON.stringify({ csmReadsAllAccounts: true }),
      });
    }
  });
});
