import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestStorage, type TestStorage, testDialects } from "../testing";
import type { TaskRecord } from "./task-repository";

const WS = "ws_tasks";
const NOW = "2026-12-08T09:00:00.000Z";

const task = (id: string, over: Partial<TaskRecord> = {}): TaskRecord => ({
  id,
  accountId: "acc_1",
  title: `Task ${id}`,
  description: null,
  status: "open",
  priority: "normal",
  assigneeId: "m_a",
  teamId: "t_1",
  dueDate: "2026-12-10",
  signalId: null,
  automationId: null,
  playbookRunId: null,
  playbookStep: null,
  outcome: null,
  dedupeKey: null,
  createdBy: null,
  closedBy: null,
  createdAt: NOW,
  updatedAt: NOW,
  completedAt: null,
  ...over,
});

describe.each(testDialects())("team and task repositories on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    await t.storage.workspaces.ensure(WS, "Tasks");
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("should page a work list by (due date, id) without gaps or repeats when the cursor is followed", async () => {
    const tasks = Array.from({ length: 23 }, (_, i) =>
      task(`t${String(i).padStart(2, "0")}`, { dueDate: `2026-12-${String(10 + (i % 5)).padStart(2, "0")}` }),
    );
    tasks.push(task("other", { assigneeId: "m_b" }), task("closed", { status: "done", completedAt: NOW }));
    await t.storage.tasks.insertMany(WS, tasks);

    const seen: string[] = [];
    let after: { dueDate: string; id: string } | undefined;
    for (let page = 0; page < 10; page++) {
      const res = await t.storage.tasks.list(WS, { assigneeId: "m_a", status: "open", limit: 5, after });
      seen.push(...res.tasks.map((x) => x.id));
      if (res.next === null) break;
      after = res.next;
    }
    const expected = tasks
      .filter((x) => x.assigneeId === "m_a" && x.status === "open")
      .sort((a, b) => (a.dueDate + a.id < b.dueDate + b.id ? -1 : 1))
      .map((x) => x.id);
    expect(seen).toEqual(expected);
  });

  it("should count open and overdue tasks per assignee and hand open tasks to a team pool", async () => {
    const before = await t.storage.tasks.loadByAssignee(WS, "2026-12-12");
    const a = before.find((l) => l.assigneeId === "m_a");
    // 23 open tasks of m_a, due on the 10th..14th in turn: the 10th and 11th are overdue on the 12th.
    expect(a).toEqual({ assigneeId: "m_a", open: 23, overdue: 10 });

    const moved = await t.storage.tasks.reassignOpen(WS, "m_a", { assigneeId: null, teamId: "t_pool" }, NOW);
    expect(moved).toHaveLength(23);
    expect((await t.storage.tasks.poolCounts(WS)).get("t_pool")).toBe(23);
    const closed = await t.storage.tasks.get(WS, "closed");
    expect(closed?.assigneeId).toBe("m_a");
  });

  it("should refuse a second task with the same dedupe key and find the first by it", async () => {
    await t.storage.tasks.insertMany(WS, [task("k1", { dedupeKey: "auto:1:acc_1" })]);
    await expect(
      t.storage.tasks.insertMany(WS, [task("k2", { dedupeKey: "auto:1:acc_1" })]),
    ).rejects.toThrow();
    expect((await t.storage.tasks.getByDedupeKey(WS, "auto:1:acc_1"))?.id).toBe("k1");
    // Tasks without a key never collide.
    await t.storage.tasks.insertMany(WS, [task("n1"), task("n2")]);
  });

  it("should move a member's book of accounts and show the new owner's name on them", async () => {
    await t.storage.accounts.upsertMany(WS, [
      { ...minimal("acc_1"), owner: "Ann" },
      { ...minimal("acc_2"), owner: "Ann" },
      minimal("acc_3"),
    ]);
    await t.storage.team.upsertTeams(WS, [{ id: "t_1", name: "Enterprise", kind: "high_touch" }]);
    await t.storage.team.upsertMembers(WS, [member("m_a", "Ann"), member("m_b", "Bo")]);
    expect(await t.storage.team.assignAccounts(WS, ["acc_1", "acc_2"], own("m_a", "Ann"))).toBe(2);
    expect(await t.storage.team.reassignBook(WS, "m_a", own("m_b", "Bo"))).toEqual(["acc_1", "acc_2"]);
    const rows = await t.storage.team.ownership(WS, ["acc_1", "acc_3"]);
    expect(rows).toEqual([
      { accountId: "acc_1", ownerId: "m_b", ownerName: "Bo", teamId: "t_1" },
      { accountId: "acc_3", ownerId: null, ownerName: null, teamId: null },
    ]);
    expect((await t.storage.accounts.get(WS, "acc_2"))?.owner).toBe("Bo");
    // The book of one account in one read: owner, owner's team, pool; null for an unknown account.
    expect(await t.storage.team.accountBook(WS, "acc_1")).toEqual({
      ownerId: "m_b",
      ownerMemberTeamId: "t_1",
      poolTeamId: "t_1",
    });
    expect(await t.storage.team.accountBook(WS, "acc_3")).toEqual({
      ownerId: null,
      ownerMemberTeamId: null,
      poolTeamId: null,
    });
    expect(await t.storage.team.accountBook(WS, "acc_none")).toBeNull();
  });

  it("should refuse two members whose emails differ only in case", async () => {
    await expect(
      t.storage.team.upsertMembers(WS, [{ ...member("m_c", "Cy"), email: "ANN@example.com" }]),
    ).rejects.toThrow();
    expect((await t.storage.team.listMembers(WS)).map((m) => m.id)).toEqual(["m_a", "m_b"]);
  });
});

const minimal = (id: string) => ({
  id,
  name: id,
  crmId: null,
  billingId: null,
  tier: null,
  segment: null,
  industry: null,
  region: null,
  owner: null,
  lifecycleStage: null,
  channel: null,
  utmSource: null,
  utmMedium: null,
  utmCampaign: null,
  tags: [],
  customFields: {},
});

const member = (id: string, name: string) => ({
  id,
  name,
  email: `${name.toLowerCase()}@example.com`,
  teamId: "t_1",
  role: "CSM",
  capacity: 50,
  active: true,
  deactivatedAt: null,
  successorId: null,
});

const own = (ownerId: string, ownerName: string) => ({ ownerId, ownerName, teamId: "t_1" });
