import { describe, expect, it } from "vitest";
import type { AccountOverview, AccountsResponse } from "../../packages/web/src/api/account-types";
import type { ApiResponse, Schema } from "../../packages/web/src/api/schema";
import { en } from "../../packages/web/src/i18n/en";
import { skipBrowserTests } from "./support/chromium";
import { useDemoBrowser } from "./support/demo-browser";

const TODAY = "2026-11-15";

type TeamResponse = ApiResponse<"/team", "get">;
type Member = Schema<"Member">;
type Workload = Schema<"Workload">;
type Task = Schema<"Task">;
type TaskPage = ApiResponse<"/tasks", "get">;

describe.skipIf(skipBrowserTests())("team settings, account owners and account tasks in Chromium", () => {
  // Behaviour, not volume: a small demo company with its team of CSMs.
  const ui = useDemoBrowser({ today: TODAY, accounts: 300, seed: 42 });
  const { api, open } = ui;

  /** Active members (the API answers in name order), opened from a page so the call has the session. */
  async function activeMembers(): Promise<Member[]> {
    const team = await api<TeamResponse>("/api/team");
    return team.members.filter((m) => m.active);
  }

  const row = (memberId: string) =>
    ui.page.locator(`[data-testid="member-row"][data-member-id="${memberId}"]`);

  it("should show the API's field error next to a bad email, then add the member when it is fixed", async () => {
    await open("/settings/team", '[data-testid="members-table"]');
    const team = await api<TeamResponse>("/api/team");
    const teamId = team.teams[0]?.id ?? "";
    await ui.page.click('[data-testid="member-new"]');
    await ui.page.fill('[data-testid="member-name"] input', "Dana Whitfield");
    await ui.page.fill('[data-testid="member-email"] input', "dana.whitfield-at-example.com");
    await ui.page.selectOption('[data-testid="member-team"] select', teamId);
    await ui.page.fill('[data-testid="member-capacity"] input', "40");
    await ui.page.click('[data-testid="member-save"]');

    const error = ui.page.locator('[data-testid="member-email-error"]');
    await error.waitFor();
    expect(await error.textContent()).toBe(en.team.errors.email);
    // Only the email is wrong: no other field carries an error, and nothing was saved.
    expect(await ui.page.locator('[data-testid="member-drawer"] [data-testid$="-error"]').count()).toBe(1);
    expect((await api<TeamResponse>("/api/team")).members.some((m) => m.name === "Dana Whitfield")).toBe(
      false,
    );

    await ui.page.fill('[data-testid="member-email"] input', "dana.whitfield@example.com");
    await ui.page.click('[data-testid="member-save"]');
    await ui.page.locator('[data-testid="member-drawer"]').waitFor({ state: "detached" });
    const saved = (await api<TeamResponse>("/api/team")).members.find((m) => m.name === "Dana Whitfield");
    expect(saved).toMatchObject({
      email: "dana.whitfield@example.com",
      teamId,
      capacity: 40,
      active: true,
      accounts: 0,
    });
    await row(saved?.id ?? "").waitFor();
    expect(
      await row(saved?.id ?? "")
        .locator('[data-testid="member-book"]')
        .getAttribute("data-value"),
    ).toBe("0");
  });

  it("should add a team and rename it in place", async () => {
    await open("/settings/team", '[data-testid="teams-table"]');
    await ui.page.fill('[data-testid="team-new-name"] input', "Strategic accounts");
    await ui.page.selectOption('[data-testid="team-new-kind"] select', "high_touch");
    await ui.page.click('[data-testid="team-new-save"]');
    const row = ui.page.locator('[data-testid="team-row"][data-team-id="strategic-accounts"]');
    await row.waitFor();

    await row.locator('[data-testid="team-rename"]').click();
    await row.locator('[data-testid="team-rename-input"]').fill("Strategic accounts EMEA");
    await row.locator('button[type="submit"]').click();
    await expect.poll(() => row.locator("strong").textContent()).toBe("Strategic accounts EMEA");
    const stored = (await api<TeamResponse>("/api/team")).teams.find((x) => x.id === "strategic-accounts");
    expect(stored).toMatchObject({ name: "Strategic accounts EMEA", kind: "high_touch" });
  });

  it("should change an account's owner in the header and show the new owner in the accounts list", async () => {
    await open("/accounts", '[data-testid="account-row"]');
    const top = (await api<AccountsResponse>("/api/accounts?sort=arr&order=desc&limit=1")).accounts[0];
    const id = top?.id ?? "";
    const before = await api<AccountOverview>(`/api/accounts/${encodeURIComponent(id)}/overview`);
    const team = await api<TeamResponse>("/api/team");
    const next = team.members.find((m) => m.active && m.id !== before.ownership.ownerId && m.teamId !== null);
    if (next === undefined) throw new Error("the demo has no second active member");

    await open(`/accounts/${encodeURIComponent(id)}`, '[data-testid="owner-edit"]');
    await ui.page.click('[data-testid="owner-edit"]');
    await ui.page.selectOption('[data-testid="owner-select"]', `m:${next.id}`);
    await expect
      .poll(() => ui.page.getAttribute('[data-testid="header-owner"]', "data-value"))
      .toBe(next.name);
    expect(await ui.page.textContent('[data-testid="header-owner-team"]')).toBe(next.teamName);
    const after = await api<AccountOverview>(`/api/accounts/${encodeURIComponent(id)}/overview`);
    expect(after.ownership).toEqual({ ownerId: next.id, teamId: next.teamId });

    // The list (its stored rows) shows the new owner: the largest account is its first row.
    await open("/accounts", `[data-testid="account-row"][data-account-id="${id}"]`);
    await expect
      .poll(() => ui.page.textContent(`[data-testid="account-row"][data-account-id="${id}"]`))
      .toContain(next.name);
    const listed = await api<AccountsResponse>(
      `/api/accounts?owner=${encodeURIComponent(next.name)}&limit=5000`,
    );
    expect(listed.accounts.map((a) => a.id)).toContain(id);
  });

  it("should reassign two ticked accounts in the list to one member", async () => {
    await open("/accounts", '[data-testid="account-select"]');
    const boxes = ui.page.locator('[data-testid="account-row"]');
    const ids = [
      (await boxes.nth(2).getAttribute("data-account-id")) ?? "",
      (await boxes.nth(3).getAttribute("data-account-id")) ?? "",
    ];
    const members = await activeMembers();
    const to = members[members.length - 1];
    if (to === undefined) throw new Error("the demo has no members");

    await boxes.nth(2).locator('[data-testid="account-select"]').check();
    await boxes.nth(3).locator('[data-testid="account-select"]').check();
    expect(await ui.page.getAttribute('[data-testid="bulk-bar"]', "data-count")).toBe("2");
    await ui.page.selectOption('[data-testid="bulk-owner"]', `m:${to.id}`);
    await ui.page.click('[data-testid="bulk-apply"]');
    await ui.page.locator('[data-testid="bulk-notice"]').waitFor();
    expect(await ui.page.textContent('[data-testid="bulk-notice"]')).toBe(
      en.team.bulk.done_other.replace("{{count}}", "2").replace("{{to}}", to.name),
    );
    for (const id of ids) {
      await expect
        .poll(() => ui.page.textContent(`[data-testid="account-row"][data-account-id="${id}"]`))
        .toContain(to.name);
      const overview = await api<AccountOverview>(`/api/accounts/${encodeURIComponent(id)}/overview`);
      expect(overview.account.owner).toBe(to.name);
      expect(overview.ownership.ownerId).toBe(to.id);
    }
    // The selection is spent.
    expect(await ui.page.locator('[data-testid="bulk-bar"]').count()).toBe(0);
  });

  it("should complete an account's task from its tasks card with an outcome note and show it done", async () => {
    await open("/accounts", '[data-testid="account-row"]');
    const id =
      (await api<AccountsResponse>("/api/accounts?sort=name&order=asc&limit=1")).accounts[0]?.id ?? "";
    const created = await api<{ task: Task }>("/api/tasks", {
      method: "POST",
      body: { accountId: id, title: "Confirm the renewal date with the champion", priority: "high" },
    });
    const taskId = created.task.id;

    await open(
      `/accounts/${encodeURIComponent(id)}`,
      `[data-testid="account-task"][data-task-id="${taskId}"]`,
    );
    const card = ui.page.locator(`[data-testid="account-task"][data-task-id="${taskId}"]`);
    expect(await card.locator('[data-testid="account-task-title"]').textContent()).toBe(
      "Confirm the renewal date with the champion",
    );
    await card.locator('[data-testid="account-task-outcome"]').fill("Renewal confirmed for 1 March.");
    await card.locator('[data-testid="account-task-complete"]').click();
    await card.waitFor({ state: "detached" });

    await ui.page.click('[data-testid="account-tasks-show-closed"]');
    const done = ui.page.locator(`[data-testid="account-task-closed"][data-task-id="${taskId}"]`);
    await done.waitFor();
    expect(await done.getAttribute("data-status")).toBe("done");
    expect(await done.locator('[data-testid="account-task-outcome-note"]').textContent()).toBe(
      "Renewal confirmed for 1 March.",
    );
    const stored = await api<Task>(`/api/tasks/${taskId}`);
    expect(stored).toMatchObject({ status: "done", outcome: "Renewal confirmed for 1 March." });
  });

  it("should hand an account's open task to another member from its tasks card", async () => {
    await open("/accounts", '[data-testid="account-row"]');
    const id =
      (await api<AccountsResponse>("/api/accounts?sort=name&order=desc&limit=1")).accounts[0]?.id ?? "";
    const created = await api<{ task: Task }>("/api/tasks", {
      method: "POST",
      body: { accountId: id, title: "Book the executive sponsor call" },
    });
    const to = (await activeMembers()).find((m) => m.id !== created.task.assigneeId);
    if (to === undefined) throw new Error("the demo has no second member");

    await open(
      `/accounts/${encodeURIComponent(id)}`,
      `[data-testid="account-task"][data-task-id="${created.task.id}"]`,
    );
    const card = ui.page.locator(`[data-testid="account-task"][data-task-id="${created.task.id}"]`);
    await card.locator('[data-testid="account-task-reassign"]').click();
    await card.locator('[data-testid="account-task-assignee-select"]').selectOption(`m:${to.id}`);
    await expect
      .poll(() => card.locator('[data-testid="account-task-assignee"]').textContent())
      .toBe(to.name);
    expect((await api<Task>(`/api/tasks/${created.task.id}`)).assigneeId).toBe(to.id);
  });

  it("should deactivate a member and hand their open tasks and accounts to the chosen successor", async () => {
    await open("/settings/team", '[data-testid="members-table"]');
    const workload = await api<Workload>("/api/team/workload");
    const members = await activeMembers();
    // A member with a book and open tasks, and a successor in the same team.
    const leaving = members.find(
      (m) =>
        m.accounts > 0 &&
        (workload.members.find((w) => w.memberId === m.id)?.openTasks ?? 0) > 0 &&
        members.some((o) => o.id !== m.id && o.teamId === m.teamId),
    );
    if (leaving === undefined) throw new Error("the demo has no member with open tasks and a teammate");
    const successor = members.find((o) => o.id !== leaving.id && o.teamId === leaving.teamId) as Member;
    const theirTasks = await api<TaskPage>(`/api/tasks?assignee=${leaving.id}&limit=500`);
    const openTasks = workload.members.find((w) => w.memberId === leaving.id)?.openTasks ?? 0;
    expect(theirTasks.tasks.length).toBe(openTasks);

    await row(leaving.id).locator('[data-testid="member-deactivate"]').click();
    const moves = ui.page.locator('[data-testid="deactivate-moves"]');
    expect(await moves.getAttribute("data-tasks")).toBe(String(openTasks));
    expect(await moves.getAttribute("data-accounts")).toBe(String(leaving.accounts));
    expect(await ui.page.isDisabled('[data-testid="deactivate-confirm"]')).toBe(true);
    await ui.page.selectOption('[data-testid="deactivate-successor"]', `m:${successor.id}`);
    await ui.page.click('[data-testid="deactivate-confirm"]');
    await ui.page.locator('[data-testid="team-notice"]').waitFor();
    expect(await ui.page.textContent('[data-testid="team-notice"]')).toContain(successor.name);

    const after = await api<TeamResponse>("/api/team");
    const gone = after.members.find((m) => m.id === leaving.id);
    expect(gone).toMatchObject({ active: false, successorId: successor.id, accounts: 0 });
    expect(after.members.find((m) => m.id === successor.id)?.accounts).toBe(
      successor.accounts + leaving.accounts,
    );
    const handed = await api<TaskPage>(`/api/tasks?assignee=${successor.id}&limit=500`);
    const handedIds = new Set(handed.tasks.map((t) => t.id));
    for (const task of theirTasks.tasks) expect(handedIds.has(task.id), task.id).toBe(true);
    expect((await api<TaskPage>(`/api/tasks?assignee=${leaving.id}`)).tasks).toEqual([]);

    // Inactive members are folded away; shown, they can be made active again.
    expect(await row(leaving.id).count()).toBe(0);
    await ui.page.check('[data-testid="members-show-inactive"]');
    await row(leaving.id).locator('[data-testid="member-reactivate"]').click();
    await expect.poll(() => row(leaving.id).getAttribute("data-active")).toBe("true");
  });

  it("should move a member's whole book to another member from the Team page", async () => {
    await open("/settings/team", '[data-testid="members-table"]');
    const members = await activeMembers();
    const from = members.find((m) => m.accounts > 0);
    const to = members.find((m) => m.id !== from?.id && m.teamId === from?.teamId);
    if (from === undefined || to === undefined) throw new Error("the demo has no two members in a team");

    await row(from.id).locator('[data-testid="member-book-reassign"]').click();
    await ui.page.selectOption('[data-testid="book-target"]', `m:${to.id}`);
    await ui.page.click('[data-testid="book-confirm"]');
    await ui.page.locator('[data-testid="team-notice"]').waitFor();
    await expect
      .poll(() => row(from.id).locator('[data-testid="member-book"]').getAttribute("data-value"))
      .toBe("0");
    expect(await row(to.id).locator('[data-testid="member-book"]').getAttribute("data-value")).toBe(
      String(to.accounts + from.accounts),
    );
  });
});
