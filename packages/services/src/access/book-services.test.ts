import { isTenureError, type Principal, type Role } from "@tenure/core";
import {
  minimalAccount,
  openTestStorage,
  type SignalRecord,
  type TestStorage,
  testDialects,
} from "@tenure/storage";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { accountListPage, storedWorklist } from "../accounts/account-list-store";
import { setContactLeft } from "../accounts/contact-left";
import { saveAutomation, snoozeAutomationAccount } from "../automations/automation-service";
import { setQbr } from "../coverage-model/coverage-service";
import { listPlaybookRuns } from "../playbooks/run-list";
import { reschedulePlaybookRun, snoozePlaybookRun, startRun } from "../playbooks/run-service";
import { latestPredictions } from "../predictions/predictions-service";
import {
  createReferral,
  recordSurveyResponses,
  referralReport,
  surveySummary,
} from "../renewals/advocacy-service";
import { recordRenewalOutcomes, renewalOutcomes } from "../renewals/renewal-service";
import { listSignals } from "../signals/signal-service";
import { listTasks } from "../tasks/task-list";
import { createTask } from "../tasks/task-service";
import { saveMember, saveTeam, setAccountOwners } from "../team/team-service";
import { readableAccountIds, readableBook, setAccessSettings } from "./book-scope";

const WS = "ws";
const AT = "2026-06-10T09:00:00.000Z";
const DAY = "2026-06-10";
const who = (role: Role, memberId: string | null = null, teamIds: string[] | null = null): Principal => ({
  workspaceId: WS,
  role,
  actor: { type: "user", id: `${role}-${memberId}`, label: role },
  memberId,
  teamIds,
});
const ann = who("csm", "ann");
const bo = who("csm", "bo");

const signal = (id: string, accountId: string): SignalRecord => ({
  id,
  accountId,
  type: "usage_drop",
  kind: "risk",
  severity: "high",
  status: "open",
  dedupKey: `usage_drop:${accountId}:${id}`,
  title: "Usage dropped",
  summary: "Usage dropped",
  evidence: {},
  openedAt: AT,
  acknowledgedAt: null,
  resolvedAt: null,
  statusChangedBy: null,
});

/** The error code a refused promise rejects with (null when it resolves). */
const refused = async (p: Promise<unknown>) => {
  const err = await p.then(
    () => null,
    (e: unknown) => e,
  );
  return isTenureError(err) ? err.code : err;
};

describe.each(testDialects())("a CSM's book in the services on %s", (dialect) => {
  let t: TestStorage;
  let annsRun = "";
  let bosRun = "";
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    const s = t.storage;
    await s.workspaces.ensure(WS, "WS");
    // a1, a2: Ann's; b1: Bo's; p1: the pool's; x1: nobody's.
    await s.accounts.upsertMany(
      WS,
      ["a1", "a2", "b1", "p1", "x1"].map((id) => minimalAccount(id)),
    );
    await saveTeam(s, WS, { id: "ent", name: "Enterprise", kind: "high_touch" });
    for (const id of ["ann", "bo"]) {
      await saveMember(s, WS, {
        id,
        name: id.toUpperCase(),
        email: `${id}@example.com`,
        teamId: "ent",
        role: "CSM",
      });
    }
    await setAccountOwners(s, WS, ["a1", "a2"], { memberId: "ann" });
    await setAccountOwners(s, WS, ["b1"], { memberId: "bo" });
    await setAccountOwners(s, WS, ["p1"], { poolTeamId: "ent" });
    await s.contacts.upsertMany(WS, [
      {
        id: "c-b1",
        accountId: "b1",
        name: "Cleo",
        email: null,
        role: null,
        title: null,
        lastTouchAt: null,
        leftAt: null,
      },
    ]);
    await s.signals.insertMany(WS, [signal("s-a1", "a1"), signal("s-b1", "b1"), signal("s-p1", "p1")]);
    await s.predictions.replace(
      WS,
      "churn",
      ["a1", "a2", "b1", "p1"].map((accountId, i) => ({
        accountId,
        target: "churn",
        modelId: "m1",
        probability: [0.2, 0.1, 0.9, 0.5][i] ?? 0,
        reasons: [],
        createdAt: AT,
      })),
    );
    // Tasks: one on each account, and one on Bo's account assigned to Ann.
    for (const accountId of ["a1", "b1", "p1"]) {
      await createTask(
        s,
        WS,
        { accountId, title: `Call ${accountId}`, dueDate: DAY },
        { actorId: null, at: new Date(AT) },
      );
    }
    await createTask(
      s,
      WS,
      {
        accountId: "b1",
        title: "Cover for Bo",
        dueDate: DAY,
        assign: { strategy: "member", memberId: "ann" },
      },
      { actorId: null, at: new Date(AT) },
    );
    const deps = { storage: s, reportingCurrency: "USD" };
    annsRun = (
      await startRun(deps, WS, {
        playbookKey: "low-adoption-rescue",
        accountId: "a1",
        day: DAY,
        at: AT,
        holdout: true,
      })
    ).run.id;
    bosRun = (
      await startRun(deps, WS, {
        playbookKey: "low-adoption-rescue",
        accountId: "b1",
        day: DAY,
        at: AT,
        holdout: true,
      })
    ).run.id;
    await recordRenewalOutcomes(
      s,
      WS,
      [
        { accountId: "a1", renewalDate: "2026-06-01", outcome: "renewed", arrBefore: 1000 },
        { accountId: "b1", renewalDate: "2026-06-01", outcome: "renewed", arrBefore: 2000 },
      ],
      { asOf: DAY, reportingCurrency: "USD" },
    );
    await createReferral(s, WS, { advocateAccountId: "a1", referredName: "Newco", referredOn: DAY });
    await createReferral(s, WS, { advocateAccountId: "b1", referredName: "Otherco", referredOn: DAY });
    await recordSurveyResponses(s, WS, [
      { accountId: "a1", kind: "nps", score: 10, respondedAt: DAY },
      { accountId: "b1", kind: "nps", score: 2, respondedAt: DAY },
    ]);
  }, 60_000);
  afterAll(async () => {
    await t?.cleanup();
  });

  describe("writes the route table once guarded alone", () => {
    it("should refuse a CSM's contact, QBR, renewal outcome, referral and survey answer on another's account", async () => {
      const s = t.storage;
      expect(await refused(setContactLeft(s, WS, "b1", "c-b1", DAY, ann))).toBe("forbidden");
      expect((await s.contacts.get(WS, "c-b1"))?.leftAt).toBeNull();
      expect(await refused(setQbr(s, WS, "b1", "2026-Q2", { targetMrr: 10, principal: ann }))).toBe(
        "forbidden",
      );
      expect(await s.qbrs.listByAccount(WS, "b1")).toEqual([]);
      // A batch with one account outside the book writes nothing, not even its own account's row.
      expect(
        await refused(
          recordRenewalOutcomes(
            s,
            WS,
            [
              { accountId: "a2", renewalDate: "2026-06-02", outcome: "renewed", arrBefore: 5 },
              { accountId: "b1", renewalDate: "2026-06-02", outcome: "renewed", arrBefore: 5 },
            ],
            { asOf: DAY, reportingCurrency: "USD", principal: ann },
          ),
        ),
      ).toBe("forbidden");
      expect(await s.renewals.listOutcomes(WS, { accountId: "a2" })).toEqual([]);
      expect(
        await refused(
          createReferral(s, WS, { advocateAccountId: "b1", referredName: "X", referredOn: DAY }, ann),
        ),
      ).toBe("forbidden");
      expect(
        await refused(
          recordSurveyResponses(
            s,
            WS,
            [
              { accountId: "a2", kind: "nps", score: 9 },
              { accountId: "b1", kind: "nps", score: 9 },
            ],
            undefined,
            ann,
          ),
        ),
      ).toBe("forbidden");
      expect(await s.timeline.list(WS, "a2", { types: ["nps"] })).toEqual([]);
    });

    it("should let the CSM make the same writes on its own account, and an admin anywhere", async () => {
      const s = t.storage;
      expect((await setContactLeft(s, WS, "b1", "c-b1", DAY, bo)).leftAt).toBe(DAY);
      expect((await setQbr(s, WS, "a2", "2026-Q2", { targetMrr: 10, principal: ann })).targetMrr).toBe(10);
      const [o] = await recordRenewalOutcomes(
        s,
        WS,
        [{ accountId: "a2", renewalDate: "2026-06-03", outcome: "renewed", arrBefore: 7 }],
        { asOf: DAY, reportingCurrency: "USD", principal: ann },
      );
      expect(o?.accountId).toBe("a2");
      const r = await createReferral(
        s,
        WS,
        { advocateAccountId: "b1", referredName: "Y", referredOn: DAY },
        who("admin"),
      );
      expect(r.advocateAccountId).toBe("b1");
      expect(await refused(setContactLeft(s, WS, "b1", "c-b1", null, who("viewer")))).toBe("forbidden");
    });

    it("should refuse a CSM starting, rescheduling or snoozing a playbook run, or snoozing an automation, on another's account", async () => {
      const s = t.storage;
      const deps = { storage: s, reportingCurrency: "USD" };
      expect(
        await refused(
          startRun(deps, WS, {
            playbookKey: "renewal-prep-90",
            accountId: "b1",
            day: DAY,
            at: AT,
            principal: ann,
          }),
        ),
      ).toBe("forbidden");
      expect(await s.playbooks.listRuns(WS, { accountId: "b1", playbookKey: "renewal-prep-90" })).toEqual([]);
      expect(await refused(snoozePlaybookRun(s, WS, bosRun, "2026-07-01", AT, ann))).toBe("forbidden");
      expect(await refused(reschedulePlaybookRun(s, WS, bosRun, 3, AT, ann))).toBe("forbidden");
      expect((await s.playbooks.getRun(WS, bosRun))?.snoozedUntil).toBeNull();
      expect((await snoozePlaybookRun(s, WS, annsRun, "2026-07-01", AT, ann)).snoozedUntil).toBe(
        "2026-07-01",
      );
      const automation = await saveAutomation(
        s,
        WS,
        {
          name: "Follow-up",
          enabled: true,
          trigger: { type: "signal_raised", signalTypes: ["usage_drop"] },
          conditions: { not: { metric: "tag:vip", op: "eq", value: 1 } },
          actions: [{ type: "add_tag", tag: "at-risk" }],
          options: { includeChurned: false, reentryDays: 30, holdoutPct: 0 },
        },
        { at: AT },
      );
      expect(
        await refused(
          snoozeAutomationAccount(s, WS, {
            automationId: automation.id,
            accountId: "b1",
            until: "2026-07-01T00:00:00.000Z",
            at: AT,
            principal: ann,
          }),
        ),
      ).toBe("forbidden");
    });
  });

  it("should list a team's book (its members' accounts and its pool) for a manager's default view", async () => {
    const opts = { asOf: DAY, reportingCurrency: "USD" };
    const ids = async (team: string) =>
      (await accountListPage(t.storage, WS, { team, limit: 100 }, opts)).accounts.map((a) => a.id).sort();
    expect(await ids("ent")).toEqual(["a1", "a2", "b1", "p1"]);
    expect(await ids("ent,nope")).toEqual(["a1", "a2", "b1", "p1"]);
    expect(await ids("nope")).toEqual([]);
    expect((await accountListPage(t.storage, WS, { limit: 100 }, opts)).total).toBe(5);
    // The worklist too (accounts with an open risk signal: a1, b1, p1).
    const work = async (team?: string) =>
      (await storedWorklist(t.storage, WS, undefined, opts, team)).map((r) => r.id).sort();
    expect(await work()).toEqual(["a1", "b1", "p1"]);
    expect(await work("ent")).toEqual(["a1", "b1", "p1"]);
    expect(await work("nope")).toEqual([]);
  });

  describe("lists narrowed to the book when the workspace says so", () => {
    beforeEach(async () => {
      await setAccessSettings(t.storage, WS, { csmReadsAllAccounts: false });
      return async () => {
        await setAccessSettings(t.storage, WS, { csmReadsAllAccounts: true });
      };
    });

    it("should name the CSM's book only when CSMs may not read others' accounts", async () => {
      expect(await readableBook(t.storage, ann)).toEqual({ ownerId: "ann" });
      expect([...((await readableAccountIds(t.storage, ann)) ?? [])].sort()).toEqual(["a1", "a2"]);
      expect(await readableBook(t.storage, who("manager", null, ["ent"]))).toBeNull();
      expect(await readableBook(t.storage, who("viewer"))).toBeNull();
      expect(await refused(readableBook(t.storage, who("csm")))).toBe("forbidden");
      await setAccessSettings(t.storage, WS, { csmReadsAllAccounts: true });
      expect(await readableBook(t.storage, ann)).toBeNull();
    });

    it("should list only the CSM's signals, predictions, outcomes, runs, referrals and survey answers", async () => {
      const s = t.storage;
      expect((await listSignals(s, WS, {}, ann)).map((x) => x.accountId).sort()).toEqual(["a1"]);
      expect((await listSignals(s, WS, {}, who("admin"))).length).toBe(3);
      // The limit applies after the filter: Bo's 0.9 does not take Ann's one row.
      expect((await latestPredictions(s, WS, "churn", 1, "ann")).map((p) => p.accountId)).toEqual(["a1"]);
      expect((await renewalOutcomes(s, WS, {}, ann)).every((o) => ["a1", "a2"].includes(o.accountId))).toBe(
        true,
      );
      expect((await renewalOutcomes(s, WS, {}, ann)).some((o) => o.accountId === "a1")).toBe(true);
      expect((await renewalOutcomes(s, WS, {}, bo)).map((o) => o.accountId)).toEqual(["b1"]);
      const runs = await listPlaybookRuns(s, WS, { playbookKey: "low-adoption-rescue" }, DAY, ann);
      expect(runs.map((r) => r.accountId)).toEqual(["a1"]);
      const refs = await referralReport(s, WS, ann);
      expect(refs.referrals.map((r) => r.advocateAccountId)).toEqual(["a1"]);
      expect(refs.totals.referrals).toBe(1);
      const nps = await surveySummary(s, WS, { from: "2026-01-01", to: "2026-12-31" }, ann);
      expect(nps.responses.map((r) => r.accountId)).toEqual(["a1"]);
      expect(nps.nps.score).toBe(100);
    });

    it("should page a CSM's tasks in the query: its accounts' and those assigned to it, none of others'", async () => {
      const s = t.storage;
      const first = await listTasks(s, WS, { limit: 1 }, DAY, ann);
      expect(first.tasks).toHaveLength(1);
      expect(first.nextCursor).not.toBeNull();
      const second = await listTasks(s, WS, { limit: 1, cursor: first.nextCursor ?? "" }, DAY, ann);
      const seen = [...first.tasks, ...second.tasks].map((x) => x.title).sort();
      expect(seen).toEqual(["Call a1", "Cover for Bo"]);
      expect(second.nextCursor).toBeNull();
      expect((await listTasks(s, WS, { limit: 50 }, DAY, who("viewer"))).tasks).toHaveLength(4);
    });
  });
});
