import {
  minimalAccount,
  openTestStorage,
  type Storage,
  type TestStorage,
  testDialects,
} from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { csRoi } from "./cs-roi";

const WS = "ws-roi";

async function seed(storage: Storage) {
  await storage.accounts.upsertMany(
    WS,
    ["a1", "a2", "a3", "a4"].map((id) => minimalAccount(id)),
  );
  await storage.team.upsertTeams(WS, [
    { id: "ent", name: "Enterprise", kind: "high_touch" },
    { id: "mm", name: "Mid-market", kind: "mid_touch" },
  ]);
  const member = (id: string, name: string, teamId: string) => ({
    id,
    name,
    email: `${id}@example.com`,
    teamId,
    role: "CSM",
    capacity: 50,
    active: true,
    deactivatedAt: null,
    successorId: null,
  });
  await storage.team.upsertMembers(WS, [member("ann", "Ann", "ent"), member("bo", "Bo", "mm")]);
  await storage.team.assignAccounts(WS, ["a1", "a2"], { ownerId: "ann", ownerName: "Ann", teamId: "ent" });
  await storage.team.assignAccounts(WS, ["a3"], { ownerId: "bo", ownerName: "Bo", teamId: "mm" });
  // One campaign of 3,000 over a1 (saved, 10k at risk, renews at 12k), a2 (churned) and a3 (saved, 4k).
  await storage.renewals.createCampaign(WS, {
    name: "Q1 save",
    startedOn: "2026-01-01",
    endedOn: null,
    cost: 3000,
    note: null,
    accounts: [
      { accountId: "a1", atRiskArr: 10_000 },
      { accountId: "a2", atRiskArr: 5_000 },
      { accountId: "a3", atRiskArr: 4_000 },
    ],
  });
  const outcome = (
    accountId: string,
    outcome: "renewed" | "expanded" | "churned",
    arrBefore: number,
    arrAfter: number,
  ) => ({
    accountId,
    renewalDate: "2026-03-01",
    outcome,
    arrBefore,
    arrAfter,
    reasonKey: outcome === "churned" ? "price" : null,
    note: null,
    recordedBy: null,
  });
  await storage.renewals.upsertOutcomes(WS, [
    outcome("a1", "expanded", 10_000, 12_000),
    outcome("a2", "churned", 5_000, 0),
    outcome("a3", "renewed", 4_000, 4_000),
    // Unowned and not in the campaign: an expansion of 500.
    outcome("a4", "expanded", 1_000, 1_500),
  ]);
}

describe.each(testDialects())("CS ROI on %s", (dialect) => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage(dialect);
    await seed(t.storage);
  });
  afterAll(async () => {
    await t?.cleanup();
  });

  it("should attribute ARR saved, expanded and campaign cost to each account's CSM and team", async () => {
    const roi = await csRoi(t.storage, WS);
    const ann = roi.members.find((m) => m.id === "ann");
    // a1 kept its 10k at risk and expanded by 2k; a2 churned; Ann's cost share is 2 × 1,000.
    expect(ann).toMatchObject({
      name: "Ann",
      accounts: 2,
      arrSaved: 10_000,
      arrExpanded: 2_000,
      cost: 2_000,
    });
    expect(ann?.roi).toBeCloseTo(6, 12);
    expect(roi.members.find((m) => m.id === "bo")).toMatchObject({
      arrSaved: 4_000,
      arrExpanded: 0,
      cost: 1_000,
      roi: 4,
    });
    expect(roi.members.find((m) => m.id === null)).toMatchObject({
      name: "unassigned",
      arrExpanded: 500,
      cost: 0,
      roi: null,
    });
    expect(roi.teams.find((x) => x.id === "ent")).toMatchObject({
      name: "Enterprise",
      arrSaved: 10_000,
      cost: 2_000,
    });
  });

  it("should add up to the campaign's own ARR saved", async () => {
    const roi = await csRoi(t.storage, WS);
    const total = roi.members.reduce((s, m) => s + m.arrSaved, 0);
    const cost = roi.members.reduce((s, m) => s + m.cost, 0);
    expect(total).toBe(14_000);
    expect(cost).toBeCloseTo(3_000, 9);
  });
});
