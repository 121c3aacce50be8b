import { isTenureError, type Subscription } from "@tenure/core";
import { minimalAccount, openTestStorage, type TestStorage, testDialects } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  accountSuccessPlans,
  createSuccessPlan,
  deleteSuccessPlan,
  onboardingProgress,
  setMilestoneDone,
  timeToFirstValueBy,
  updateSuccessGoal,
} from "./success-plan-service";

const WS = "ws";
const CTX = { asOf: "2026-06-30", reportingCurrency: "USD" };

const sub = (id: string, accountId: string, startDate: string, amount: number): Subscription => ({
  id,
  accountId,
  plan: "pro",
  startDate,
  endDate: null,
  amount,
  currency: "USD",
  interval: "month",
  quantity: 1,
  discountPct: 0,
  trial: false,
});

describe.each(testDialects())("success plans on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    await t.storage.workspaces.ensure(WS, "WS");
    await t.storage.workspaces.ensure("other", "Other");
    await t.storage.accounts.upsertMany(WS, [
      { ...minimalAccount("a1"), segment: "smb" },
      { ...minimalAccount("a2"), segment: "smb" },
      { ...minimalAccount("a3"), segment: "enterprise" },
    ]);
    await t.storage.subscriptions.upsertMany(WS, [
      sub("s1", "a1", "2026-05-01", 500),
      sub("s2", "a2", "2026-06-01", 300),
      sub("s3", "a3", "2026-04-15", 9000),
    ]);
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("should build a GPCT plan from a template with start values read from the account and targets from the template", async () => {
    const plan = await createSuccessPlan(
      t.storage,
      WS,
      "a3",
      { templateKey: "success-plan-gpct", locale: "zh-CN" },
      CTX,
    );
    expect(plan.kind).toBe("success");
    expect(plan.title).toBe("客户成功计划(GPCT)");
    expect(plan.startedOn).toBe("2026-06-30");
    expect(plan.milestones.map((m) => m.dueOn)).toEqual([
      "2026-07-07",
      "2026-07-21",
      "2026-08-14",
      "2026-09-28",
    ]);
    const users = plan.goals.find((g) => g.metric === "active_users");
    // No usage: 0 active users now, so a +20% target of 0.
    expect(users?.startValue).toBe(0);
    expect(users?.currentValue).toBe(0);
    const manual = plan.goals.find((g) => g.metric === null);
    expect(manual?.targetValue).toBeNull();
    expect(plan.challenges.length).toBeGreaterThan(0);
    expect(plan.progress).toEqual({ done: 0, total: 4, share: 0 });
  });

  it("should read MRR goals as the account page does and keep hand values only for goals without a metric", async () => {
    const plan = await createSuccessPlan(
      t.storage,
      WS,
      "a3",
      {
        title: "Grow the account",
        goals: [
          { title: "MRR to 10k", metric: "mrr", targetValue: 10_000 },
          { title: "Launch in APAC", targetValue: 3 },
        ],
        milestones: [{ title: "Kick-off", dueOn: "2026-07-10" }],
      },
      CTX,
    );
    const [mrr, apac] = plan.goals;
    expect(mrr?.startValue).toBe(9000);
    expect(mrr?.currentValue).toBe(9000);
    expect(mrr?.progress).toBe(0);
    const updated = await updateSuccessGoal(
      t.storage,
      WS,
      plan.id,
      apac?.id as string,
      { manualValue: 2 },
      CTX,
    );
    expect(updated.goals[1]?.currentValue).toBe(2);
    await expect(
      updateSuccessGoal(t.storage, WS, plan.id, mrr?.id as string, { manualValue: 1 }, CTX),
    ).rejects.toThrow(/manualValue: goal "MRR to 10k" reads mrr/);
  });

  it("should reject unknown templates, metrics and empty checklists naming the field, and write nothing", async () => {
    const before = (await accountSuccessPlans(t.storage, WS, "a2", CTX)).length;
    await expect(createSuccessPlan(t.storage, WS, "a2", { templateKey: "nope" }, CTX)).rejects.toThrow(
      /^templateKey: no template "nope"/,
    );
    await expect(
      createSuccessPlan(t.storage, WS, "a2", { title: "x", goals: [{ title: "g", metric: "logins" }] }, CTX),
    ).rejects.toThrow(/goals\[0\]\.metric: unknown metric "logins"/);
    await expect(
      createSuccessPlan(t.storage, WS, "a2", { title: "x", kind: "onboarding", milestones: [] }, CTX),
    ).rejects.toThrow(/^milestones: /);
    const err = await createSuccessPlan(t.storage, WS, "zz", { templateKey: "success-plan-gpct" }, CTX).catch(
      (e) => e,
    );
    expect(isTenureError(err, "not_found")).toBe(true);
    expect((await accountSuccessPlans(t.storage, WS, "a2", CTX)).length).toBe(before);
  });

  it("should start onboarding at signing, achieve the plan when every milestone is done, and measure time to first value", async () => {
    const a1 = await createSuccessPlan(t.storage, WS, "a1", { templateKey: "onboarding-tech-touch" }, CTX);
    expect(a1.startedOn).toBe("2026-05-01");
    const value = a1.milestones.find((m) => m.valueMilestone);
    const first = a1.milestones[0];
    let v = await setMilestoneDone(t.storage, WS, a1.id, first?.id as string, true, {
      ...CTX,
      at: "2026-05-02T09:00:00Z",
      by: "m1",
    });
    expect(v.progress.done).toBe(1);
    expect(v.timeToFirstValueDays).toBeNull();
    v = await setMilestoneDone(t.storage, WS, a1.id, value?.id as string, true, {
      ...CTX,
      at: "2026-05-13T16:00:00Z",
    });
    expect(v.timeToFirstValueDays).toBe(12);
    for (const m of v.milestones) {
      if (m.doneAt === null) v = await setMilestoneDone(t.storage, WS, a1.id, m.id, true, CTX);
    }
    expect(v.status).toBe("achieved");
    expect(v.progress.share).toBe(1);
    v = await setMilestoneDone(t.storage, WS, a1.id, first?.id as string, false, CTX);
    expect(v.status).toBe("active");

    const a2 = await createSuccessPlan(t.storage, WS, "a2", { templateKey: "onboarding-tech-touch" }, CTX);
    const v2 = a2.milestones.find((m) => m.valueMilestone);
    await setMilestoneDone(t.storage, WS, a2.id, v2?.id as string, true, {
      ...CTX,
      at: "2026-06-21T00:00:00Z",
    });
    await createSuccessPlan(t.storage, WS, "a3", { templateKey: "onboarding-high-touch" }, CTX);

    const progress = await onboardingProgress(t.storage, WS);
    expect(progress.map((p) => [p.accountId, p.done, p.total, p.timeToFirstValueDays])).toEqual([
      ["a1", 4, 5, 12],
      ["a2", 1, 5, 20],
      ["a3", 0, 6, null],
    ]);
    const bySegment = await timeToFirstValueBy(t.storage, WS, "segment");
    expect(bySegment).toEqual([
      {
        group: "enterprise",
        accounts: 1,
        reached: 0,
        medianDays: null,
        meanDays: null,
        p25Days: null,
        p75Days: null,
      },
      { group: "smb", accounts: 2, reached: 2, medianDays: 16, meanDays: 16, p25Days: 14, p75Days: 18 },
    ]);
    expect(await onboardingProgress(t.storage, "other")).toEqual([]);
  });

  it("should answer a template's text in the reader's language and keep what the CSM changed as written", async () => {
    const plan = await createSuccessPlan(
      t.storage,
      WS,
      "a1",
      { templateKey: "success-plan-gpct", locale: "en" },
      CTX,
    );
    const goal = plan.goals[0];
    await updateSuccessGoal(t.storage, WS, plan.id, goal?.id as string, { title: "Our own words" }, CTX);
    const zh = (await accountSuccessPlans(t.storage, WS, "a1", { ...CTX, locale: "zh-CN" })).find(
      (p) => p.id === plan.id,
    );
    expect(zh?.title).toBe("客户成功计划(GPCT)");
    expect(zh?.milestones[0]?.title).toBe("与高层支持者确认目标");
    expect(zh?.challenges[0]).toBe("续约时预算压力");
    expect(zh?.goals[0]?.title).toBe("Our own words");
    expect(zh?.goals[1]?.title).toBe("健康分提升 10 分");
    const en = (await accountSuccessPlans(t.storage, WS, "a1", CTX)).find((p) => p.id === plan.id);
    expect(en?.milestones[0]?.title).toBe("Goals confirmed with the executive sponsor");
  });

  it("should delete a plan with its goals and milestones, and answer not_found after", async () => {
    const plan = await createSuccessPlan(t.storage, WS, "a2", { templateKey: "success-plan-gpct" }, CTX);
    await deleteSuccessPlan(t.storage, WS, plan.id);
    expect(await t.storage.successPlans.get(WS, plan.id)).toBeNull();
    await expect(deleteSuccessPlan(t.storage, WS, plan.id)).rejects.toThrow(/No success plan/);
  });
});
