import { isTenureError, type Principal, type Role } from "@tenure/core";
import { minimalAccount, openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { addTimelineEntry, setAccountStage } from "../accounts/account-activity";
import { closeTask, createTask, updateTask } from "../tasks/task-service";
import { saveMember, saveTeam, setAccountOwners } from "../team/team-service";
import { type AccountBook, assertCan, can } from "./access-policy";
import { accountBook, readableOwnerName, setAccessSettings } from "./book-scope";

const WS = "ws";
const who = (
  role: Role,
  book: Partial<Pick<Principal, "memberId" | "teamIds" | "workspaceId">> = {},
): Principal => ({
  workspaceId: book.workspaceId ?? WS,
  role,
  actor: { type: "user", id: role, label: role },
  memberId: book.memberId ?? null,
  teamIds: book.teamIds ?? null,
});
const annsAccount: AccountBook = {
  accountId: "a1",
  ownerId: "ann",
  ownerMemberTeamId: "ent",
  poolTeamId: "ent",
};
const pooled: AccountBook = { accountId: "a3", ownerId: null, ownerMemberTeamId: null, poolTeamId: "pool" };

describe("access policy (pure)", () => {
  it("should let each role do what the role matrix says when no book is involved", () => {
    expect(can(who("admin"), "keys.manage")).toBe(true);
    expect(can(who("manager"), "library.manage")).toBe(true);
    expect(can(who("manager"), "settings")).toBe(false);
    expect(can(who("csm"), "book.edit")).toBe(true);
    expect(can(who("csm"), "library.manage")).toBe(false);
    expect(can(who("viewer"), "read")).toBe(true);
    expect(can(who("viewer"), "book.edit")).toBe(false);
  });

  it("should scope edits to the CSM's own accounts and the manager's teams, pools included", () => {
    expect(can(who("csm", { memberId: "ann" }), "book.edit", { account: annsAccount })).toBe(true);
    expect(can(who("csm", { memberId: "bo" }), "book.edit", { account: annsAccount })).toBe(false);
    expect(can(who("csm", { memberId: "bo" }), "book.edit", { account: annsAccount, assigneeId: "bo" })).toBe(
      true,
    );
    expect(can(who("csm", { memberId: "bo" }), "book.edit", { account: pooled })).toBe(false);
    expect(can(who("manager", { teamIds: ["ent"] }), "book.edit", { account: annsAccount })).toBe(true);
    expect(can(who("manager", { teamIds: ["pool"] }), "book.edit", { account: pooled })).toBe(true);
    expect(can(who("manager", { teamIds: ["pool"] }), "book.edit", { account: annsAccount })).toBe(false);
    expect(can(who("manager"), "book.edit", { account: annsAccount })).toBe(true);
    expect(can(who("viewer"), "book.edit", { account: annsAccount })).toBe(false);
  });

  it("should let CSMs read others' accounts only while the workspace allows it", () => {
    const bo = who("csm", { memberId: "bo" });
    expect(can(bo, "read", { account: annsAccount, othersReadable: true })).toBe(true);
    expect(can(bo, "read", { account: annsAccount, othersReadable: false })).toBe(false);
    expect(can(who("viewer"), "read", { account: annsAccount, othersReadable: false })).toBe(true);
  });

  it("should throw a forbidden error naming the role and permission when refused", () => {
    try {
      assertCan(who("viewer"), "book.edit");
      expect.fail("should throw");
    } catch (err) {
      expect(isTenureError(err) && err.code).toBe("forbidden");
      expect((err as Error).message).toBe(
        'Your role (viewer) may not do this (needs the "book.edit" permission)',
      );
    }
  });
});

describe.each(testDialects())("access enforced in the services on %s", (dialect) => {
  let t: TestStorage;
  const AT = new Date("2026-06-10T09:00:00Z");
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    const s = t.storage;
    await s.workspaces.ensure(WS, "WS");
    await s.accounts.upsertMany(
      WS,
      ["a1", "a2", "a3"].map((id) => minimalAccount(id)),
    );
    await saveTeam(s, WS, { id: "ent", name: "Enterprise", kind: "high_touch" });
    await saveTeam(s, WS, { id: "pool", name: "Pool", kind: "tech_touch" });
    for (const id of ["ann", "bo"]) {
      await saveMember(s, WS, {
        id,
        name: id.toUpperCase(),
        email: `${id}@example.com`,
        teamId: "ent",
        role: "CSM",
      });
    }
    await setAccountOwners(s, WS, ["a1"], { memberId: "ann" });
    await setAccountOwners(s, WS, ["a2"], { memberId: "bo" });
    await setAccountOwners(s, WS, ["a3"], { poolTeamId: "pool" });
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  const refused = async (p: Promise<unknown>) => {
    const err = await p.then(
      () => null,
      (e: unknown) => e,
    );
    return isTenureError(err) ? err.code : err;
  };

  it("should read an account's place in the books from storage", async () => {
    expect(await accountBook(t.storage, WS, "a1")).toEqual(annsAccount);
    expect(await accountBook(t.storage, WS, "a3")).toEqual(pooled);
    expect(await accountBook(t.storage, WS, "nope")).toBeNull();
  });

  it("should refuse a CSM's note, stage and task on another's account, whoever calls the service", async () => {
    const bo = who("csm", { memberId: "bo" });
    const note = { type: "note" as const, title: "Hi" };
    expect(await refused(addTimelineEntry(t.storage, WS, "a1", note, AT.toISOString(), "bo", bo))).toBe(
      "forbidden",
    );
    expect(
      await refused(
        setAccountStage(t.storage, WS, "a1", {
          stage: "adoption",
          by: null,
          at: AT.toISOString(),
          principal: bo,
        }),
      ),
    ).toBe("forbidden");
    expect(
      await refused(
        createTask(t.storage, WS, { accountId: "a1", title: "x" }, { actorId: "bo", at: AT, principal: bo }),
      ),
    ).toBe("forbidden");
    expect((await t.storage.timeline.list(WS, "a1", {})).length).toBe(0);
    // Its own account: allowed.
    const own = await addTimelineEntry(t.storage, WS, "a2", note, AT.toISOString(), "bo", bo);
    expect(own.accountId).toBe("a2");
  });

  it("should let a CSM work a task assigned to it on another's account, and a manager only its teams'", async () => {
    const { task } = await createTask(
      t.storage,
      WS,
      { accountId: "a1", title: "Cover for Ann", assign: { strategy: "member", memberId: "bo" } },
      { actorId: null, at: AT },
    );
    const bo = who("csm", { memberId: "bo" });
    expect(
      (
        await updateTask(
          t.storage,
          WS,
          task.id,
          { priority: "high" },
          { actorId: "bo", at: AT, principal: bo },
        )
      ).priority,
    ).toBe("high");
    const poolManager = who("manager", { teamIds: ["pool"] });
    expect(
      await refused(
        closeTask(
          t.storage,
          WS,
          task.id,
          { status: "done" },
          { actorId: null, at: AT, principal: poolManager },
        ),
      ),
    ).toBe("forbidden");
    const entManager = who("manager", { teamIds: ["ent"] });
    expect(
      (
        await closeTask(
          t.storage,
          WS,
          task.id,
          { status: "done" },
          { actorId: null, at: AT, principal: entManager },
        )
      ).status,
    ).toBe("done");
  });

  it("should refuse a principal of another workspace outright", async () => {
    const stranger = who("admin", { workspaceId: "other" });
    const note = { type: "note" as const, title: "Hi" };
    expect(await refused(addTimelineEntry(t.storage, WS, "a2", note, AT.toISOString(), null, stranger))).toBe(
      "forbidden",
    );
  });

  it("should limit a CSM's lists to its own name only when the workspace says so", async () => {
    const bo = who("csm", { memberId: "bo" });
    expect(await readableOwnerName(t.storage, bo)).toBeNull();
    await setAccessSettings(t.storage, WS, { csmReadsAllAccounts: false });
    expect(await readableOwnerName(t.storage, bo)).toBe("BO");
    expect(await readableOwnerName(t.storage, who("manager"))).toBeNull();
    expect(await refused(setAccessSettings(t.storage, WS, { csmReadsAllAccounts: "no" }))).toBe("validation");
    await setAccessSettings(t.storage, WS, { csmReadsAllAccounts: true });
  });
});
