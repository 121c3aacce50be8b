import type { Account, Scorecard, Subscription } from "@tenure/core";
import { minimalAccount, openTestStorage, type TestStorage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { AccountFacts } from "./account-metrics";
import { recomputeHealth } from "./recompute-health";
import { saveScorecard } from "./scorecard-store";
import { enforceStageGuards } from "./stage-guards";
import { advocacyBlocked, expansionBlocked, ruleStage, type StageRuleInput } from "./stage-rules";

const ASOF = "2026-06-30";

const facts = (over: Partial<AccountFacts> = {}): AccountFacts => ({
  metrics: { activeUsers30d: 3 },
  mrr: 100,
  licensedSeats: null,
  renewalDate: null,
  contractEnd: null,
  firstPaidDate: "2025-01-01",
  recentExpansion: false,
  everPaid: true,
  hasUsageData: true,
  lastActivityAt: null,
  weeklyActiveUsers: [],
  weeklyActiveDepartments: [],
  weeklyEvents: [],
  ticketsPerWeek: [],
  newStakeholders: [],
  newDepartments: [],
  ...over,
});
const stage = (over: Partial<StageRuleInput>) =>
  ruleStage({ asOf: ASOF, current: null, facts: facts(), lastManualAt: null, ...over });
const promoter = facts({ metrics: { npsScore: 10, activeUsers30d: 4 } });

describe("lifecycle stage guards", () => {
  it("should keep an account out of advocacy when its health band is not green", () => {
    expect(stage({ facts: promoter, band: "green" })).toBe("advocacy");
    expect(stage({ facts: promoter, band: "red" })).toBe("retention");
    expect(stage({ facts: promoter, band: "yellow" })).toBe("retention");
    expect(stage({ facts: promoter, band: "none" })).toBe("retention");
    expect(advocacyBlocked({ band: "red" })).toContain("advocacy needs green");
  });

  it("should keep an account out of advocacy when its churn probability is 20% or more", () => {
    expect(stage({ facts: promoter, band: "green", churnProbability: 0.19 })).toBe("advocacy");
    expect(stage({ facts: promoter, band: "green", churnProbability: 0.2 })).toBe("retention");
  });

  it("should keep an account out of expansion when it is red or its churn probability is 40% or more", () => {
    const grew = facts({ recentExpansion: true });
    expect(stage({ facts: grew, band: "yellow", churnProbability: 0.39 })).toBe("expansion");
    expect(stage({ facts: grew, band: "green", churnProbability: 0.73 })).toBe("retention");
    expect(stage({ facts: grew, band: "red", churnProbability: null })).toBe("retention");
    expect(expansionBlocked({ band: "green", churnProbability: 0.73 })).toBe("churn probability 73% ≥ 40%");
  });

  it("should move an inactive account out of a stage its guard forbids when the rules would keep it", () => {
    const idle = facts({ metrics: { activeUsers30d: 0 } });
    expect(stage({ facts: idle, current: "advocacy", band: "red" })).toBe("retention");
    expect(stage({ facts: idle, current: "expansion", band: "green", churnProbability: 0.73 })).toBe(
      "retention",
    );
    expect(stage({ facts: idle, current: "advocacy", band: "green", churnProbability: 0.05 })).toBeNull();
    expect(stage({ facts: idle, current: "retention", band: "red" })).toBeNull();
  });

  it("should hold the guards for every band and probability when the account looks like a fan", () => {
    for (const band of ["red", "yellow", "green", "none"] as const) {
      for (let p = 0; p <= 1; p += 0.05) {
        const input = { band, churnProbability: p };
        const fan = facts({ recentExpansion: true, metrics: { npsScore: 10, activeUsers30d: 5 } });
        const got = stage({ facts: fan, current: "advocacy", ...input });
        if (got === "advocacy") expect([band, p < 0.2]).toEqual(["green", true]);
        if (got === "expansion") expect(band !== "red" && p < 0.4).toBe(true);
      }
    }
  });
});

describe("recomputeHealth applies the stage guards", () => {
  const WS = "ws";
  let t: TestStorage;
  const sub = (id: string, accountId: string, extra: Partial<Subscription> = {}): Subscription => ({
    id,
    accountId,
    plan: "pro",
    startDate: "2025-01-15",
    endDate: null,
    amount: 100,
    currency: "USD",
    interval: "month",
    quantity: 1,
    discountPct: 0,
    trial: false,
    ...extra,
  });
  // One measure only, so each account's band is set by its discount: 40% → score 20 (red), 0% → 100.
  const scorecard: Scorecard = {
    id: "discount-only",
    name: "Discount only",
    version: 1,
    bands: { red: 40, yellow: 70 },
    profiles: [
      {
        id: "all",
        name: "All",
        appliesTo: [],
        dimensions: [
          {
            key: "money",
            label: "Money",
            weight: 1,
            measures: [
              {
                key: "discount",
                label: "Discount",
                metric: "discountPct",
                weight: 1,
                scoring: { type: "linear", worst: 50, best: 0 },
              },
            ],
          },
        ],
      },
    ],
  };
  const account = (id: string, stage: Account["lifecycleStage"]): Account => ({
    ...minimalAccount(id),
    lifecycleStage: stage,
  });

  beforeAll(async () => {
    t = await openTestStorage("sqlite");
    const s = t.storage;
    await saveScorecard(s, WS, scorecard);
    await s.accounts.upsertMany(WS, [
      account("fan-low-health", "advocacy"),
      account("fan-healthy", "retention"),
      account("grew-risky", "retention"),
      account("grew-safe", "retention"),
    ]);
    const grew = (id: string) => [
      sub(`${id}-1`, id, { endDate: "2026-05-01" }),
      sub(`${id}-2`, id, { startDate: "2026-05-01", amount: 200 }),
    ];
    await s.subscriptions.upsertMany(WS, [
      sub("s-fan-low", "fan-low-health", { discountPct: 40 }),
      sub("s-fan-ok", "fan-healthy"),
      ...grew("grew-risky"),
      ...grew("grew-safe"),
    ]);
    await s.timeline.insertMany(
      WS,
      ["fan-low-health", "fan-healthy"].map((accountId) => ({
        id: `nps-${accountId}`,
        accountId,
        type: "nps",
        occurredAt: "2026-06-01T10:00:00.000Z",
        author: null,
        title: "NPS",
        body: null,
        data: { score: 10 },
      })),
    );
    await s.predictions.saveModel(WS, {
      id: "m1",
      target: "churn",
      kind: "gbt",
      asOf: ASOF,
      trainedAt: `${ASOF}T00:00:00.000Z`,
      model: {},
      backtest: {},
    });
    await s.predictions.replace(
      WS,
      "churn",
      [
        ["grew-risky", 0.73],
        ["grew-safe", 0.05],
        ["fan-healthy", 0.05],
      ].map(([accountId, probability]) => ({
        accountId: accountId as string,
        target: "churn",
        modelId: "m1",
        probability: probability as number,
        reasons: [],
        createdAt: `${ASOF}T00:00:00.000Z`,
      })),
    );
    await recomputeHealth(s, WS, { asOf: ASOF });
  });
  afterAll(async () => t?.cleanup());

  it("should put no red account in advocacy and no 73%-risk account in expansion", async () => {
    const stages = new Map((await t.storage.accounts.list(WS)).map((a) => [a.id, a.lifecycleStage]));
    expect(Object.fromEntries(stages)).toEqual({
      "fan-low-health": "retention",
      "fan-healthy": "advocacy",
      "grew-risky": "retention",
      "grew-safe": "expansion",
    });
  });
});

describe("enforceStageGuards after new churn probabilities", () => {
  const WS = "ws";
  let t: TestStorage;
  const paying = (id: string, accountId: string, startDate: string, amount = 100): Subscription => ({
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

  beforeAll(async () => {
    t = await openTestStorage("sqlite");
    const s = t.storage;
    await s.accounts.upsertMany(WS, [
      { ...minimalAccount("risky"), lifecycleStage: "expansion" },
      { ...minimalAccount("young-risky"), lifecycleStage: "expansion" },
      { ...minimalAccount("safe"), lifecycleStage: "expansion" },
    ]);
    await s.subscriptions.upsertMany(WS, [
      paying("s1", "risky", "2024-01-01"),
      paying("s2", "young-risky", "2026-01-01"),
      paying("s3", "safe", "2024-01-01"),
    ]);
    // Scored before any model existed: the bands allow expansion.
    await recomputeHealth(s, WS, { asOf: ASOF });
    await s.accounts.upsertMany(WS, [
      { ...minimalAccount("risky"), lifecycleStage: "expansion" },
      { ...minimalAccount("young-risky"), lifecycleStage: "expansion" },
      { ...minimalAccount("safe"), lifecycleStage: "expansion" },
    ]);
    await s.predictions.saveModel(WS, {
      id: "m1",
      target: "churn",
      kind: "gbt",
      asOf: ASOF,
      trainedAt: `${ASOF}T00:00:00.000Z`,
      model: {},
      backtest: {},
    });
    await s.predictions.replace(
      WS,
      "churn",
      [
        ["risky", 0.73],
        ["young-risky", 0.9],
        ["safe", 0.05],
      ].map(([accountId, probability]) => ({
        accountId: accountId as string,
        target: "churn",
        modelId: "m1",
        probability: probability as number,
        reasons: [],
        createdAt: `${ASOF}T00:00:00.000Z`,
      })),
    );
  });
  afterAll(async () => t?.cleanup());

  it("should move accounts the new probabilities put at risk out of expansion, with the reason", async () => {
    const changes = await enforceStageGuards(t.storage, WS, { asOf: ASOF });
    expect(changes.map((c) => [c.accountId, c.from, c.to, c.note])).toEqual([
      ["risky", "expansion", "retention", "churn probability 73% ≥ 40%"],
      ["young-risky", "expansion", "adoption", "churn probability 90% ≥ 40%"],
    ]);
    const stages = new Map((await t.storage.accounts.list(WS)).map((a) => [a.id, a.lifecycleStage]));
    expect(Object.fromEntries(stages)).toEqual({
      risky: "retention",
      "young-risky": "adoption",
      safe: "expansion",
    });
    // Applied once: a second run finds nothing left to move.
    expect(await enforceStageGuards(t.storage, WS, { asOf: ASOF })).toEqual([]);
  });
});
