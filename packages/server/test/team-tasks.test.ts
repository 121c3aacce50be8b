import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { minimalAccount, openStorage, type Storage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../src/app";

const WS = "default";
const TODAY = "2026-06-30";
let dir: string;
let storage: Storage;
let app: ReturnType<typeof createApp>;
let key: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(tmpdir(), "tenure-team-"));
  storage = await openStorage({ sqliteFile: path.join(dir, "t.db") });
  await storage.workspaces.ensure(WS, "Default");
  await storage.accounts.upsertMany(WS, [
    minimalAccount("acme"),
    minimalAccount("globex"),
    minimalAccount("initech"),
  ]);
  key = (await storage.apiKeys.create(WS, { name: "admin", kind: "admin" })).key;
  app = createApp({ storage, config: { reportingCurrency: "USD", grossMargin: 1 }, today: () => TODAY });
});

afterAll(async () => {
  await storage.close();
  rmSync(dir, { recursive: true, force: true });
});

type Json = Record<string, unknown>;
const call = async (method: string, url: string, body?: unknown, member?: string) => {
  const headers: Record<string, string> = {
    authorization: `Bearer ${key}`,
    "content-type": "application/json",
  };
  if (member !== undefined) headers["x-tenure-member"] = member;
  const res = await app.request(url, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  return { status: res.status, body: (res.status === 204 ? {} : await res.json()) as Json };
};

describe("team and tasks over HTTP", () => {
  it("should create teams and members and refuse a second member with the same email in another case", async () => {
    expect(
      (await call("POST", "/api/team/teams", { name: "Enterprise", kind: "high_touch" })).body,
    ).toMatchObject({
      id: "enterprise",
    });
    const ann = await call("POST", "/api/team/members", {
      name: "Ann Lee",
      email: "ann@example.com",
      teamId: "enterprise",
      capacity: 40,
    });
    expect(ann).toMatchObject({
      status: 201,
      body: { id: "ann@example.com", teamName: "Enterprise", active: true },
    });
    await call("POST", "/api/team/members", {
      id: "bo",
      name: "Bo Chen",
      email: "bo@example.com",
      teamId: "enterprise",
    });
    const clash = await call("POST", "/api/team/members", { name: "Other", email: "ANN@example.com" });
    expect(clash.status).toBe(400);
    expect(JSON.stringify(clash.body)).toContain("email");
    const unknownTeam = await call("PUT", "/api/team/members/bo", {
      name: "Bo",
      email: "bo@example.com",
      teamId: "nope",
    });
    expect(unknownTeam.status).toBe(400);
    expect(JSON.stringify(unknownTeam.body)).toContain("teamId");
  });

  it("should set an account's owner, show it on the account and reassign the whole book", async () => {
    const set = await call("POST", "/api/team/owners", { accountIds: ["acme", "globex"], ownerId: "bo" });
    expect(set).toMatchObject({ status: 200, body: { changed: 2 } });
    expect((await storage.accounts.get(WS, "acme"))?.owner).toBe("Bo Chen");
    const book = await call("POST", "/api/team/members/bo/book", { ownerId: "ann@example.com" });
    expect(book.body).toEqual({ accountIds: ["acme", "globex"] });
    const bad = await call("POST", "/api/team/owners", { accountIds: ["nope"], ownerId: "bo" });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("accountIds");
  });

  it("should record the acting member on tasks and notes and refuse an unknown one", async () => {
    const created = await call(
      "POST",
      "/api/tasks",
      { accountId: "acme", title: "Plan the QBR" },
      "bo@example.com",
    );
    expect(created).toMatchObject({
      status: 201,
      body: {
        created: true,
        task: { assigneeId: "ann@example.com", createdBy: "bo", dueDate: "2026-07-03" },
      },
    });
    const note = await call(
      "POST",
      "/api/accounts/acme/timeline",
      { type: "note", title: "Met the CFO" },
      "bo",
    );
    expect(note.body).toMatchObject({ actorId: "bo" });
    const unknown = await call("POST", "/api/accounts/acme/timeline", { type: "note", title: "x" }, "zed");
    expect(unknown.status).toBe(400);
    expect(JSON.stringify(unknown.body)).toContain("zed");
  });

  it("should list my tasks, complete one with an outcome and show the workload", async () => {
    await call("POST", "/api/tasks", { accountId: "globex", title: "Late one", dueDate: "2026-06-01" });
    const mine = await call("GET", "/api/tasks?assignee=ann%40example.com");
    const tasks = mine.body.tasks as Json[];
    expect(tasks.map((t) => [t.title, t.overdue, t.accountName])).toEqual([
      ["Late one", true, "globex"],
      ["Plan the QBR", false, "acme"],
    ]);
    const id = String(tasks[0]?.id);
    const done = await call(
      "POST",
      `/api/tasks/${id}/complete`,
      { outcome: "Called them" },
      "ann@example.com",
    );
    expect(done.body).toMatchObject({ status: "done", outcome: "Called them", closedBy: "ann@example.com" });
    expect((await call("POST", `/api/tasks/${id}/skip`, {})).status).toBe(409);
    const overdue = await call("GET", "/api/tasks?overdue=true");
    expect(overdue.body.tasks).toEqual([]);
    const w = await call("GET", "/api/team/workload");
    expect((w.body.members as Json[]).find((m) => m.memberId === "ann@example.com")).toMatchObject({
      accounts: 2,
      openTasks: 1,
      overdueTasks: 0,
      capacity: 40,
      utilization: 0.05,
    });
  });

  it("should hand a deactivated member's accounts and tasks to the team's pool", async () => {
    const res = await call("POST", "/api/team/members/ann%40example.com/deactivate", { successorId: null });
    expect(res.body).toMatchObject({ successorId: null, tasksMoved: 1, accountsMoved: ["acme", "globex"] });
    const pool = await call("GET", "/api/tasks?team=enterprise&pool=true");
    expect((pool.body.tasks as Json[]).map((t) => t.title)).toEqual(["Plan the QBR"]);
    const bad = await call("POST", "/api/tasks", {
      accountId: "acme",
      title: "x",
      assign: { strategy: "member", memberId: "ann@example.com" },
    });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.body)).toContain("assign.memberId");
  });
});
