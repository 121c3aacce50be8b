import { describe, expect, it } from "vitest";
import { effectsEn } from "../../packages/web/src/features/effects/i18n-en";
import { effectsZh } from "../../packages/web/src/features/effects/i18n-zh";
import { skipBrowserTests } from "./support/chromium";
import { useDemoBrowser } from "./support/demo-browser";

const TODAY = "2026-11-15";
const WS = "default";
/** The team's own signal rule: accounts above an ARR line (its type is rule:<id>). */
const RULE = "e2e-arr-watch";
const SIGNAL = `rule:${RULE}`;
const PLAYBOOK = "arr-watch-rescue";
const PLAYBOOK_NAME = "ARR watch rescue";
const AUTOMATION = "ARR watch follow-up";
const STEPS = [
  { title: "Call the executive sponsor", due: 0 },
  { title: "Send the recovery plan", due: 3 },
] as const;

interface AccountRow {
  id: string;
  name: string;
  arr: number;
}
interface TaskRow {
  id: string;
  accountId: string;
  title: string;
  status: string;
  assigneeId: string | null;
  dueDate: string;
  playbookRunId: string | null;
  outcome: string | null;
  completedAt: string | null;
}
interface RunRow {
  id: string;
  accountId: string;
  version: number;
  status: string;
  startDate: string;
  windowEnd: string;
  measuredAt: string | null;
}
interface EffectRow {
  key: string;
  version: number;
  name: { en?: string; "zh-CN"?: string };
  metric: { kind: string };
  ciLow: number | null;
  ciHigh: number | null;
  pValue: number | null;
  reasonCode: string | null;
  runs: number;
  nTreated: number;
  nControl: number;
  control: "holdout" | "matched";
  matched: number | null;
  matchedRuns: number | null;
  effect: number | null;
}
interface SuccessRow {
  key: string;
  runs: number;
  measured: number;
  completed: number;
}

describe.skipIf(skipBrowserTests())("the action loop in Chromium", () => {
  const ui = useDemoBrowser({ today: TODAY, accounts: 300, seed: 42, worker: true });
  const { api, open } = ui;

  /** Saves the team's rule with an ARR line; the server recomputes health at once and raises its signals. */
  const watchArrAbove = (arr: number) =>
    api("/api/signal-rules", {
      method: "POST",
      body: {
        id: RULE,
        name: "ARR watch",
        kind: "risk",
        severity: "high",
        when: { metric: "arr", op: "gte", value: arr },
      },
    });
  const signalled = async () =>
    new Set(
      (await api<{ signals: { type: string; accountId: string }[] }>("/api/signals?status=open")).signals
        .filter((s) => s.type === SIGNAL)
        .map((s) => s.accountId),
    );
  const tasksOf = async (accountId: string, status = "open") =>
    (
      await api<{ tasks: TaskRow[] }>(`/api/tasks?account=${encodeURIComponent(accountId)}&status=${status}`)
    ).tasks.filter((t) => STEPS.some((s) => s.title === t.title));
  const runsOf = async () => (await api<{ runs: RunRow[] }>(`/api/playbooks/${PLAYBOOK}/runs`)).runs;

  it("should write a playbook, fire it from an automation on a raised signal, work its tasks as the owner and report its effect", async () => {
    const { page } = ui;
    await open("/playbooks", '[data-testid="playbook-new"]');
    const { accounts } = await api<{ accounts: AccountRow[] }>("/api/accounts?sort=arr&order=desc&limit=5");
    const [a1, a2, a3, a4, a5] = accounts as [AccountRow, AccountRow, AccountRow, AccountRow, AccountRow];
    // The rule as the team has it today: the three largest accounts have raised it.
    await watchArrAbove((a3.arr + a4.arr) / 2);
    expect(await signalled()).toEqual(new Set([a1.id, a2.id, a3.id]));

    // 1. A new playbook in the editor: two steps for the account's owner, MRR to move, a 14-day window.
    await page.click('[data-testid="playbook-new"]');
    await page.fill('[data-testid="playbook-key"]', PLAYBOOK);
    await page.fill('[data-testid="playbook-name-en"]', PLAYBOOK_NAME);
    await page.fill('[data-testid="playbook-signals"]', SIGNAL);
    await page.click('[data-testid="playbook-add-step"]');
    for (const [i, s] of STEPS.entries()) {
      await page.fill(`[data-testid="step-${i}-title-en"]`, s.title);
      await page.selectOption(`[data-testid="step-${i}-owner"]`, "account_owner");
      await page.fill(`[data-testid="step-${i}-due"]`, String(s.due));
    }
    await page.selectOption('[data-testid="playbook-metric"]', "mrr");
    await page.fill('[data-testid="playbook-window"]', "14");
    await page.click('[data-testid="playbook-save"]');
    await page.waitForSelector(`[data-testid="playbook-${PLAYBOOK}"]`);
    expect(await page.textContent(`[data-testid="playbook-${PLAYBOOK}"]`)).toContain(
      "Steps: 2 · Metric: MRR · Window: 14 days",
    );
    const saved = await api<{ playbook: { latestVersion: number; definition: unknown } }>(
      `/api/playbooks/${PLAYBOOK}`,
    );
    expect(saved.playbook.latestVersion).toBe(1);
    expect(saved.playbook.definition).toMatchObject({
      name: { en: PLAYBOOK_NAME },
      signalTypes: [SIGNAL],
      metric: { kind: "mrr" },
      windowDays: 14,
      steps: STEPS.map((s) => ({
        title: { en: s.title },
        owner: { kind: "account_owner" },
        dueOffsetDays: s.due,
      })),
    });

    // 2. An automation in the builder: on the rule's signal, for accounts with ARR, start the playbook.
    await open("/automations", '[data-testid="automation-new"]');
    await page.click('[data-testid="automation-new"]');
    await page.fill('[data-testid="builder-name"]', AUTOMATION);
    await page.uncheck('[data-testid="builder-enabled"]');
    await page.selectOption('[data-testid="builder-trigger"]', "signal_raised");
    await page.fill('[data-testid="builder-signal-types"]', SIGNAL);
    await page.click('[data-testid="builder-add-condition"]');
    await page.fill('[data-testid="builder-condition-metric"]', "arr");
    await page.selectOption('[data-testid="builder-condition-op"]', "gt");
    await page.fill('[data-testid="builder-condition-value"]', "0");
    await page.selectOption('[data-testid="builder-action-type"]', "start_playbook");
    await page.fill('[data-testid="builder-playbook-key"]', PLAYBOOK);

    // Its dry run lists the accounts that raised the signal, each one fired into the playbook.
    await page.click('[data-testid="builder-preview"]');
    const dry = page.locator('[data-testid="automation-builder"] [data-testid="dry-run"]');
    await dry.waitFor();
    expect(await dry.locator('[data-testid="dry-run-summary"]').getAttribute("data-matched")).toBe("3");
    const dryRows = await dry
      .locator("tbody tr")
      .evaluateAll((rows) =>
        rows.map((r) => [r.querySelector("td")?.textContent, r.getAttribute("data-outcome")]),
      );
    expect(dryRows.sort()).toEqual([a1, a2, a3].map((a) => [a.name, "fired"]).sort());
    await page.click('[data-testid="builder-save"]');
    const row = page.locator("tr[data-automation]", { hasText: AUTOMATION });
    await row.waitFor();
    const automationId = (await row.getAttribute("data-automation")) as string;
    const toggle = row.locator('[data-testid="automation-switch"]');
    expect(await toggle.getAttribute("aria-checked")).toBe("false");
    await toggle.click();
    await row.locator('[data-testid="automation-switch"][aria-checked="true"]').waitFor();

    // 3. The data moves: the rule's line is lowered, the recompute raises the signal for a fourth account.
    await watchArrAbove((a4.arr + a5.arr) / 2);
    expect(await signalled()).toEqual(new Set([a1.id, a2.id, a3.id, a4.id]));
    const target = a4;
    const [own] = await ui.server.storage.team.ownership(WS, [target.id]);
    const ownerId = own?.ownerId ?? null;
    expect(ownerId, "the demo gives every account an owner").not.toBeNull();

    // The in-process worker runs the automations' next pass (every 5 minutes) and the runs' steps.
    ui.server.clock.advance({ minutes: 5 });
    await expect.poll(async () => (await tasksOf(target.id)).length, { timeout: 60_000 }).toBe(2);
    const tasks = await tasksOf(target.id);
    expect(tasks.map((t) => [t.title, t.assigneeId, t.dueDate]).sort()).toEqual(
      [
        [STEPS[0].title, ownerId, TODAY],
        [STEPS[1].title, ownerId, "2026-11-18"],
      ].sort(),
    );
    const log = await api<{ entries: { accountId: string; outcome: string; status: string }[] }>(
      `/api/automations/${automationId}/log`,
    );
    expect(log.entries.map((e) => [e.accountId, e.outcome]).sort()).toEqual(
      [a1, a2, a3, a4].map((a) => [a.id, "fired"]).sort(),
    );

    // 4. The owner works them on the Tasks page, each with an outcome note.
    await open("/tasks", '[data-testid="acting-as"]');
    await page.selectOption('[data-testid="acting-as"]', ownerId as string);
    for (const s of STEPS) {
      const taskRow = page
        .locator('[data-testid="task-row"]', { hasText: s.title })
        .filter({ hasText: target.name });
      await taskRow.waitFor();
      await taskRow.locator('[data-testid="task-outcome"]').fill(`Done: ${s.title.toLowerCase()}`);
      await taskRow.locator('[data-testid="task-complete"]').click();
      await taskRow.waitFor({ state: "detached" });
    }
    const closed = await tasksOf(target.id, "closed");
    // Closed on the server's day, as the run that completes with them.
    expect(closed.map((t) => [t.title, t.status, t.outcome, t.completedAt?.slice(0, 10)]).sort()).toEqual(
      STEPS.map((s) => [s.title, "done", `Done: ${s.title.toLowerCase()}`, TODAY]).sort(),
    );

    // The last step done completes the run, on the account page too.
    await open(`/accounts/${encodeURIComponent(target.id)}`, '[data-testid="playbook-run"]');
    const run = page.locator('[data-testid="playbook-run"]', { hasText: PLAYBOOK_NAME });
    expect(await run.getAttribute("data-status")).toBe("completed");
    expect(await run.locator('[data-testid="playbook-run-progress"]').textContent()).toBe(
      "2 of 2 steps closed",
    );

    // 5. Past the window, the daily measurement reads each run's MRR at its window's end.
    ui.server.clock.advance({ days: 15 });
    await expect
      .poll(async () => (await runsOf()).filter((r) => r.measuredAt !== null).length, { timeout: 60_000 })
      .toBe(4);

    // The effect report shows the playbook: 4 treated runs measured and no control to compare with (every
    // account that raised the signal got the playbook), so no estimate, as the page says.
    await open("/effects", '[data-testid="effects-table"]');
    const report = await api<{ playbooks: EffectRow[]; success: SuccessRow[] }>("/api/effects/report");
    const effect = report.playbooks.find((p) => p.key === PLAYBOOK);
    expect(effect).toMatchObject({
      version: 1,
      runs: 4,
      nTreated: 4,
      nControl: 0,
      control: "matched",
      effect: null,
    });
    const effectRow = page.locator(`[data-testid="effects-table"] tr[data-playbook="${PLAYBOOK}"]`);
    expect(await effectRow.getAttribute("data-verdict")).toBe("none");
    const cells = await effectRow.locator("td").allTextContents();
    expect(cells[0]).toBe(`${PLAYBOOK_NAME} v1`);
    expect(cells[2]).toBe("4");
    expect(cells[6]).toBe("4 / 0");
    expect(cells[7]).toBe("Matched (0 accounts, 0 runs)");
    expect(cells[8]).toBe("No estimateFewer than 2 matched accounts");
    expect(await effectRow.locator('[data-testid="effect-reason"]').textContent()).toBe(
      "Fewer than 2 matched accounts",
    );
    const success = page.locator(`[data-testid="effects-success"] tr[data-playbook="${PLAYBOOK}"] td`);
    // Runs, measured, succeeded (MRR did not rise in two weeks), rate, completed (the owner's one).
    expect(await success.allTextContents()).toEqual([PLAYBOOK_NAME, "4", "4", "0", "0%", "1"]);
  }, 300_000);

  it("should keep a run on the version it started with when the playbook is edited", async () => {
    const { page } = ui;
    // A playbook no demo automation starts, so its only runs are this test's.
    const key = "win-back";
    await open("/playbooks", `[data-testid="playbook-${key}"]`);
    const { playbook } = await api<{
      playbook: { definition: { name: { en: string }; windowDays: number } };
    }>(`/api/playbooks/${key}`);
    const windowEnd = (days: number) =>
      new Date(Date.parse(`${ui.server.clock.today()}T00:00:00Z`) + days * 86_400_000)
        .toISOString()
        .slice(0, 10);
    const name = playbook.definition.name.en;
    const { accounts } = await api<{ accounts: AccountRow[] }>("/api/accounts?sort=name&order=asc&limit=2");
    const [first, second] = accounts as [AccountRow, AccountRow];
    const startOn = async (account: AccountRow) => {
      await open(`/accounts/${encodeURIComponent(account.id)}`, '[data-testid="playbook-run-choose"]');
      await page.selectOption('[data-testid="playbook-run-choose"]', key);
      await page.click('[data-testid="playbook-run-start"]');
      const run = page.locator('[data-testid="playbook-run"]', { hasText: name });
      await run.waitFor();
      return run;
    };
    expect(await (await startOn(first)).textContent()).toContain("v1");

    // A new version in the editor: a longer window.
    await open("/playbooks", `[data-testid="playbook-${key}"]`);
    await page.click(`[data-testid="playbook-${key}"]`);
    await page.waitForSelector('[data-testid="playbook-editor"] [data-testid="playbook-versions"]');
    await page.fill('[data-testid="playbook-window"]', "45");
    await page.click('[data-testid="playbook-save"]');
    await page.locator('[data-testid="playbook-versions"] li').nth(1).waitFor();
    expect(await page.textContent(`[data-testid="playbook-${key}"]`)).toContain("v2");
    // The history counts each version's runs: the one started before the edit stays on version 1.
    await page.locator('[data-testid="playbook-versions"] li[data-version="1"][data-runs="1"]').waitFor();
    expect(await page.locator('[data-testid="playbook-versions"] li').allTextContents()).toEqual([
      expect.stringMatching(/^Version 2 · .+ · 0 runs$/),
      expect.stringMatching(/^Version 1 · .+ · 1 run$/),
    ]);

    // The first account's run stays on version 1 and its window; a new run takes version 2's 45 days.
    await open(`/accounts/${encodeURIComponent(first.id)}`, '[data-testid="playbook-run"]');
    expect(
      await page
        .locator('[data-testid="playbook-run"]', { hasText: name })
        .locator(".pb-run-head")
        .textContent(),
    ).toContain("v1");
    expect(await (await startOn(second)).locator(".pb-run-head").textContent()).toContain("v2");
    const runs = await api<{ runs: RunRow[] }>(`/api/playbooks/${key}/runs`);
    const byAccount = new Map(runs.runs.map((r) => [r.accountId, r]));
    expect(byAccount.get(first.id)).toMatchObject({
      version: 1,
      windowEnd: windowEnd(playbook.definition.windowDays),
    });
    expect(byAccount.get(second.id)).toMatchObject({ version: 2, windowEnd: windowEnd(45) });
  }, 120_000);

  it("should refuse an automation naming an unknown member or triggering itself, naming the part and saving nothing", async () => {
    const { page } = ui;
    await open("/automations", '[data-testid="automation-new"]');
    const before = (await api<{ automations: unknown[] }>("/api/automations")).automations.length;
    await page.click('[data-testid="automation-new"]');
    await page.fill('[data-testid="builder-name"]', "Call on usage drops");
    await page.fill('[data-testid="builder-signal-types"]', "usage_drop");
    await page.selectOption('[data-testid="builder-action-type"]', "create_task");
    await page.fill('[data-testid="builder-task-title"]', "Call the champion");
    await page.selectOption('[data-testid="builder-assign"]', "member");
    await page.fill('[data-testid="builder-member-id"]', "m_nobody");
    await page.click('[data-testid="builder-save"]');
    const banner = page.locator('[data-testid="automation-builder"] [data-testid="error-banner"]');
    await banner.waitFor();
    expect(await banner.locator(".error-message").textContent()).toBe(
      'Invalid automation: actions[0].assign.memberId: unknown member "m_nobody"',
    );

    // Tagging the accounts its own condition excludes would set it off again: a loop.
    await page.selectOption('[data-testid="builder-action-type"]', "add_tag");
    await page.fill('[data-testid="builder-tag"]', "at-risk");
    await page.click('[data-testid="builder-add-condition"]');
    await page.fill('[data-testid="builder-condition-metric"]', "tag:at-risk");
    await page.selectOption('[data-testid="builder-condition-op"]', "eq");
    await page.fill('[data-testid="builder-condition-value"]', "0");
    await page.click('[data-testid="builder-save"]');
    await expect
      .poll(() => banner.locator(".error-message").textContent())
      .toBe(
        'Invalid automation: actions[0].tag: changes the tag "at-risk" its conditions watch: it would trigger itself in a loop',
      );
    expect((await api<{ automations: unknown[] }>("/api/automations")).automations).toHaveLength(before);
  }, 120_000);

  for (const lang of ["en", "zh-CN"] as const) {
    it(`should show each version's effect with its interval and p-value in ${lang}`, async () => {
      const { page } = ui;
      await open("/effects", '[data-testid="effects-table"]');
      if (lang === "zh-CN") {
        await page.evaluate(() => localStorage.setItem("tenure.language", "zh-CN"));
        await page.reload();
        await page.waitForSelector('[data-testid="effects-table"]');
        expect(await page.locator(".page-title").textContent()).toBe("有效果吗？");
      }
      const report = await api<{ playbooks: EffectRow[] }>("/api/effects/report");
      const number = (v: number, digits: number) =>
        new Intl.NumberFormat(lang, { maximumFractionDigits: digits }).format(v);
      const signed = (v: number) => `${v > 0 ? "+" : ""}${number(v, 2)}`;
      const estimated = report.playbooks.filter((p) => p.effect !== null && p.metric.kind !== "mrr");
      // The demo plants a rescue that works (seed-playbooks.test.ts holds its interval above 0 on the
      // demo's day); 15 days on, the rescues its automation started for the last weeks' signals are
      // measured too, without a planted recovery, so the p-values here are whatever the data gives.
      expect(estimated.length).toBeGreaterThan(0);
      for (const p of estimated) expect(p.pValue as number).toBeGreaterThanOrEqual(0);
      for (const p of estimated) {
        const cells = await page
          .locator(
            `[data-testid="effects-table"] tr[data-playbook="${p.key}"][data-version="${p.version}"] td`,
          )
          .allTextContents();
        expect(cells[0]).toBe(
          `${(lang === "zh-CN" ? p.name["zh-CN"] : p.name.en) ?? p.name.en} v${p.version}`,
        );
        expect(cells[3]).toMatch(new RegExp(`^${signed(p.effect as number).replace("+", "\\+")}`));
        expect(cells[4]).toBe(`${signed(p.ciLow as number)} … ${signed(p.ciHigh as number)}`);
        expect(cells[5]).toBe((p.pValue as number) < 0.001 ? "< 0.001" : number(p.pValue as number, 3));
        expect(cells[6]).toBe(`${p.nTreated} / ${p.nControl}`);
      }
      // A version without an estimate says why, in the page's language (which reason depends on the
      // demo's day: the test's clock has moved on, and more runs may have been measured since).
      const none = report.playbooks.find((p) => p.reasonCode !== null && p.reasonCode !== undefined);
      expect(none, "the demo has a playbook version without an estimate").toBeDefined();
      const reasons = lang === "en" ? effectsEn.reason : effectsZh.reason;
      const reason = page.locator(
        `tr[data-playbook="${none?.key}"][data-version="${none?.version}"] [data-testid="effect-reason"]`,
      );
      expect(await reason.textContent()).toBe(reasons[none?.reasonCode as keyof typeof reasons]);
      await page.waitForSelector('[data-testid="effects-chart"] canvas, [data-testid="effects-chart"] svg');
    }, 120_000);
  }
});
