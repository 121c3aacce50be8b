import { openTestStorage, type TestStorage } from "@tenure/storage";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { listTasks } from "../tasks/task-list";
import { generateDemoCompany } from "./generate-demo-company";
import { seedDemo } from "./seed-demo";

const WS = "demo";

describe("demo team", () => {
  let t: TestStorage;
  beforeAll(async () => {
    t = await openTestStorage("sqlite");
    await seedDemo(t.storage, { workspaceId: WS, accounts: 2400, seed: 42, activity: false });
  });
  afterAll(async () => {
    await t.cleanup();
  });

  it("should staff three teams with about one CSM per 50 accounts and give every account an owner", async () => {
    const teams = await t.storage.team.listTeams(WS);
    expect(teams.map((x) => x.kind).sort()).toEqual(["high_touch", "mid_market", "tech_touch"]);
    const members = await t.storage.team.listMembers(WS);
    expect(members.length).toBeGreaterThanOrEqual(40);
    expect(members.length).toBeLessThanOrEqual(50);
    const owners = await t.storage.team.ownership(WS);
    expect(owners.every((o) => o.ownerId !== null)).toBe(true);
    const books = new Map<string, number>();
    for (const o of owners) books.set(o.ownerId ?? "", (books.get(o.ownerId ?? "") ?? 0) + 1);
    const sizes = [...books.values()];
    expect(Math.max(...sizes)).toBeLessThanOrEqual(60);
    expect(sizes.reduce((s, n) => s + n, 0) / sizes.length).toBeGreaterThan(40);
  });

  it("should keep a named CSM on accounts they owned in the generated company, without changing the company", async () => {
    const company = generateDemoCompany({ accounts: 2400, seed: 42 });
    const maya = company.accounts.filter((a) => a.owner === "Maya Chen").map((a) => a.id);
    const owners = await t.storage.team.ownership(WS, maya);
    expect(owners.filter((o) => o.ownerName === "Maya Chen").length).toBeGreaterThanOrEqual(
      Math.min(50, maya.length),
    );
    // The generator's own draws are untouched: the same seed gives the same owners as before seeding.
    expect(generateDemoCompany({ accounts: 2400, seed: 42 }).accounts.map((a) => a.owner)).toEqual(
      company.accounts.map((a) => a.owner),
    );
  });

  it("should leave each CSM an open task and a done one", async () => {
    const maya = (await t.storage.team.listMembers(WS)).find((m) => m.name === "Maya Chen");
    const all = await listTasks(t.storage, WS, { assigneeId: maya?.id, status: "all" }, "2026-11-15");
    expect(all.tasks.map((x) => x.status).sort()).toEqual(["done", "open"]);
  });
});
