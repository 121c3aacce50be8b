import { isTenureError, type Subscription } from "@tenure/core";
import { minimalAccount, openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { deactivateMember, saveMember, saveTeam, setAccountOwners } from "../team/team-service";
import { listTasks, workload } from "./task-list";
import { closeTask, createTask, onTaskClosed, reassignTask, updateTask } from "./task-service";

const WS = "ws";
const AT = new Date("2026-06-10T09:00:00Z");
const SYSTEM = { actorId: null, at: AT };

const sub = (id: string, accountId: string, amount: number): Subscription => ({
  id,
  accountId,
  plan: "pro",
  startDate: "2026-01-01",
  endDate: null,
  amount,
  currency: "USD",
  interval: "month",
  quantity: 1,
  discountPct: 0,
  trial: false,
});

describe.each(testDialects())("tasks and team on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    const s = t.storage;
    await s.workspaces.ensure(WS, "WS");
    await s.accounts.upsertMany(
      WS,
      ["a1", "a2", "a3", "a4"].map((id) => minimalAccount(id)),
    );
    await s.subscriptions.upsertMany(WS, [sub("s1", "a1", 1000), sub("s2", "a2", 500)]);
    await saveTeam(s, WS, { id: "ent", name: "Enterprise", kind: "high_touch" });
    await saveTeam(s, WS, { id: "pool", name: "Tech touch pool", kind: "tech_touch" });
    for (const [id, name] of [
      ["ann", "Ann Lee"],
      ["bo", "Bo Chen"],
      ["cy", "Cy Wu"],
    ] as const)
      await saveMember(s, WS, {
        id,
        name,
        email: `${id}@example.com`,
        teamId: "ent",
        role: "CSM",
        capacity: 2,
      });
    await setAccountOwners(s, WS, ["a1", "a2"], { memberId: "ann" });
    await setAccountOwners(s, WS, ["a3"], { poolTeamId: "pool" });
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("should assign to the account owner by default and to the team pool when the account has no owner", async () => {
    const owned = await createTask(t.storage, WS, { accountId: "a1", title: "Call the champion" }, SYSTEM);
    expect(owned.task).toMatchObject({
      assigneeId: "ann",
      teamId: "ent",
      dueDate: "2026-06-13",
      status: "open",
    });
    const pooled = await createTask(t.storage, WS, { accountId: "a3", title: "Send the guide" }, SYSTEM);
    expect(pooled.task).toMatchObject({ assigneeId: null, teamId: "pool" });
    const entries = await t.storage.timeline.list(WS, "a1", { types: ["task"] });
    expect(entries.map((e) => e.data.event)).toEqual(["created"]);
  });

  it("should take members of a team in turn with round-robin and pick the least loaded one", async () => {
    const rr = [];
    for (let i = 0; i < 4; i++)
      rr.push(
        (
          await createTask(
            t.storage,
            WS,
            { accountId: "a4", title: `RR ${i}`, assign: { strategy: "round_robin", teamId: "ent" } },
            SYSTEM,
          )
        ).task.assigneeId,
      );
    expect(rr).toEqual(["ann", "bo", "cy", "ann"]);
    // Open tasks now: ann 3 (a1 + two RR), bo 1, cy 1; ties go to the first id.
    const least = await createTask(
      t.storage,
      WS,
      { accountId: "a4", title: "LL", assign: { strategy: "least_loaded", teamId: "ent" } },
      SYSTEM,
    );
    expect(least.task.assigneeId).toBe("bo");
  });

  it("should update the open task instead of adding one when a trigger fires again with the same dedupe key", async () => {
    const input = { accountId: "a2", title: "Rescue", dedupeKey: "auto-1:a2", priority: "high" as const };
    const first = await createTask(t.storage, WS, input, SYSTEM);
    const again = await createTask(t.storage, WS, { ...input, title: "Rescue (again)" }, SYSTEM);
    expect(first.created).toBe(true);
    expect(again).toMatchObject({ created: false, task: { id: first.task.id, title: "Rescue (again)" } });
    const page = await listTasks(t.storage, WS, { accountId: "a2", status: "all" }, "2026-06-10");
    expect(page.tasks.map((x) => x.title)).toEqual(["Rescue (again)"]);
  });

  it("should tell closed-task listeners in the closing transaction and refuse to close twice", async () => {
    const { task } = await createTask(
      t.storage,
      WS,
      { accountId: "a1", title: "Step 1", playbookRunId: "run-1", playbookStep: 0 },
      SYSTEM,
    );
    const seen: string[] = [];
    const off = onTaskClosed(async (e) => {
      seen.push(`${e.task.playbookRunId}:${e.task.playbookStep}:${e.task.status}`);
      const open = await e.tx.tasks.list(e.workspaceId, {
        playbookRunId: "run-1",
        status: "open",
        limit: 10,
      });
      seen.push(`open left ${open.tasks.length}`);
    });
    try {
      const done = await closeTask(
        t.storage,
        WS,
        task.id,
        { status: "done", outcome: "Met" },
        { actorId: "bo", at: AT },
      );
      expect(done).toMatchObject({ status: "done", outcome: "Met", closedBy: "bo" });
      expect(seen).toEqual(["run-1:0:done", "open left 0"]);
      await expect(closeTask(t.storage, WS, task.id, { status: "skipped" }, SYSTEM)).rejects.toSatisfy((e) =>
        isTenureError(e, "conflict"),
      );
    } finally {
      off();
    }
    const entries = await t.storage.timeline.list(WS, "a1", { types: ["task"] });
    const completed = entries.find((e) => e.data.event === "completed" && e.data.taskId === task.id);
    expect(completed).toMatchObject({ actorId: "bo", body: "Met" });
  });

  it("should page the overdue list in due-date order and mark what is overdue", async () => {
    const late = await createTask(
      t.storage,
      WS,
      { accountId: "a4", title: "Late", dueDate: "2026-06-01" },
      SYSTEM,
    );
    const page = await listTasks(t.storage, WS, { overdue: true }, "2026-06-10");
    expect(page.tasks.map((x) => x.id)).toEqual([late.task.id]);
    expect(page.tasks[0]).toMatchObject({ overdue: true, accountName: "a4" });
    const mine = await listTasks(t.storage, WS, { assigneeId: "ann", limit: 2 }, "2026-06-10");
    const next = await listTasks(
      t.storage,
      WS,
      { assigneeId: "ann", limit: 2, cursor: mine.nextCursor ?? "" },
      "2026-06-10",
    );
    const all = await listTasks(t.storage, WS, { assigneeId: "ann", limit: 100 }, "2026-06-10");
    expect([...mine.tasks, ...next.tasks].map((x) => x.id)).toEqual(all.tasks.slice(0, 4).map((x) => x.id));
  });

  it("should refuse an unknown account, member or date naming the field", async () => {
    const field = (p: Promise<unknown>) =>
      p.then(
        () => null,
        (e: unknown) => (isTenureError(e, "validation") ? (e.details as { field: string }).field : String(e)),
      );
    expect(await field(createTask(t.storage, WS, { accountId: "nope", title: "x" }, SYSTEM))).toBe(
      "accountId",
    );
    expect(
      await field(
        createTask(
          t.storage,
          WS,
          { accountId: "a1", title: "x", assign: { strategy: "member", memberId: "zed" } },
          SYSTEM,
        ),
      ),
    ).toBe("assign.memberId");
    expect(
      await field(createTask(t.storage, WS, { accountId: "a1", title: "x", dueDate: "2026-13-01" }, SYSTEM)),
    ).toBe("dueDate");
    expect(await field(createTask(t.storage, WS, { accountId: "a1", title: " " }, SYSTEM))).toBe("title");
  });

  it("should count accounts, ARR and tasks per member against capacity", async () => {
    const w = await workload(t.storage, WS, { asOf: "2026-06-10", reportingCurrency: "USD" });
    const ann = w.members.find((m) => m.memberId === "ann");
    expect(ann).toMatchObject({ accounts: 2, arr: 18_000, capacity: 2, utilization: 1 });
    expect(w.pools).toEqual([expect.objectContaining({ teamId: "pool", accounts: 1, openTasks: 1 })]);
  });

  it("should hand a deactivated member's open tasks and accounts to the successor in one go", async () => {
    const open = await listTasks(t.storage, WS, { assigneeId: "ann", limit: 100 }, "2026-06-10");
    const res = await deactivateMember(t.storage, WS, { id: "ann", successorId: "cy", at: AT });
    expect(res).toMatchObject({
      successorId: "cy",
      tasksMoved: open.tasks.length,
      accountsMoved: ["a1", "a2"],
    });
    expect((await t.storage.accounts.get(WS, "a1"))?.owner).toBe("Cy Wu");
    expect((await listTasks(t.storage, WS, { assigneeId: "ann" }, "2026-06-10")).tasks).toEqual([]);
    // An inactive member can neither take tasks nor succeed anyone.
    await expect(
      reassignTask(t.storage, WS, open.tasks[0]?.id ?? "", { strategy: "member", memberId: "ann" }, SYSTEM),
    ).rejects.toSatisfy((e) => isTenureError(e, "validation"));
    await expect(deactivateMember(t.storage, WS, { id: "bo", successorId: "ann", at: AT })).rejects.toSatisfy(
      (e) => isTenureError(e, "validation"),
    );
  });

  it("should send a deactivated member's work back to their team's pool without a successor", async () => {
    const res = await deactivateMember(t.storage, WS, { id: "cy", successorId: null, at: AT });
    expect(res.accountsMoved).toEqual(["a1", "a2"]);
    const a1 = (await t.storage.team.ownership(WS, ["a1"]))[0];
    expect(a1).toEqual({ accountId: "a1", ownerId: null, ownerName: null, teamId: "ent" });
    const pool = await listTasks(t.storage, WS, { teamId: "ent", pool: true, limit: 100 }, "2026-06-10");
    expect(pool.tasks.length).toBe(res.tasksMoved);
    // Pool tasks stay editable while they wait for someone.
    const reopened = await updateTask(t.storage, WS, pool.tasks[0]?.id ?? "", { priority: "urgent" }, SYSTEM);
    expect(reopened.priority).toBe("urgent");
  });
});
