import { describe, expect, it } from "vitest";
import { isTenureError } from "../errors";
import { cronError, cronSlots, parseCron } from "./cron";
import { evaluateAutomations, holdoutFraction, isHeldOut } from "./evaluate-automations";
import type {
  Automation,
  AutomationAccountFacts,
  AutomationAccountState,
  AutomationDefinition,
  AutomationTrigger,
} from "./types";
import {
  type AutomationCatalog,
  checkAutomation,
  parseAutomation,
  templateVariables,
} from "./validate-automation";

const CATALOG: AutomationCatalog = {
  metrics: ["healthScore", "arr", "activeUsers"],
  signalTypes: ["usage_drop", "champion_left", "rule:big"],
  customFields: ["goLive"],
  members: ["m_ann", "m_bo"],
  teams: ["enterprise", "pool"],
  playbooks: ["low-adoption-rescue"],
  webhookEndpoints: ["ep_crm"],
  chatChannels: ["ch_wecom"],
  templates: new Map([
    ["checkin", ["account.name", "owner.name"]],
    ["broken", ["account.secret"]],
  ]),
  templateVariables: ["account.name", "owner.name"],
};

function definition(over: Partial<AutomationDefinition> = {}): AutomationDefinition {
  return {
    name: "Usage drop rescue",
    enabled: true,
    trigger: { type: "signal_raised", signalTypes: ["usage_drop"] },
    conditions: { metric: "arr", op: "gte", value: 10_000 },
    actions: [
      { type: "start_playbook", playbookKey: "low-adoption-rescue" },
      { type: "wait", days: 3 },
      {
        type: "create_task",
        title: "Follow up",
        assign: { strategy: "owner" },
        dueInDays: 2,
        priority: "high",
      },
    ],
    options: { includeChurned: false, reentryDays: 30, holdoutPct: 0 },
    ...over,
  };
}

function account(id: string, over: Partial<AutomationAccountFacts> = {}): AutomationAccountFacts {
  return {
    id,
    stage: "adoption",
    segment: "smb",
    band: "green",
    tags: [],
    metrics: { arr: 50_000, healthScore: 70 },
    dates: { renewalDate: "2027-03-31", signupDate: "2026-11-30" },
    ...over,
  };
}

const auto = (id: string, over: Partial<AutomationDefinition> = {}): Automation => ({
  id,
  version: 1,
  ...definition(over),
});

const noEvents = { signals: [], tracked: [] };
const SINCE = "2026-12-01T00:00:00.000Z";
const AS_OF = "2026-12-02T00:00:00.000Z";

describe("cron", () => {
  it("should list the slots of a weekday-morning schedule in a window", () => {
    const s = parseCron("30 9 * * mon-fri");
    // 2026-12-04 is a Friday, 12-05/06 the weekend.
    expect(cronSlots(s, "2026-12-04T00:00:00Z", "2026-12-08T00:00:00Z")).toEqual([
      "2026-12-04T09:30:00.000Z",
      "2026-12-07T09:30:00.000Z",
    ]);
  });

  it("should step and list values and treat 7 as Sunday", () => {
    const s = parseCron("*/15 0,12 1 1-3 7");
    expect([...s.minutes]).toEqual([0, 15, 30, 45]);
    expect([...s.hours]).toEqual([0, 12]);
    expect([...s.weekdays]).toEqual([0]);
    expect(s.dayOr).toBe(true);
  });

  it("should name the field of an invalid schedule", () => {
    expect(cronError("0 25 * * *")).toBe('hour: "25" is outside 0-23');
    expect(cronError("0 9 * *")).toMatch(/expected 5 fields/);
    expect(cronError("0 9 * * funday")).toMatch(/^day of week: "funday" is not a number/);
    expect(cronError("*/0 * * * *")).toMatch(/^minute: step "0"/);
    expect(cronError("0 9 1 * *")).toBeNull();
  });
});

describe("checkAutomation", () => {
  it("should accept a valid automation and copy it", () => {
    const input = definition();
    const r = checkAutomation(input, CATALOG);
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.definition).toEqual(input);
      expect(r.definition).not.toBe(input);
    }
  });

  it("should name every unknown reference with its path", () => {
    const r = checkAutomation(
      definition({
        trigger: { type: "signal_raised", signalTypes: ["usage_drop", "martian_landing"] },
        conditions: {
          all: [
            { metric: "arr", op: "gt", value: 1 },
            { metric: "vibes", op: "gt", value: 1 },
          ],
        },
        actions: [
          { type: "start_playbook", playbookKey: "nope" },
          {
            type: "create_task",
            title: "x",
            assign: { strategy: "member", memberId: "m_zed" },
            dueInDays: 1,
            priority: "low",
          },
          {
            type: "create_task",
            title: "x",
            assign: { strategy: "least_loaded", teamId: "mars" },
            dueInDays: 1,
            priority: "low",
          },
          { type: "send_email", template: "missing", to: "owner" },
          { type: "notify_chat", channelId: "ch_wecom", template: "broken" },
          { type: "call_webhook", endpointId: "ep_gone" },
          { type: "notify_chat", channelId: "ch_gone", template: "checkin" },
        ],
      }),
      CATALOG,
    );
    expect(r.ok).toBe(false);
    if (!r.ok)
      expect(r.issues).toEqual([
        { path: "trigger.signalTypes[1]", message: 'unknown signal type "martian_landing"' },
        { path: "conditions.all[1].metric", message: 'unknown field "vibes"' },
        { path: "actions[0].playbookKey", message: 'unknown playbook "nope"' },
        { path: "actions[1].assign.memberId", message: 'unknown member "m_zed"' },
        { path: "actions[2].assign.teamId", message: 'unknown team "mars"' },
        { path: "actions[3].template", message: 'unknown template "missing"' },
        { path: "actions[4].template", message: 'template "broken" uses unknown variable "account.secret"' },
        { path: "actions[5].endpointId", message: 'unknown webhook endpoint "ep_gone"' },
        { path: "actions[6].channelId", message: 'unknown chat channel "ch_gone"' },
      ]);
  });

  it("should reject an invalid schedule naming the trigger's cron", () => {
    expect(() =>
      parseAutomation(definition({ trigger: { type: "schedule", cron: "61 * * * *" } }), CATALOG),
    ).toThrow(
      'Invalid automation: trigger.cron: invalid schedule "61 * * * *": minute: "61" is outside 0-59',
    );
  });

  it("should reject an automation that sets the stage its trigger waits for", () => {
    const r = checkAutomation(
      definition({
        trigger: { type: "stage_entered", stage: "adoption" },
        actions: [{ type: "set_stage", stage: "adoption" }],
      }),
      CATALOG,
    );
    expect(r.ok ? [] : r.issues).toEqual([
      {
        path: "actions[0].stage",
        message: 'sets the stage "adoption" its trigger waits for: it would trigger itself in a loop',
      },
    ]);
  });

  it("should reject an automation that changes a tag its conditions watch", () => {
    const r = checkAutomation(
      definition({
        conditions: { not: { metric: "tag:contacted", op: "eq", value: 1 } },
        actions: [{ type: "add_tag", tag: "contacted" }],
      }),
      CATALOG,
    );
    expect(r.ok ? [] : r.issues.map((i) => i.path)).toEqual(["actions[0].tag"]);
  });

  it("should name shape errors in conditions, options and actions", () => {
    const bad = {
      ...definition(),
      conditions: { all: [{ metric: "arr", op: "between", value: 5 }] },
      options: { includeChurned: false, reentryDays: 0, holdoutPct: 80 },
      actions: [{ type: "wait", days: 1.5 }],
    };
    const r = checkAutomation(bad, CATALOG);
    expect(r.ok ? [] : r.issues.map((i) => i.path).sort()).toEqual([
      "actions[0].days",
      "conditions.all[0].value2",
      "options.holdoutPct",
      "options.reentryDays",
    ]);
    try {
      parseAutomation(bad, CATALOG);
      expect.unreachable();
    } catch (e) {
      expect(isTenureError(e, "validation")).toBe(true);
      expect((e as Error).message).toMatch(/\(and 3 more\)$/);
    }
  });

  it("should accept custom date fields the workspace has and refuse others", () => {
    const ok = checkAutomation(
      definition({ trigger: { type: "date_relative", field: "custom:goLive", offsetDays: 7 } }),
      CATALOG,
    );
    expect(ok.ok).toBe(true);
    const bad = checkAutomation(
      definition({
        trigger: { type: "date_relative", field: "birthday", offsetDays: 7 } as unknown as AutomationTrigger,
      }),
      CATALOG,
    );
    expect(bad.ok ? "" : bad.issues[0]?.path).toBe("trigger.field");
  });

  it("should read a template's variables", () => {
    expect(templateVariables("Hi {{owner.name}}, {{{account.name}}} {{& x}} {{#list}}")).toEqual([
      "owner.name",
      "account.name",
      "x",
    ]);
  });
});

describe("evaluateAutomations", () => {
  const none = () => undefined;

  it("should fire on a signal of a watched type for accounts meeting the conditions", () => {
    const matches = evaluateAutomations({
      automations: [auto("a1")],
      accounts: [account("acc1"), account("acc2", { metrics: { arr: 5_000 } }), account("acc3")],
      previous: new Map(),
      events: {
        signals: [
          { id: "s1", accountId: "acc1", type: "usage_drop" },
          { id: "s2", accountId: "acc2", type: "usage_drop" },
          { id: "s3", accountId: "acc3", type: "champion_left" },
        ],
        tracked: [],
      },
      since: SINCE,
      asOf: AS_OF,
      state: none,
    });
    expect(matches).toEqual([
      { automationId: "a1", accountId: "acc1", instance: "signal:s1", outcome: "fired" },
    ]);
  });

  it("should apply snooze, open run, re-entry and churn guards", () => {
    const state = new Map<string, AutomationAccountState>([
      ["snoozed", { snoozedUntil: "2026-12-10T00:00:00.000Z" }],
      ["snoozeOver", { snoozedUntil: "2026-12-01T12:00:00.000Z" }],
      ["open", { openRun: true }],
      ["recent", { lastEnteredAt: "2026-11-20T00:00:00.000Z" }],
      ["longAgo", { lastEnteredAt: "2026-10-01T00:00:00.000Z" }],
    ]);
    const ids = ["snoozed", "snoozeOver", "open", "recent", "longAgo", "churned"];
    const matches = evaluateAutomations({
      automations: [auto("a1")],
      accounts: ids.map((id) => account(id, id === "churned" ? { stage: "churned" } : {})),
      previous: new Map(),
      events: {
        signals: ids.map((id) => ({ id: `s-${id}`, accountId: id, type: "usage_drop" })),
        tracked: [],
      },
      since: SINCE,
      asOf: AS_OF,
      state: (_a, acc) => state.get(acc),
    });
    expect(matches.map((m) => [m.accountId, m.outcome])).toEqual([
      ["snoozed", "snoozed"],
      ["snoozeOver", "fired"],
      ["open", "deduped"],
      ["recent", "reentry"],
      ["longAgo", "fired"],
    ]);
  });

  it("should dedupe a second trigger for the same account in one pass", () => {
    const matches = evaluateAutomations({
      automations: [
        auto("a1", {
          trigger: {
            type: "event_tracked",
            event: "export",
            where: [{ property: "rows", op: "gt", value: 100 }],
          },
        }),
      ],
      accounts: [account("acc1")],
      previous: new Map(),
      events: {
        signals: [],
        tracked: [
          { id: "e1", accountId: "acc1", event: "export", properties: { rows: 50 } },
          { id: "e2", accountId: "acc1", event: "export", properties: { rows: "500" } },
          { id: "e3", accountId: "acc1", event: "export", properties: { rows: 900 } },
          { id: "e4", accountId: "acc1", event: "login", properties: { rows: 900 } },
        ],
      },
      since: SINCE,
      asOf: AS_OF,
      state: none,
    });
    expect(matches.map((m) => [m.instance, m.outcome])).toEqual([
      ["event:e2", "fired"],
      ["event:e3", "deduped"],
    ]);
  });

  it("should fire band, stage and segment transitions only against a previous snapshot", () => {
    const previous = new Map([
      ["acc1", { band: "green" as const, stage: "onboarding" as const, segment: "smb" }],
      ["acc2", { band: "yellow" as const, stage: "adoption" as const, segment: "mid" }],
    ]);
    const accounts = [
      account("acc1", { band: "red", stage: "adoption", segment: "mid" }),
      account("acc2", { band: "red", stage: "adoption", segment: "mid" }),
      account("acc3", { band: "red", stage: "adoption", segment: "mid" }),
    ];
    const run = (a: Automation) =>
      evaluateAutomations({
        automations: [a],
        accounts,
        previous,
        events: noEvents,
        since: SINCE,
        asOf: AS_OF,
        state: none,
      }).map((m) => m.instance);
    expect(run(auto("b", { trigger: { type: "score_band_crossed", from: "green", to: "red" } }))).toEqual([
      "band:green->red@2026-12-02",
    ]);
    expect(run(auto("b", { trigger: { type: "score_band_crossed", from: "any", to: "red" } }))).toHaveLength(
      2,
    );
    expect(run(auto("s", { trigger: { type: "stage_entered", stage: "adoption" } }))).toEqual([
      "stage:adoption@2026-12-02",
    ]);
    expect(run(auto("g", { trigger: { type: "segment_entered", segment: "mid" } }))).toEqual([
      "segment:mid@2026-12-02",
    ]);
  });

  it("should fire a date-relative trigger once, on the day reached in the window", () => {
    const a = auto("r", { trigger: { type: "date_relative", field: "renewalDate", offsetDays: -90 } });
    const accounts = [
      account("due", { dates: { renewalDate: "2027-03-01" } }), // −90 days = 2026-12-01
      account("later", { dates: { renewalDate: "2027-03-05" } }),
      account("none", { dates: { renewalDate: null } }),
    ];
    const pass = (since: string, asOf: string) =>
      evaluateAutomations({
        automations: [a],
        accounts,
        previous: new Map(),
        events: noEvents,
        since,
        asOf,
        state: none,
      }).map((m) => `${m.accountId} ${m.instance}`);
    expect(pass("2026-11-30T12:00:00.000Z", "2026-12-01T06:00:00.000Z")).toEqual([
      "due date:renewalDate:2026-12-01",
    ]);
    expect(pass("2026-12-01T06:00:00.000Z", "2026-12-02T06:00:00.000Z")).toEqual([]);
  });

  it("should fire date-relative triggers exactly when the day reached is in the window, for any offset", () => {
    // The rule, account by account: the target day (date + offset) is reached at its midnight (UTC),
    // after `since` and up to `asOf`, and not before since's own day.
    const reference = (date: string, offset: number, since: string, asOf: string) => {
      const target = new Date(Date.parse(`${date}T00:00:00.000Z`) + offset * 86_400_000)
        .toISOString()
        .slice(0, 10);
      const at = `${target}T00:00:00.000Z`;
      return at > since && at <= asOf && target >= since.slice(0, 10) ? `date:renewalDate:${target}` : null;
    };
    const day = (n: number) => new Date(Date.UTC(2026, 10, 1) + n * 86_400_000).toISOString().slice(0, 10);
    const accounts = Array.from({ length: 120 }, (_, i) =>
      account(`a${i}`, { dates: { renewalDate: i === 0 ? null : day(i - 40) } }),
    );
    const windows: [string, string][] = [
      ["2026-11-30T12:00:00.000Z", "2026-12-01T06:00:00.000Z"],
      ["2026-12-01T00:00:00.000Z", "2026-12-02T00:00:00.000Z"], // both ends on a midnight
      ["2026-11-29T23:59:59.999Z", "2026-12-01T00:00:00.000Z"],
      ["2026-11-20T08:00:00.000Z", "2026-12-10T08:00:00.000Z"], // after downtime: many days
      ["2026-12-01T06:00:00.000Z", "2026-12-01T18:00:00.000Z"], // no midnight in it
      ["2026-11-30", "2026-12-02"], // day-only bounds
    ];
    let fired = 0;
    for (const offsetDays of [-90, -30, -1, 0, 1, 14]) {
      const a = auto("r", { trigger: { type: "date_relative", field: "renewalDate", offsetDays } });
      for (const [since, asOf] of windows) {
        const got = evaluateAutomations({
          automations: [a],
          accounts,
          previous: new Map(),
          events: noEvents,
          since,
          asOf,
          state: none,
        }).map((m) => `${m.accountId} ${m.instance}`);
        const expected = accounts.flatMap((acc) => {
          const date = acc.dates.renewalDate;
          const instance = date == null ? null : reference(date, offsetDays, since, asOf);
          return instance === null ? [] : [`${acc.id} ${instance}`];
        });
        expect(got, `offset ${offsetDays}, ${since} .. ${asOf}`).toEqual(expected);
        fired += got.length;
      }
    }
    // Most windows hold some accounts' days: the comparison is not of empty lists.
    expect(fired).toBeGreaterThan(50);
  });

  it("should fire a schedule's latest slot for every account meeting the conditions", () => {
    const a = auto("w", { trigger: { type: "schedule", cron: "0 8 * * 1" }, conditions: null });
    const matches = evaluateAutomations({
      automations: [a],
      accounts: [account("x"), account("y")],
      previous: new Map(),
      events: noEvents,
      since: "2026-11-20T00:00:00.000Z",
      asOf: "2026-12-08T00:00:00.000Z",
      state: none,
    });
    expect(matches.map((m) => m.instance)).toEqual([
      "schedule:2026-12-07T08:00:00.000Z",
      "schedule:2026-12-07T08:00:00.000Z",
    ]);
  });

  it("should read tag conditions from the account's tags", () => {
    const a = auto("t", {
      trigger: { type: "schedule", cron: "0 8 * * *" },
      conditions: { metric: "tag:vip", op: "eq", value: 1 },
    });
    const matches = evaluateAutomations({
      automations: [a],
      accounts: [account("plain"), account("vip", { tags: ["vip"] })],
      previous: new Map(),
      events: noEvents,
      since: SINCE,
      asOf: AS_OF,
      state: none,
    });
    expect(matches.map((m) => m.accountId)).toEqual(["vip"]);
  });

  it("should hold out a deterministic share close to the requested percentage", () => {
    const ids = Array.from({ length: 10_000 }, (_, i) => `acc_${i}`);
    const held = ids.filter((id) => isHeldOut("auto_1", id, 20)).length;
    expect(held / ids.length).toBeGreaterThan(0.18);
    expect(held / ids.length).toBeLessThan(0.22);
    expect(holdoutFraction("auto_1", "acc_7")).toBe(holdoutFraction("auto_1", "acc_7"));
    expect(isHeldOut("auto_1", "acc_7", 0)).toBe(false);
    const a = auto("auto_1", {
      options: { includeChurned: false, reentryDays: null, holdoutPct: 20 },
      conditions: null,
    });
    const matches = evaluateAutomations({
      automations: [a],
      accounts: ids.slice(0, 200).map((id) => account(id)),
      previous: new Map(),
      events: {
        signals: ids.slice(0, 200).map((id) => ({ id, accountId: id, type: "usage_drop" })),
        tracked: [],
      },
      since: SINCE,
      asOf: AS_OF,
      state: none,
    });
    for (const m of matches) expect(m.outcome === "held_out").toBe(isHeldOut("auto_1", m.accountId, 20));
  });

  it("should skip disabled automations", () => {
    const matches = evaluateAutomations({
      automations: [auto("off", { enabled: false })],
      accounts: [account("acc1")],
      previous: new Map(),
      events: { signals: [{ id: "s1", accountId: "acc1", type: "usage_drop" }], tracked: [] },
      since: SINCE,
      asOf: AS_OF,
      state: none,
    });
    expect(matches).toEqual([]);
  });
});
