import { seedDemo } from "@tenure/services";
import { openTestStorage, type Storage, type TestStorage, testDialects } from "@tenure/storage";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ROUTE_RULES } from "../src/access/index";
import { createApp } from "../src/app";
import { TestCredentials } from "./support/credentials";
import { type OpenApiDocument, type SchemaObject, schemaValue } from "./support/openapi-arbitraries";
import { workspaceRows } from "./support/workspace-tables";

/**
 * Issue 16 §3: with workspace A's credentials, every route given B's ids (path parameters and body
 * fields) answers 404/403 (or a 400 before it looks), never a 2xx or a 500, no answer carries an id
 * only B has, and B's rows are the same before and after, read straight from the database. CSV/xlsx
 * exports and /v1 tracking with A's keys never touch B.
 */
const A = "a";
const B = "b";
const TODAY = "2026-11-15";
/** Valid-looking bodies tried per write route, so that the handler (not only validation) runs. */
const BODIES = 12;
/** Body fields that name an account, a member or a team: filled with B's ids. */
const ACCOUNT_FIELDS = ["accountId", "advocateAccountId", "referredAccountId"];
/** Query strings routes need to get past validation. */
const QUERY: Record<string, string> = { "GET /api/accounts/{id}/usage": "?from=2026-10-01&to=2026-11-01" };

type Pools = Record<string, string[]>;

/** The ids of one workspace by kind, read from storage. */
async function idsOf(s: Storage, ws: string): Promise<Pools> {
  const accounts = (await s.accounts.list(ws)).map((a) => a.id);
  const plans = (await Promise.all(accounts.map((a) => s.successPlans.listByAccount(ws, a)))).flat();
  return {
    account: accounts,
    contact: (await s.contacts.list(ws)).map((c) => c.id),
    task: (await s.tasks.list(ws, { status: "all", limit: 1000 })).tasks.map((t) => t.id),
    signal: (await s.signals.list(ws)).map((x) => x.id),
    view: (await s.savedViews.list(ws)).map((v) => v.id),
    template: (await s.deliveryTemplates.list(ws)).map((t) => t.id),
    endpoint: (await s.deliveryTargets.listEndpoints(ws)).map((t) => t.id),
    channel: (await s.deliveryTargets.listChannels(ws)).map((t) => t.id),
    delivery: (await s.deliveryLog.list(ws, { limit: 500 })).map((d) => d.id),
    job: (await s.jobs.list(ws, { limit: 200, offset: 0 })).jobs.map((j) => j.id),
    campaign: (await s.renewals.listCampaigns(ws)).map((c) => c.id),
    plan: plans.map((p) => p.id),
    goal: plans.flatMap((p) => p.goals.map((g) => g.id)),
    milestone: plans.flatMap((p) => p.milestones.map((m) => m.id)),
    team: (await s.team.listTeams(ws)).map((t) => t.id),
    member: (await s.team.listMembers(ws)).map((m) => m.id),
    playbook: (await s.playbooks.list(ws, { includeArchived: true })).map((p) => p.key),
    run: (await s.playbooks.listRuns(ws)).map((r) => r.id),
    automation: (await s.automations.list(ws)).map((x) => x.id),
  };
}

/** The kind of id a path parameter holds, from the route's path. */
function kindOf(path: string, param: string): string | null {
  if (param === "contactId") return "contact";
  if (param === "goalId") return "goal";
  if (param === "milestoneId") return "milestone";
  if (param !== "id" && param !== "key") return null;
  const table: [string, string][] = [
    ["/api/accounts/", "account"],
    ["/api/tasks/", "task"],
    ["/api/signals/", "signal"],
    ["/api/views/", "view"],
    ["/api/deliveries/templates/", "template"],
    ["/api/deliveries/endpoints/", "endpoint"],
    ["/api/deliveries/channels/", "channel"],
    ["/api/deliveries/", "delivery"],
    ["/api/jobs/", "job"],
    ["/api/renewals/campaigns/", "campaign"],
    ["/api/success-plans/", "plan"],
    ["/api/team/teams/", "team"],
    ["/api/team/members/", "member"],
    ["/api/playbooks/", "playbook"],
    ["/api/playbook-runs/", "run"],
    ["/api/automations/", "automation"],
    ["/api/signal-rules/", "signalRule"],
  ];
  return table.find(([prefix]) => path.startsWith(prefix))?.[1] ?? null;
}

describe.each(testDialects())("workspace isolation on %s", (dialect) => {
  let db: TestStorage;
  let app: ReturnType<typeof createApp>;
  let creds: TestCredentials;
  let doc: OpenApiDocument;
  /** Ids only B has (B's minus A's: the demo reuses account, member and team ids). */
  const onlyB: Pools = {};
  let requests = 0;
  let reachedLookup = 0;
  let routesWithIds = 0;
  /** Routes given B's ids whose every answer was a 400 (validation before the lookup). */
  const onlyValidated: string[] = [];

  beforeAll(async () => {
    db = await openTestStorage(dialect);
    await seedDemo(db.storage, { workspaceId: A, accounts: 16, seed: 11, asOf: TODAY });
    await seedDemo(db.storage, { workspaceId: B, accounts: 24, seed: 12, asOf: TODAY });
    creds = new TestCredentials(db.storage);
    app = createApp({
      storage: db.storage,
      config: { reportingCurrency: "USD", grossMargin: 1 },
      today: () => TODAY,
      resolvePrincipal: creds.resolvePrincipal,
    });
    // B's own records of the kinds the demo leaves empty or shares ids of, made through B's API.
    const asB = { ...(await creds.key(B, "admin")), "content-type": "application/json" };
    const post = async (url: string, body: unknown) => {
      const res = await app.request(url, { method: "POST", headers: asB, body: JSON.stringify(body) });
      expect(res.status, `${url} ${await res.clone().text()}`).toBeLessThan(300);
    };
    await post("/api/views", { name: "B's view", filters: { tier: "enterprise" } });
    await post("/api/team/teams", { name: "B only team", kind: "high_touch" });
    await post("/api/team/members", { name: "B Only", email: "b.only@b.example" });
    await post("/api/deliveries/templates", {
      name: "B template",
      locale: "en",
      subject: "Hi",
      body: "Hello",
    });
    await post("/api/automations", {
      name: "B only automation",
      enabled: false,
      trigger: { type: "signal_raised", signalTypes: ["usage_drop"] },
      conditions: null,
      actions: [{ type: "add_tag", tag: "b-only" }],
      options: { includeChurned: false, reentryDays: 30, holdoutPct: 0 },
    });
    const [starter] = await db.storage.playbooks.list(B);
    await post("/api/playbooks", { key: "b-only-playbook", definition: starter?.definition });
    doc = (await (await app.request("/api/openapi.json")).json()) as OpenApiDocument;
    const [a, b] = [await idsOf(db.storage, A), await idsOf(db.storage, B)];
    for (const [kind, ids] of Object.entries(b)) {
      const inA = new Set(a[kind]);
      onlyB[kind] = ids.filter((id) => !inA.has(id));
    }
  }, 240_000);

  afterAll(async () => {
    console.log(
      `workspace isolation on ${dialect}: ${requests} requests with A's credentials over ${routesWithIds} routes given B's ids ` +
        `(${reachedLookup} refused at the lookup: 404/403, or a 400 naming B's id); B-only ids by kind: ${Object.entries(
          onlyB,
        )
          .map(([k, v]) => `${k} ${v.length}`)
          .join(", ")}; refused by validation only: ${onlyValidated.join(", ") || "none"}`,
    );
    await db?.cleanup();
  });

  it("should have B-only ids of every kind a route takes", () => {
    const empty = Object.entries(onlyB)
      .filter(([, ids]) => ids.length === 0)
      .map(([k]) => k);
    // Kinds B has none of that A lacks: named so that a gap is visible, not silently skipped.
    expect(empty.filter((k) => !["endpoint", "channel", "delivery", "job", "campaign"].includes(k))).toEqual(
      [],
    );
  });

  /** Valid bodies of the routes whose generated ones never get past validation. */
  const validBodies = async (): Promise<Record<string, unknown>> => {
    const account = onlyB.account?.[0];
    const [playbook] = await db.storage.playbooks.list(B);
    const [automation] = await db.storage.automations.list(B);
    return {
      "POST /api/tasks": { accountId: account, title: "Call them" },
      "POST /api/renewals/outcomes": { accountId: account, renewalDate: "2026-10-01", outcome: "renewed" },
      "POST /api/referrals": {
        advocateAccountId: account,
        referredOn: "2026-10-01",
        referredName: "Someone",
      },
      "POST /api/team/owners": { accountIds: onlyB.account?.slice(0, 2), teamId: null, ownerId: null },
      "PUT /api/playbooks/{key}": { definition: playbook?.definition },
      "PUT /api/automations/{id}": {
        name: automation?.name ?? "x",
        enabled: false,
        trigger: { type: "signal_raised", signalTypes: ["usage_drop"] },
        conditions: null,
        actions: [{ type: "add_tag", tag: "x" }],
        options: { includeChurned: false, reentryDays: 30, holdoutPct: 0 },
      },
    };
  };
  let valid: Record<string, unknown> = {};

  /** Bodies for a write route: `{}` then valid-looking ones from its schema, with B's ids in id fields. */
  const bodiesOf = (path: string, method: string): string[] => {
    const known = valid[`${method} ${path}`];
    if (known !== undefined) return ["{}", JSON.stringify(known)];
    const op = doc.paths[path.replace(/^\/api/, "")]?.[method.toLowerCase()];
    const schema: SchemaObject | undefined = op?.requestBody?.content["application/json"]?.schema;
    if (schema === undefined) return ["{}"];
    const samples = fc.sample(schemaValue(schema, doc), { numRuns: BODIES, seed: 16 });
    return ["{}", ...samples.map((v) => JSON.stringify(withBIds(v)))];
  };
  const withBIds = (v: unknown): unknown => {
    if (typeof v !== "object" || v === null || Array.isArray(v)) return v;
    const o = { ...(v as Record<string, unknown>) };
    for (const f of ACCOUNT_FIELDS) if (f in o) o[f] = onlyB.account?.[0];
    if ("accountIds" in o) o.accountIds = onlyB.account?.slice(0, 2);
    if ("memberId" in o) o.memberId = onlyB.member?.[0];
    if ("teamId" in o) o.teamId = onlyB.team?.[0];
    return o;
  };

  it("should answer 404/403 (never 2xx or 500) to every route given B's ids, and change nothing of B", async () => {
    valid = await validBodies();
    const before = await workspaceRows(db.storage.config, B);
    const callers = [
      await creds.key(A, "admin"),
      creds.role(A, "admin"),
      creds.role(A, "manager", { teamIds: onlyB.team ?? [] }),
    ];
    const leakIds = Object.values(onlyB)
      .flat()
      .filter((id) => id.length >= 8);
    const wrong: string[] = [];
    for (const key of Object.keys(ROUTE_RULES)) {
      const [method = "", path = ""] = key.split(" ");
      if (!path.startsWith("/api/") || path === "/api/export/{table}" || path === "/api/import/{kind}")
        continue;
      const params = [...path.matchAll(/\{([^}]+)\}/g)].map((m) => m[1] as string);
      let url = path;
      let bIds = 0;
      for (const p of params) {
        const kind = kindOf(path, p);
        const id = kind === null ? undefined : onlyB[kind]?.[0];
        if (id !== undefined) bIds++;
        url = url.replace(`{${p}}`, encodeURIComponent(id ?? (p === "quarter" ? "2026-Q4" : "b-has-it")));
      }
      url += QUERY[key] ?? "";
      const bodies = method === "GET" || method === "DELETE" ? [undefined] : bodiesOf(path, method);
      const bodyIds = bodies.some((b) => b !== undefined && onlyB.account?.some((id) => b.includes(id)));
      const carriesB = bIds > 0 || bodyIds;
      if (carriesB) routesWithIds++;
      let looked = false;
      for (const headers of callers) {
        for (const body of bodies) {
          const res = await app.request(url, {
            method,
            headers: body === undefined ? headers : { ...headers, "content-type": "application/json" },
            body,
          });
          requests++;
          const text = await res.text();
          const withB =
            body === undefined ? bIds > 0 : bIds > 0 || onlyB.account?.some((id) => body.includes(id));
          if (res.status >= 500) wrong.push(`${method} ${url} ${body ?? ""} → ${res.status}`);
          else if (withB && res.status < 300)
            wrong.push(`${method} ${url} ${body ?? ""} → ${res.status} ${text.slice(0, 200)}`);
          // The lookup ran: a 404/403, or a 400 that names B's id as unknown here (body ids are fields).
          const namesBId = res.status === 400 && (onlyB.account ?? []).some((id) => text.includes(id));
          if (res.status === 404 || res.status === 403 || namesBId) looked = true;
          // An id the request itself sent may be echoed in its 404 ("No task <id>"); any other is a leak.
          const leaked = leakIds.find(
            (id) => text.includes(id) && !decodeURIComponent(url).includes(id) && !body?.includes(id),
          );
          if (leaked !== undefined) wrong.push(`${method} ${url} answered B's id ${leaked}`);
        }
      }
      if (carriesB && looked) reachedLookup++;
      else if (carriesB) onlyValidated.push(key);
    }
    expect([...new Set(wrong)]).toEqual([]);
    expect(onlyValidated, "routes given B's ids that never got past validation").toEqual([]);
    expect(await workspaceRows(db.storage.config, B)).toEqual(before);
  }, 600_000);

  it("should never put B's rows in A's CSV or xlsx exports, and imports with B's ids write to A only", async () => {
    const before = await workspaceRows(db.storage.config, B);
    const headers = await creds.key(A, "admin");
    const tables = ["accounts", "worklist", "signals", "tasks", "renewals", "playbook-runs"];
    for (const table of tables) {
      for (const format of ["csv", "xlsx"]) {
        const res = await app.request(`/api/export/${table}?format=${format}`, { headers });
        expect(res.status, `${table} ${format}`).toBeLessThan(500);
        const text = Buffer.from(await res.arrayBuffer()).toString("latin1");
        const leaked = (onlyB.account ?? [])
          .concat(onlyB.task ?? [], onlyB.signal ?? [])
          .find((id) => text.includes(id));
        expect(leaked, `${table}.${format} holds B's id`).toBeUndefined();
      }
    }
    const bAccount = onlyB.account?.[0] as string;
    const csv = `id,name\n${bAccount},Taken Over Inc\n`;
    const imported = await app.request("/api/import/accounts", {
      method: "POST",
      headers: { ...headers, "content-type": "text/csv" },
      body: csv,
    });
    expect(imported.status).toBeLessThan(500);
    expect(await workspaceRows(db.storage.config, B)).toEqual(before);
    expect((await db.storage.accounts.get(B, bAccount))?.name).not.toBe("Taken Over Inc");
  });

  it("should write A's tracking calls to A only, whatever B ids they name", async () => {
    const before = await workspaceRows(db.storage.config, B);
    const key = (await creds.key(A, "write")).authorization as string;
    const bAccount = onlyB.account?.[0] as string;
    const bUser = `user-of-${bAccount}`;
    const calls: [string, unknown][] = [
      ["group", { userId: bUser, groupId: bAccount, traits: { name: "Hijacked" } }],
      ["identify", { userId: bUser, traits: { groupId: bAccount } }],
      ["track", { userId: bUser, event: "Login", context: { groupId: bAccount } }],
      [
        "batch",
        { batch: [{ type: "track", userId: bUser, event: "Export", context: { groupId: bAccount } }] },
      ],
    ];
    for (const [endpoint, body] of calls) {
      const res = await app.request(`/v1/${endpoint}`, {
        method: "POST",
        headers: { authorization: key, "content-type": "application/json" },
        body: JSON.stringify(body),
      });
      expect(res.status, endpoint).toBe(200);
    }
    expect(await workspaceRows(db.storage.config, B)).toEqual(before);
  });
});
